import type { DuckDBConnection } from '@duckdb/node-api';
import { one, run } from '../src/db/sql.ts';

export interface DataAsOf {
  date: string | null;
  source: 'explicit' | 'computed' | 'none';
}

async function setSetting(conn: DuckDBConnection, key: string, value: string) {
  await run(conn, 'DELETE FROM settings WHERE key = $k', { k: key });
  await run(conn, 'INSERT INTO settings VALUES ($k, $v, now()::TIMESTAMP)', { k: key, v: value });
}

/** `ingest --as-of DATE` pins the data-as-of date until another --as-of (contract.md). */
export async function pinDataAsOf(conn: DuckDBConnection, date: string): Promise<void> {
  await setSetting(conn, 'data_as_of', date);
}

/**
 * Without a pinned date, the data-as-of date is the latest date on which something in the loaded data happened,
 * not after the day of loading; due dates and app-kept records never count (contract.md).
 */
export async function refreshDataAsOf(conn: DuckDBConnection, today: string): Promise<DataAsOf> {
  const row = await one<{ d: string | null }>(
    conn,
    `SELECT max(d)::VARCHAR AS d FROM (
       SELECT max(filed_on) AS d FROM cases WHERE filed_on <= $t::DATE
       UNION ALL SELECT max(closed_on) FROM cases WHERE closed_on <= $t::DATE
       UNION ALL SELECT max(start_on) FROM measures WHERE start_on <= $t::DATE
       UNION ALL SELECT max(end_on) FROM measures WHERE end_on <= $t::DATE
       UNION ALL SELECT max(decided_on) FROM decisions WHERE decided_on <= $t::DATE
       UNION ALL SELECT max(issued_on) FROM supervision WHERE issued_on <= $t::DATE
       UNION ALL SELECT max(replied_on) FROM supervision WHERE replied_on <= $t::DATE
       UNION ALL SELECT max(occurred_at::DATE) FROM events WHERE occurred_at::DATE <= $t::DATE)`,
    { t: today },
  );
  if (row?.d) await setSetting(conn, 'data_as_of_computed', row.d);
  return getDataAsOf(conn);
}

export async function getDataAsOf(conn: DuckDBConnection): Promise<DataAsOf> {
  const pinned = await one<{ value: string }>(conn, "SELECT value FROM settings WHERE key = 'data_as_of'");
  if (pinned) return { date: pinned.value, source: 'explicit' };
  const computed = await one<{ value: string }>(
    conn,
    "SELECT value FROM settings WHERE key = 'data_as_of_computed'",
  );
  return computed ? { date: computed.value, source: 'computed' } : { date: null, source: 'none' };
}
