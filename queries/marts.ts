import type { DuckDBConnection } from '@duckdb/node-api';
import { getDataAsOf } from '../ingest/asOf.ts';
import { comparisonWindows } from './briefing-windows.ts';
import { one, run, transaction, type SqlParam } from '../src/db/sql.ts';
import { sqlParamName } from './module.ts';
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

/**
 * A mart of a module's figures (src/db/migrations/008_module_marts.sql). A module's SQL names it by the placeholder
 * comment `/*MART:name*\/`, which the runner replaces with the table `mart_<name>` when it holds the figures asked
 * for, else with `source` — the same macro, computed for the run's as_of and scope. Both texts use only the values
 * the runner binds ($as_of, $districts, the module's parameters and derived values, the thresholds).
 */
export interface MartDef {
  /** the relation for one run: the macro with the run's values */
  source: string;
  /** the relation the mart stores: the macro for the data-as-of date ($as_of), all districts, no window */
  build: string;
  /** thresholds the figures depend on: a change makes the mart unusable until the next refresh */
  thresholds: readonly ThresholdKey[];
  /** true: figures at the data-as-of date (another as_of is computed); false: independent of as_of */
  atAsOf: boolean;
  /** stored in this order, so that a window on this column reads few row groups */
  order?: string;
}

const OVERRUNS = `zj_measure_overruns($as_of::DATE, $districts, $measure_bail_months, $measure_rs_months,
  $measure_arrest_custody_months, $measure_detention_days, $measure_max_returns)`;

export const MARTS: Record<string, MartDef> = {
  measure_overruns: {
    source: OVERRUNS,
    build: OVERRUNS,
    thresholds: [
      'measure.bail_months',
      'measure.rs_months',
      'measure.arrest_custody_months',
      'measure.detention_days',
      'measure.max_returns',
    ],
    atAsOf: true,
  },
  decision_facts: {
    source: 'zj_decision_facts($districts)',
    build: 'zj_decision_facts($districts)',
    thresholds: [],
    atAsOf: false,
    order: 'decided_on',
  },
  receipts: {
    source: 'zj_receipts($districts, $from::DATE, $to::DATE)',
    build: 'zj_receipts($districts, NULL, NULL)',
    thresholds: [],
    atAsOf: false,
    order: 'received_on',
  },
  fast_track_marks: {
    source: 'zj_fast_track_marks($as_of::DATE, $districts)',
    build: 'zj_fast_track_marks($as_of::DATE, $districts)',
    thresholds: [],
    atAsOf: true,
  },
  measure_facts: {
    source: 'zj_measure_facts($districts)',
    build: 'zj_measure_facts($districts)',
    thresholds: [],
    atAsOf: false,
    order: 'start_on',
  },
  push_days: {
    source:
      'zj_push_days($districts, $from::DATE, $as_of::DATE, $data_flow_event_late_hours, $data_flow_record_late_days)',
    build: 'zj_push_days($districts, NULL, NULL, $data_flow_event_late_hours, $data_flow_record_late_days)',
    thresholds: ['data_flow.event_late_hours', 'data_flow.record_late_days'],
    atAsOf: false,
    order: 'occurred_on',
  },
};

type Thresholds = Record<ThresholdKey, number>;

// Marts are rebuilt after every ingest that loaded rows; the last batch in the fingerprint keeps a mart from
// answering for data it has not seen (rows written by other means than ingest leave it unusable, never wrong).
async function lastBatch(conn: DuckDBConnection): Promise<number> {
  const row = await one<{ b: number }>(conn, 'SELECT coalesce(max(batch_id), 0)::INTEGER AS b FROM batches');
  return row?.b ?? 0;
}

function fingerprintOf(keys: readonly ThresholdKey[], t: Thresholds, batch?: number): string {
  const parts = keys.map((k) => `${k}=${t[k]}`);
  if (batch !== undefined) parts.push(`batch=${batch}`);
  return parts.join(';');
}

async function martState(conn: DuckDBConnection, name: string) {
  return one<{ as_of: string; fingerprint: string }>(
    conn,
    'SELECT as_of::VARCHAR AS as_of, fingerprint FROM mart_state WHERE name = $n',
    { n: name },
  );
}

/** Whether mart_pending holds the deadlines for as_of under the current thresholds. */
export async function pendingMartFits(conn: DuckDBConnection, asOf: string): Promise<boolean> {
  return (await pendingRelation(conn, asOf, 'as_of', await readThresholds(conn))) === 'mart_pending';
}

/**
 * The past dates whose 挂案 deadlines mart_pending_at holds: those of the running year and the running quarter of the
 * data-as-of date — the overview's default period, and the period a quarterly joint meeting reports (its pack and
 * briefing). Per window: its first and last days and those of its 同比 and 环比 windows (for a running period, the
 * same days a year earlier and the days before it: queries/briefing-windows.ts). The data-as-of date itself is
 * mart_pending's. A quarter's pack at 1M computed six of these, 1.4 s of its time; each date adds ≈ 0.25 s to a
 * refresh.
 */
export function pendingDates(dataAsOf: string): string[] {
  const year = dataAsOf.slice(0, 4);
  const quarterStart = Math.floor((Number(dataAsOf.slice(5, 7)) - 1) / 3) * 3 + 1;
  const windows = [
    { from: `${year}-01-01`, to: dataAsOf },
    { from: `${year}-${String(quarterStart).padStart(2, '0')}-01`, to: dataAsOf },
  ];
  const dates = windows.flatMap((w) => {
    const { yoy, pop } = comparisonWindows(w);
    return [w.from, w.to, yoy.from, yoy.to, pop.from, pop.to];
  });
  return [...new Set(dates)].filter((d) => d < dataAsOf).sort();
}

