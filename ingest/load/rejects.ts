import type { DuckDBConnection } from '@duckdb/node-api';
import { all, run } from '../../src/db/sql.ts';
import type { Malformed } from '../read/index.ts';
import { MSG } from '../validate/messages.ts';
import { Params } from '../validate/params.ts';
import { rejectValuesSql, type TypingOptions } from '../validate/typedSql.ts';
import type { TableName } from '../contract/tables.ts';
import type { CleanedSource } from './merge.ts';

/**
 * Stores the batch's rejected rows — value and reference errors from `chk`, differing duplicates from `ranked`,
 * malformed records from the reader — with file line, column, reason and the privacy-treated values. Returns the
 * number of rejected rows.
 */
export async function storeRejects(
  conn: DuckDBConnection,
  table: TableName,
  key: string,
  cleaned: CleanedSource,
  typing: TypingOptions,
  batchId: number,
  lineOf: (row: number) => number,
  malformed: readonly Malformed[],
): Promise<number> {
  let p = new Params();
  await run(
    conn,
    `CREATE TEMP TABLE rej AS
     SELECT __row, e.column AS column_name, e.reason AS reason, NULL::BIGINT AS keeper
       FROM (SELECT __row, unnest(__errors) AS e FROM chk WHERE len(__errors) > 0)
     UNION ALL
     SELECT __row, ${p.add(key)}, ${p.add(MSG.duplicate)}, __keeper FROM ranked WHERE NOT __same`,
    p.values,
  );
  // Lines come from the reader's row → line map; only the rows that need one are looked up.
  const needed = await all<{ r: number }>(
    conn,
    'SELECT DISTINCT __row AS r FROM rej UNION SELECT DISTINCT keeper FROM rej WHERE keeper IS NOT NULL',
  );
  if (needed.length > 0) {
    const rows = needed.map((x) => x.r);
    await run(
      conn,
      'CREATE TEMP TABLE rowline AS SELECT unnest($r)::BIGINT AS __row, unnest($l)::BIGINT AS line',
      {
        r: rows,
        l: rows.map(lineOf),
      },
    );
    p = new Params();
    const source = cleaned(p);
    await run(
      conn,
      `INSERT INTO rejects
       SELECT $batch, rl.line, rej.column_name,
              CASE WHEN rej.keeper IS NULL THEN rej.reason ELSE rej.reason || kl.line || ${p.add(MSG.duplicateTail)} END,
              v.row_values
       FROM rej JOIN rowline rl ON rl.__row = rej.__row
       LEFT JOIN rowline kl ON kl.__row = rej.keeper
       JOIN (SELECT c.__row, ${rejectValuesSql(table, p, typing, 'c')} AS row_values
             FROM (${source}) c WHERE c.__row IN (SELECT __row FROM rej)) v ON v.__row = rej.__row`,
      { ...p.values, batch: batchId },
    );
  }
  if (malformed.length > 0) {
    await run(conn, 'INSERT INTO rejects SELECT $b, unnest($l), NULL, unnest($r), NULL', {
      b: batchId,
      l: malformed.map((m) => m.line),
      r: malformed.map((m) => m.reason),
    });
  }
  const [r] = await all<{ n: number }>(conn, 'SELECT count(DISTINCT __row) AS n FROM rej');
  return r!.n + malformed.length;
}

export const REJECT_TEMP_TABLES = ['rej', 'rowline'];
