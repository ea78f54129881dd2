import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../../src/db/open.ts';
import { ingest } from '../../helpers/ingest.ts';

/** Loads every CSV of a fixture directory under test/fixtures/modules/measures with the data-as-of date given. */
export const loadFixture = (db: Database, dir: string, asOf: string) => {
  const path = join('test/fixtures/modules/measures', dir);
  return ingest(
    db,
    readdirSync(path).map((f) => join(path, f)),
    { asOf },
  );
};
