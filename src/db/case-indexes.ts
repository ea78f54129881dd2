import type { DuckDBConnection } from '@duckdb/node-api';
import { all, run } from './sql.ts';

/**
 * ART indexes for reading one case (GET /cases/:id and the case-timeline module): at 1M cases a point read of
 * events by case_id takes 1.5 ms through the index and 26 ms by scanning; the whole case detail went from ≈ 290 ms
 * to ≈ 40 ms (docs/benchmarks.md). Zone maps cannot do this: DuckDB keeps only an 8-byte prefix of a VARCHAR's
 * min/max per row group, and every case_id of a district and decade shares its first 8 bytes ("A1101012…").
 *
 * They are kept out of migrations on purpose. Inserting millions of rows into an indexed table holds the whole
 * index in memory, and a 1M-case load ran out of ingest's 512 MB limit; building the index after the load stays
 * within it (9.5 s for all seven at 1M). So ingest drops a table's index before a bulk load
 * (`dropIndexForBulkLoad`) and `ensureCaseIndexes` builds whatever is missing afterwards, and at every start
 * (initDatabase), which also covers a load killed between the two. An index that cannot be built (out of memory)
 * is left out: the queries give the same rows without it, only slower.
 *
 * Not UNIQUE: keys are kept unique by ingest's anti-joins (migration 002). DuckDB refuses ALTER TABLE on a table
 * with an index: a later migration that alters one of these tables drops its index first; the next start builds
 * it again.
 */
export const CASE_INDEXES = [
  { name: 'zj_cases_case_id', table: 'cases', column: 'case_id' },
  { name: 'zj_suspects_case_id', table: 'suspects', column: 'case_id' },
  { name: 'zj_measures_suspect_id', table: 'measures', column: 'suspect_id' },
  { name: 'zj_decisions_case_id', table: 'decisions', column: 'case_id' },
  { name: 'zj_supervision_case_id', table: 'supervision', column: 'case_id' },
  { name: 'zj_events_case_id', table: 'events', column: 'case_id' },
  { name: 'zj_property_case_id', table: 'property', column: 'case_id' },
] as const;

/** A load of at least this many rows drops its table's index and has it rebuilt after the load. */
export const BULK_LOAD_ROWS = 100_000;

export interface IndexResult {
  created: string[];
  seconds: number;
  /** the index that could not be built, and DuckDB's reason */
  failed?: { name: string; reason: string };
}

async function existing(conn: DuckDBConnection): Promise<Set<string>> {
  const rows = await all<{ index_name: string }>(
    conn,
    "SELECT index_name FROM duckdb_indexes() WHERE schema_name = 'main'",
  );
  return new Set(rows.map((r) => r.index_name));
}

/** Builds the case indexes that are missing, each in its own statement; stops at the first that fails. */
export async function ensureCaseIndexes(conn: DuckDBConnection): Promise<IndexResult> {
  const started = performance.now();
  const have = await existing(conn);
  const created: string[] = [];
  for (const ix of CASE_INDEXES) {
    if (have.has(ix.name)) continue;
    try {
      await run(conn, `CREATE INDEX ${ix.name} ON ${ix.table} (${ix.column})`);
      created.push(ix.name);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      if (!/out of memory/i.test(reason)) throw e;
      return { created, seconds: (performance.now() - started) / 1000, failed: { name: ix.name, reason } };
    }
  }
  return { created, seconds: (performance.now() - started) / 1000 };
}

/** Within a load's transaction: drops the table's case index when the load is bulk (rolled back with the load). */
export async function dropIndexForBulkLoad(
  conn: DuckDBConnection,
  table: string,
  rows: number,
): Promise<boolean> {
  const ix = CASE_INDEXES.find((x) => x.table === table);
  if (!ix || rows < BULK_LOAD_ROWS) return false;
  await run(conn, `DROP INDEX IF EXISTS ${ix.name}`);
  return true;
}
