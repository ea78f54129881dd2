import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generate, type GenerateOptions, type Manifest } from '../../fixtures/generator/index.ts';
import { runModule } from '../../queries/run.ts';
import { ALL_DISTRICTS } from '../../queries/scope.ts';
import { initDatabase } from '../../src/db/init.ts';
import { openDatabase, type Database } from '../../src/db/open.ts';
import { importAppRecords } from '../../src/records/store.ts';
import { tempDir } from './db.ts';
import { ingest } from './ingest.ts';

/**
 * Loads every CSV of a fixture directory with the data-as-of date the test counts from, and its app-records.json
 * (review campaigns, inspections, meetings) through the API's own code.
 */
export async function loadModuleFixture(db: Database, path: string, asOf: string): Promise<void> {
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

/** A generated data set loaded into a fresh database file, for the end-to-end manifest tests. */
export async function generatedDatabase(
  opts: Omit<GenerateOptions, 'out'>,
): Promise<{ db: Database; manifest: Manifest; out: string; cleanup: () => void }> {
  const t = tempDir();
  const out = join(t.dir, 'data');
  const manifest = await generate({ ...opts, out });
  const db = await openDatabase(join(t.dir, 'e2e.duckdb'));
  await initDatabase(db);
  await ingest(
    db,
    readdirSync(out)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(out, f)),
  );
  await importAppRecords(db.conn, JSON.parse(readFileSync(join(out, 'app-records.json'), 'utf8')));
  return {
    db,
    manifest,
    out,
    cleanup: () => {
      db.close();
      t.cleanup();
    },
  };
}
