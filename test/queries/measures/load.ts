import { join } from 'node:path';
import type { Database } from '../../../src/db/open.ts';
import { loadModuleFixture } from '../../helpers/modules.ts';

export { pick, rowsOf } from '../../helpers/modules.ts';

export const FIXTURES = 'test/fixtures/modules/measures';

/** Loads one fixture directory of this group (CSVs and app-records.json) with the data-as-of date given. */
export const loadFixture = (db: Database, dir: string, asOf: string): Promise<void> =>
  loadModuleFixture(db, join(FIXTURES, dir), asOf);
