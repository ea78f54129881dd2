import type { DuckDBConnection } from '@duckdb/node-api';
import { all, one, run } from '../../src/db/sql.ts';
import type { TableName } from '../contract/tables.ts';
import { Params } from '../validate/params.ts';
import { typedSql, type TypingOptions } from '../validate/typedSql.ts';
import {
  checkSql,
  countsSql,
  deleteUpdatedSql,
  duplicateCheckSql,
  excludedSql,
  existingSql,
  finalRowsSql,
  insertSql,
  rankSql,
  storedMatchesSql,
} from './mergeSql.ts';
import { otherChargesSql } from './otherChargesSql.ts';

export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Builds the SQL of the cleaned text with fresh parameters each time it is embedded. */
export type CleanedSource = (p: Params) => string;

/**
 * Checks the staged rows and merges the valid ones into `table` (inside the caller's transaction). Leaves the temp
 * tables `chk` (errors per row) and `ranked` (losing duplicates) for the reject report.
 */
export async function mergeStaged(
  conn: DuckDBConnection,
  table: TableName,
  cleaned: CleanedSource,
  typing: TypingOptions,
  batchId: number,
): Promise<MergeCounts> {
  const final = (p: Params) => finalRowsSql(table, typedSql(table, cleaned(p), p, typing));
  let p = new Params();
  if (table === 'cases') await run(conn, `CREATE TEMP TABLE oc AS ${otherChargesSql(cleaned(p))}`, p.values);
  p = new Params();
  await run(conn, `CREATE TEMP TABLE chk AS ${checkSql(table, final(p), p)}`, p.values);

  const dup = (await one<{ dup: boolean }>(conn, duplicateCheckSql))!.dup;
  p = new Params();
  await run(
    conn,
    dup
      ? `CREATE TEMP TABLE ranked AS ${rankSql(table, final(p))}`
      : 'CREATE TEMP TABLE ranked (__row BIGINT, __rank BIGINT, __keeper BIGINT, __same BOOLEAN)',
    p.values,
  );

  await run(conn, `CREATE TEMP TABLE matches AS ${storedMatchesSql(table)}`);
  const untimed = (await one<{ n: number }>(
    conn,
    'SELECT count(*) AS n FROM matches WHERE __updated IS NULL AND __stored_updated IS NULL',
  ))!.n;
  p = new Params();
  await run(
    conn,
    `CREATE TEMP TABLE existing AS ${existingSql(table, untimed > 0 ? final(p) : null)}`,
    p.values,
  );
  await run(conn, `CREATE TEMP TABLE excluded AS ${excludedSql}`);

  await run(conn, deleteUpdatedSql(table));
  p = new Params();
  await run(conn, insertSql(table, final(p), '$batch'), { ...p.values, batch: batchId });

  const [c] = await all<MergeCounts & { same_dups: number }>(conn, countsSql);
  return { inserted: c!.inserted, updated: c!.updated, unchanged: c!.unchanged + c!.same_dups };
}

export const MERGE_TEMP_TABLES = ['oc', 'chk', 'ranked', 'matches', 'existing', 'excluded'];
