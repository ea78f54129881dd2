import type { DuckDBConnection } from '@duckdb/node-api';
import type { z } from 'zod';
import { UserError } from '../db/errors.ts';
import { all, run, transaction, type SqlParam } from '../db/sql.ts';
import {
  appRecords,
  inspectionCampaign,
  inspectionFinding,
  meeting,
  meetingAction,
  review,
  reviewCampaign,
  reviewFinding,
  type AppRecords,
} from './schemas.ts';

type Table = keyof AppRecords;
export type AppTable = Table;
const KEYS: Record<Table, string> = {
  review_campaigns: 'review_campaign_id',
  reviews: 'review_id',
  review_findings: 'review_finding_id',
  inspection_campaigns: 'inspection_campaign_id',
  inspection_findings: 'inspection_finding_id',
  meetings: 'meeting_id',
  meeting_actions: 'action_id',
};
// Parents come first so that a record never points at one that is not stored yet.
const ORDER: Table[] = [
  'review_campaigns',
  'reviews',
  'review_findings',
  'inspection_campaigns',
  'inspection_findings',
  'meetings',
  'meeting_actions',
];
const SCHEMAS: Record<Table, z.ZodType> = {
  review_campaigns: reviewCampaign,
  reviews: review,
  review_findings: reviewFinding,
  inspection_campaigns: inspectionCampaign,
  inspection_findings: inspectionFinding,
  meetings: meeting,
  meeting_actions: meetingAction,
};
const NESTED = new Set(['population', 'sample', 'criteria', 'matched', 'pack', 'topics']);

/** Columns of an app table, in the table's order (from the database, so the two cannot drift). */
async function columns(conn: DuckDBConnection, table: Table): Promise<string[]> {
  const rows = await all<{ column_name: string }>(
    conn,
    "SELECT column_name FROM duckdb_columns() WHERE table_name = $t AND schema_name = 'main' ORDER BY column_index",
    { t: table },
  );
  return rows.map((r) => r.column_name);
}

/**
 * Inserts app-kept records that are not stored yet (by key); returns how many were added per table. Validation is
 * the API's zod schema; nested values are kept as JSON text. One transaction.
 */
export async function importAppRecords(
  conn: DuckDBConnection,
  input: unknown,
): Promise<Record<Table, number>> {
  const parsed = appRecords.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new UserError(
      `系统记录文件有误：${first.path.join('.')}：${first.message}。`,
      `Invalid app records: ${first.path.join('.')}: ${first.message}`,
      2,
    );
  }
  const added = Object.fromEntries(ORDER.map((t) => [t, 0])) as Record<Table, number>;
  await transaction(conn, async () => {
    for (const table of ORDER) {
      const cols = await columns(conn, table);
      const key = KEYS[table];
      const existing = new Set(
        (await all<{ k: string }>(conn, `SELECT "${key}" AS k FROM "${table}"`)).map((r) => r.k),
      );
      for (const rec of parsed.data[table] as Record<string, unknown>[]) {
        if (existing.has(rec[key] as string)) continue;
        const values: Record<string, SqlParam> = {};
        for (const c of cols) {
          const v = rec[c];
          values[c] =
            v === undefined ? null : NESTED.has(c) && v !== null ? JSON.stringify(v) : (v as SqlParam);
        }
        await run(
          conn,
          `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((c) => `$${c}`).join(', ')})`,
          values,
        );
        added[table]++;
      }
    }
  });
  return added;
}

/**
 * Inserts one record written through the API, validated by the same schema as a record of app-records.json (the
 * element schema of its table), so that the two ways in can never store different shapes. Returns the record as
 * stored (defaults applied, 瑕疵 as 基本合格). A record that fails here is a programming error: the routes validate
 * the request first, with messages for the user.
 */
export async function insertAppRecord(
  conn: DuckDBConnection,
  table: Table,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const rec = SCHEMAS[table].parse(input) as Record<string, unknown>;
  const cols = await columns(conn, table);
  const values: Record<string, SqlParam> = {};
  for (const c of cols) {
    const v = rec[c];
    values[c] = v === undefined ? null : NESTED.has(c) && v !== null ? JSON.stringify(v) : (v as SqlParam);
  }
  await run(
    conn,
    `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((c) => `$${c}`).join(', ')})`,
    values,
  );
  return rec;
}
