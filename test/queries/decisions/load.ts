import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import type { Database } from '../../../src/db/open.ts';
import { importAppRecords } from '../../../src/records/store.ts';
import { ingest } from '../../helpers/ingest.ts';

export const FIXTURES = 'test/fixtures/modules/decisions';

/**
 * Loads every CSV of one fixture directory, with the data-as-of date the tests count from, and its app-records.json
 * (review campaigns, inspections) through the API's own code.
 */
export async function loadFixture(db: Database, dir: string, asOf: string): Promise<void> {
  const path = join(FIXTURES, dir);
  await ingest(
    db,
    readdirSync(path)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(path, f)),
    { asOf },
  );
  const app = join(path, 'app-records.json');
  if (existsSync(app)) await importAppRecords(db.conn, JSON.parse(readFileSync(app, 'utf8')));
}

export async function rowsOf(
  db: Database,
  module: string,
  params: Record<string, unknown> = {},
  districts: readonly string[] = ALL_DISTRICTS,
): Promise<Record<string, unknown>[]> {
  return (await runModule(db.conn, module, params, { districts })).rows;
}

/** The listed columns of each row, in order: assertions stay exact but readable. */
export const pick = (rows: Record<string, unknown>[], cols: readonly string[]) =>
  rows.map((r) => cols.map((c) => r[c]));
