import type { DuckDBConnection } from '@duckdb/node-api';
import { getDataAsOf } from '../ingest/asOf.ts';
import { one, run, transaction } from '../src/db/sql.ts';
import { ALL_DISTRICTS } from './scope.ts';
import { readThresholds, type ThresholdKey } from './thresholds.ts';

const PENDING_KEYS: ThresholdKey[] = [
  'pending.rule_a_months',
  'pending.rule_b_months',
  'pending.rule_c_months',
  'measure.bail_months',
  'measure.rs_months',
];

/** The zj_pending call for as_of, with the threshold parameters named as the runner binds them. */
export const PENDING_SOURCE =
  'zj_pending($as_of::DATE, $districts, $pending_rule_a_months, $pending_rule_b_months, $pending_rule_c_months, $measure_bail_months, $measure_rs_months)';

async function fingerprint(conn: DuckDBConnection): Promise<string> {
  const t = await readThresholds(conn);
  return PENDING_KEYS.map((k) => `${k}=${t[k]}`).join(';');
}

/** Whether mart_pending holds the deadlines for as_of under the current thresholds. */
export async function pendingMartFits(conn: DuckDBConnection, asOf: string): Promise<boolean> {
  const state = await one<{ as_of: string; fingerprint: string }>(
    conn,
    "SELECT as_of::VARCHAR AS as_of, fingerprint FROM mart_state WHERE name = 'pending'",
  );
  return state?.as_of === asOf && state.fingerprint === (await fingerprint(conn));
}

/**
 * Rebuilds the marts for the data-as-of date (after every ingest command that loaded rows, and when thresholds
 * change). Returns the seconds it took, which the benchmark reports apart from the load itself.
 */
export async function refreshMarts(conn: DuckDBConnection): Promise<{ seconds: number }> {
  const started = performance.now();
  const { date } = await getDataAsOf(conn);
  if (!date) return { seconds: 0 };
  const t = await readThresholds(conn);
  const print = await fingerprint(conn);
  await transaction(conn, async () => {
    await run(conn, 'DELETE FROM mart_pending');
    await run(conn, `INSERT INTO mart_pending SELECT * FROM ${PENDING_SOURCE}`, {
      as_of: date,
      districts: ALL_DISTRICTS,
      pending_rule_a_months: t['pending.rule_a_months'],
      pending_rule_b_months: t['pending.rule_b_months'],
      pending_rule_c_months: t['pending.rule_c_months'],
      measure_bail_months: t['measure.bail_months'],
      measure_rs_months: t['measure.rs_months'],
    });
    await run(conn, "DELETE FROM mart_state WHERE name = 'pending'");
    await run(conn, "INSERT INTO mart_state VALUES ('pending', $d::DATE, $f, now()::TIMESTAMP)", {
      d: date,
      f: print,
    });
  });
  return { seconds: (performance.now() - started) / 1000 };
}
