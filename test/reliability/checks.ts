import { schemas } from '../../ingest/contract/tables.ts';
import { databaseDigest } from '../../src/cli/commands/backup.ts';
import { openDatabase, type Database } from '../../src/db/open.ts';
import { all } from '../../src/db/sql.ts';

/** The exchange tables: the only ones a load writes rows into (names from the contract, never from input). */
export const EXCHANGE_TABLES = Object.keys(schemas);

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface LedgerBatch {
  batch_id: number;
  table_name: string;
  rows_loaded: number;
  rows_updated: number;
}

export interface DatabaseState {
  ledger: LedgerBatch[];
  /** the loaded content, batch ids left out (spec: same files → same content, whatever batches carried them) */
  content: string;
}

/**
 * Content hash of the exchange tables with `batch_id` projected away: a reload after crashes writes the same rows
 * under other batch numbers. Reuses the backup's order-independent table digest on a scratch in-memory copy.
 */
export async function contentHash(db: Database): Promise<string> {
  await db.conn.run("ATTACH ':memory:' AS zj_projection");
  try {
    for (const t of EXCHANGE_TABLES)
      await db.conn.run(
        `CREATE TABLE zj_projection.main.${q(t)} AS SELECT * EXCLUDE (batch_id) FROM main.${q(t)}`,
      );
    return (await databaseDigest(db.conn, 'zj_projection')).content_sha256;
  } finally {
    await db.conn.run('DETACH zj_projection');
  }
}

/**
 * Opens the database after a kill and checks the crash invariants; returns the violations (empty when sound) and
 * the state for later comparisons.
 * - it opens at all;
 * - all or nothing: every row of an exchange table belongs to a batch in the ledger, and each batch's row count
 *   equals what the ledger says it wrote (rows_loaded + rows_updated: the files here never touch each other's rows);
 * - no reject without its batch;
 * - every batch acknowledged to a client (`acknowledged`) or seen committed before (`seen`) is still there, unchanged.
 */
export async function checkDatabase(
  dbPath: string,
  acknowledged: LedgerBatch[],
  seen: LedgerBatch[],
): Promise<{ violations: string[]; state?: DatabaseState }> {
  let db: Database;
  try {
    db = await openDatabase(dbPath);
  } catch (e) {
    return { violations: [`数据库无法打开：${(e as Error).message.split('\n')[0]}`] };
  }
  const violations: string[] = [];
  try {
    const ledger = await all<LedgerBatch>(
      db.conn,
      'SELECT batch_id, table_name, rows_loaded, rows_updated FROM batches ORDER BY batch_id',
    );
    const byId = new Map(ledger.map((b) => [b.batch_id, b]));
    for (const t of EXCHANGE_TABLES) {
      const counts = await all<{ batch_id: number; n: number }>(
        db.conn,
        `SELECT batch_id, count(*)::INTEGER AS n FROM main.${q(t)} GROUP BY batch_id`,
      );
      const present = new Map(counts.map((c) => [c.batch_id, c.n]));
      for (const [id, n] of present) {
        const b = byId.get(id);
        if (!b || b.table_name !== t)
          violations.push(`${t}：${n} 行属于台账中没有的批次 ${id}（写了一半的批次）`);
      }
      for (const b of ledger.filter((x) => x.table_name === t)) {
        const n = present.get(b.batch_id) ?? 0;
        if (n !== b.rows_loaded + b.rows_updated)
          violations.push(
            `${t}：批次 ${b.batch_id} 台账记 ${b.rows_loaded + b.rows_updated} 行，表中 ${n} 行`,
          );
      }
    }
    const [orphans] = await all<{ n: number }>(
      db.conn,
      'SELECT count(*)::INTEGER AS n FROM rejects WHERE batch_id NOT IN (SELECT batch_id FROM batches)',
    );
    if (orphans!.n > 0) violations.push(`rejects：${orphans!.n} 条拒绝记录没有对应批次`);
    for (const [kind, list] of [
      ['已确认', acknowledged],
      ['已提交', seen],
    ] as const) {
      for (const a of list) {
        const b = byId.get(a.batch_id);
        if (!b || b.table_name !== a.table_name || b.rows_loaded !== a.rows_loaded)
          violations.push(`${kind}的批次 ${a.batch_id}（${a.table_name}，${a.rows_loaded} 行）丢失或被改动`);
      }
    }
    return { violations, state: { ledger, content: await contentHash(db) } };
  } finally {
    db.close();
  }
}

/** The batches a client was told about: the `--json` document of `zhenjian ingest`, or the upload's result event. */
export function acknowledgedBatches(result: unknown): LedgerBatch[] {
  const batches = (result as { batches?: Record<string, unknown>[] } | undefined)?.batches ?? [];
  return (
    batches
      // a skipped file (same content loaded before) reports the earlier batch: that one was checked when it was new
      .filter((b) => b.status === 'loaded' && typeof b.batch_id === 'number')
      .map((b) => ({
        batch_id: b.batch_id as number,
        table_name: b.table as string,
        rows_loaded: b.rows_loaded as number,
        rows_updated: b.rows_updated as number,
      }))
  );
}