/**
 * The relation of 挂案 deadlines at the date bound to $param (as_of, or a module's from): mart_pending for the
 * data-as-of date, mart_pending_at for one of pendingDates, else zj_pending computed — each only under the
 * thresholds and data it was built with.
 */
export async function pendingRelation(
  conn: DuckDBConnection,
  date: string,
  param: 'as_of' | 'from',
  t: Thresholds,
): Promise<string> {
  const print = fingerprintOf(PENDING_KEYS, t);
  const state = await martState(conn, 'pending');
  if (state?.fingerprint === print && state.as_of === date) return 'mart_pending';
  const at = await martState(conn, 'pending_at');
  const dates = at ? pendingDates(at.as_of) : [];
  if (
    dates.includes(date) &&
    at!.fingerprint === `${print};batch=${await lastBatch(conn)};dates=${dates.join(',')}`
  )
    return `(SELECT * EXCLUDE (as_of) FROM mart_pending_at WHERE as_of = $${param}::DATE)`;
  return `(SELECT * FROM ${PENDING_SOURCE.replace('$as_of', `$${param}`)})`;
}

/** Whether mart_<name> holds what a run at as_of would compute, under the thresholds t. */
export async function martFits(
  conn: DuckDBConnection,
  name: string,
  asOf: string,
  t: Thresholds,
): Promise<boolean> {
  const def = MARTS[name];
  if (!def) throw new Error(`unknown mart ${name}`);
  const state = await martState(conn, name);
  if (!state || (def.atAsOf && state.as_of !== asOf)) return false;
  return state.fingerprint === fingerprintOf(def.thresholds, t, await lastBatch(conn));
}

/** The relation a /*MART:name*\/ placeholder stands for in a run at as_of: the mart when it fits, else the macro. */
export async function martRelation(
  conn: DuckDBConnection,
  name: string,
  asOf: string,
  t: Thresholds,
): Promise<string> {
  return (await martFits(conn, name, asOf, t)) ? `mart_${name}` : `(SELECT * FROM ${MARTS[name]!.source})`;
}

/** Values for the $names a mart's build text uses: the data-as-of date, all districts and the thresholds. */
function buildParams(text: string, date: string, t: Thresholds): Record<string, SqlParam> {
  const available: Record<string, SqlParam> = { as_of: date, districts: [...ALL_DISTRICTS] };
  for (const [k, v] of Object.entries(t)) available[sqlParamName(k)] = v;
  const out: Record<string, SqlParam> = {};
  for (const [, w] of text.matchAll(/\$([a-z_][a-z0-9_]*)/g)) out[w!] = available[w!]!;
  return out;
}

/**
 * Rebuilds the marts for the data-as-of date (after every ingest command that loaded rows, and when thresholds
 * change). Returns the seconds it took, in all and per mart, which the benchmark reports apart from the load.
 */
export async function refreshMarts(
  conn: DuckDBConnection,
): Promise<{ seconds: number; marts: Record<string, number> }> {
  const started = performance.now();
  const { date } = await getDataAsOf(conn);
  if (!date) return { seconds: 0, marts: {} };
  const t = await readThresholds(conn);
  const print = fingerprintOf(PENDING_KEYS, t);
  const seconds: Record<string, number> = {};
  await transaction(conn, async () => {
    await run(conn, 'DELETE FROM mart_pending');
    await run(
      conn,
      `INSERT INTO mart_pending SELECT * FROM ${PENDING_SOURCE}`,
      buildParams(PENDING_SOURCE, date, t),
    );
    await run(conn, "DELETE FROM mart_state WHERE name = 'pending'");
    await run(conn, "INSERT INTO mart_state VALUES ('pending', $d::DATE, $f, now()::TIMESTAMP)", {
      d: date,
      f: print,
    });
  });
  seconds.pending = (performance.now() - started) / 1000;
  const batch = await lastBatch(conn);
  const t1 = performance.now();
  const dates = pendingDates(date);
  await transaction(conn, async () => {
    await run(conn, 'DELETE FROM mart_pending_at');
    for (const d of dates)
      await run(
        conn,
        `INSERT INTO mart_pending_at SELECT $as_of::DATE AS as_of, * FROM ${PENDING_SOURCE}`,
        buildParams(PENDING_SOURCE, d, t),
      );
    await run(conn, "DELETE FROM mart_state WHERE name = 'pending_at'");
    await run(conn, "INSERT INTO mart_state VALUES ('pending_at', $d::DATE, $f, now()::TIMESTAMP)", {
      d: date,
      f: `${print};batch=${batch};dates=${dates.join(',')}`,
    });
  });
  seconds.pending_at = (performance.now() - t1) / 1000;
  for (const [name, def] of Object.entries(MARTS)) {
    const t0 = performance.now();
    await transaction(conn, async () => {
      await run(conn, `DELETE FROM mart_${name}`);
      await run(
        conn,
        `INSERT INTO mart_${name} BY NAME SELECT * FROM ${def.build}${def.order ? ` ORDER BY ${def.order}` : ''}`,
        buildParams(def.build, date, t),
      );
      await run(conn, 'DELETE FROM mart_state WHERE name = $n', { n: name });
      await run(conn, 'INSERT INTO mart_state VALUES ($n, $d::DATE, $f, now()::TIMESTAMP)', {
        n: name,
        d: date,
        f: fingerprintOf(def.thresholds, t, batch),
      });
    });
    seconds[name] = (performance.now() - t0) / 1000;
  }
  return { seconds: (performance.now() - started) / 1000, marts: seconds };
}
