import type { DuckDBConnection } from '@duckdb/node-api';
import { all, one } from '../src/db/sql.ts';

export interface PreviousBatch {
  batch_id: number;
  rows_rejected: number;
}

/** The latest batch of the same file content into the same table, if any. */
export async function previousBatch(
  conn: DuckDBConnection,
  sha256: string,
  table: string,
): Promise<PreviousBatch | undefined> {
  return one<PreviousBatch>(
    conn,
    `SELECT batch_id, rows_rejected FROM batches WHERE sha256 = $s AND table_name = $t ORDER BY batch_id DESC LIMIT 1`,
    { s: sha256, t: table },
  );
}

/** Lines that the latest batch rejected: a reload of the file tries only these again. */
export async function pendingRejectLines(conn: DuckDBConnection, batchId: number): Promise<Set<number>> {
  const rows = await all<{ line: number }>(conn, 'SELECT DISTINCT line FROM rejects WHERE batch_id = $b', {
    b: batchId,
  });
  return new Set(rows.map((r) => r.line));
}

export interface RejectRow {
  line: number;
  column: string | null;
  reason: string;
}

export async function batchRejects(
  conn: DuckDBConnection,
  batchId: number,
  limit = 100,
): Promise<RejectRow[]> {
  return all<RejectRow>(
    conn,
    `SELECT line, column_name AS "column", reason FROM rejects WHERE batch_id = $b ORDER BY line, column_name LIMIT $l`,
    { b: batchId, l: limit },
  );
}
