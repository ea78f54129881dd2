import { describe, expect, it } from 'vitest';
import { MARTS, martFits, pendingDates } from '../../queries/marts.ts';
import { runModule } from '../../queries/run.ts';
import { ALL_DISTRICTS } from '../../queries/scope.ts';
import { readThresholds } from '../../queries/thresholds.ts';
import type { Database } from '../../src/db/open.ts';
import { withDatabase } from '../helpers/db.ts';
import { loadModuleFixture } from '../helpers/modules.ts';

// Each module that reads a mart, on its fixture at the fixture's data-as-of date, with parameters that reach every
// branch of its SQL; the scopes include a partial one, since the mart is built for all districts and filtered.
const CASES: {
  module: string;
  fixture: string;
  asOf: string;
  marts: string[];
  params: Record<string, unknown>[];
}[] = [
  {
    module: 'measure-overruns',
    fixture: 'measures/overruns',
    asOf: '2025-06-30',
    marts: ['measure_overruns'],
    params: [{}],
  },
  {
    module: 'decision-rates',
    fixture: 'decisions/rates',
    asOf: '2024-12-31',
    marts: ['decision_facts'],
    params: [{}, { group_by: 'all' }, { group_by: 'month' }, { group_by: 'chapter', from: '2023-07-01' }],
  },
  {
    module: 'objections',
    fixture: 'supervision/objections',
    asOf: '2024-12-31',
    marts: ['decision_facts'],
    params: [{}, { summary: true }],
  },
  {
    module: 'file-receipt',
    fixture: 'decisions/receipt',
    asOf: '2024-12-31',
    marts: ['receipts'],
    params: [{}, { all: true, from: '2023-12-31' }],
  },
  {
    module: 'fast-track-48h',
    fixture: 'measures/fast-track',
    asOf: '2025-06-30',
    marts: ['fast_track_marks'],
    params: [{}, { clock_start: 'filing' }, { summary: true }],
  },
  {
    module: 'measure-use',
    fixture: 'briefing',
    asOf: '2025-03-31',
    marts: ['measure_facts'],
    params: [
      { from: '2025-01-01', to: '2025-03-31' },
      { from: '2024-10-01', to: '2025-03-31', group_by: 'police_unit' },
      { group_by: 'month', decided_by: '检察' },
    ],
  },
  {
    module: 'data-flow-lag',
    fixture: 'measures/data-flow',
    asOf: '2025-06-30',
    marts: ['push_days'],
    params: [{}, { from: '2025-06-01' }, { as_of: '2025-06-29' }],
  },
];

const SCOPES = [ALL_DISTRICTS, ['110105'], ['110108', '110101']];

async function load(db: Database, fixture: string, asOf: string) {
  await loadModuleFixture(db, `test/fixtures/modules/${fixture}`, asOf);
}

describe('marts give exactly what the modules compute without them', () => {
  for (const c of CASES) {
    it(`${c.module}: from the mart and computed on the fly, the same rows`, async () => {
      await withDatabase(async (db) => {
        await load(db, c.fixture, c.asOf);
        const t = await readThresholds(db.conn);
        for (const m of c.marts) expect(await martFits(db.conn, m, c.asOf, t)).toBe(true);
        const fromMart = [];
        for (const p of c.params)
          for (const d of SCOPES)
            fromMart.push((await runModule(db.conn, c.module, p, { districts: d })).rows);
        expect(fromMart.some((rows) => rows.length > 0)).toBe(true);
        // without a mart state row every mart is unusable, so the runner computes
        await db.conn.run("DELETE FROM mart_state WHERE name <> 'pending'");
        for (const m of c.marts) expect(await martFits(db.conn, m, c.asOf, t)).toBe(false);
        const computed = [];
        for (const p of c.params)
          for (const d of SCOPES)
            computed.push((await runModule(db.conn, c.module, p, { districts: d })).rows);
        expect(computed).toEqual(fromMart);
      });
    });
  }

  it('a module reads its mart while it fits, and stops when thresholds, as_of or the data change', async () => {
    await withDatabase(async (db) => {
      await load(db, 'measures/overruns', '2025-06-30');
      const rows = async (p: Record<string, unknown> = {}) =>
        (await runModule(db.conn, 'measure-overruns', p, { districts: ALL_DISTRICTS })).rows;
      const all = await rows();
      expect(all.length).toBeGreaterThan(0);
      // emptied behind the runner's back: an answer of no rows proves the mart is what was read
      await db.conn.run('DELETE FROM mart_measure_overruns');
      expect(await rows()).toEqual([]);
      // another as_of is computed (the same date spelled out is the mart's own)
      expect(await rows({ as_of: '2025-06-30' })).toEqual([]);
      expect((await rows({ as_of: '2025-06-29' })).length).toBeGreaterThan(0);
      // a threshold the mart depends on changed: computed until the next refresh
      // (M5, 监视居住 2023-08-31 lifted 2024-03-01, is within 12 months: one finding fewer)
      await db.conn.run("UPDATE thresholds SET value = 12 WHERE key = 'measure.rs_months'");
      expect((await rows()).map((r) => r.measure_id)).toEqual(
        all.map((r) => r.measure_id).filter((id) => id !== 'M5'),
      );
      await db.conn.run("UPDATE thresholds SET value = 6 WHERE key = 'measure.rs_months'");
      expect(await rows()).toEqual([]);
      // a batch the mart has not seen
      await db.conn.run(
        `INSERT INTO batches SELECT batch_id + 100, file_name, sha256, table_name, format, encoding, mapping_sha256,
           retry_of, rows_read, rows_loaded, rows_updated, rows_unchanged, rows_rejected, extra_columns, loaded_by,
           started_at, finished_at FROM batches ORDER BY batch_id DESC LIMIT 1`,
      );
      expect(await rows()).toEqual(all);
    });
  });

  it('names every mart the migration creates, and each builds for an empty database', async () => {
    await withDatabase(async (db) => {
      const tables = (
        await db.conn.runAndReadAll(
          "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'mart\\_%' ESCAPE '\\'",
        )
      )
        .getRows()
        .map((r) => String(r[0]));
      expect(tables.sort()).toEqual(
        [
          'mart_pending',
          'mart_pending_at',
          'mart_state',
          ...Object.keys(MARTS).map((n) => `mart_${n}`),
        ].sort(),
      );
    });
  });

  it('挂案 at the comparison dates of the overview and the quarter: worked by hand, year end and leap day included', () => {
    // a running half year: 2025-01-01..06-30 (181 days); 同比 2024-01-01..06-30; 环比 the 181 days before 2025-01-01;
    // its quarter 2025-04-01..06-30: 同比 2024-04-01..06-30, 环比 the first quarter 2025-01-01..03-31
    expect(pendingDates('2025-06-30')).toEqual([
      '2024-01-01',
      '2024-04-01',
      '2024-06-30',
      '2024-07-04',
      '2024-12-31',
      '2025-01-01',
      '2025-03-31',
      '2025-04-01',
    ]);
    // a whole year: its 环比 is the previous year, the same window as its 同比; the fourth quarter: 同比
    // 2024-10-01..12-31, 环比 2025-07-01..09-30
    expect(pendingDates('2025-12-31')).toEqual([
      '2024-01-01',
      '2024-10-01',
      '2024-12-31',
      '2025-01-01',
      '2025-07-01',
      '2025-09-30',
      '2025-10-01',
    ]);
    // 2024-01-01..02-29 is 60 days: 同比 ends 2023-02-28, 环比 is 2023-11-02..12-31; the running first quarter is
    // the same window
    expect(pendingDates('2024-02-29')).toEqual([
      '2023-01-01',
      '2023-02-28',
      '2023-11-02',
      '2023-12-31',
      '2024-01-01',
    ]);
  });

  it('pending-cases and pending-clearance at those dates read mart_pending_at, with the rows computed otherwise', async () => {
    await withDatabase(async (db) => {
      await load(db, 'measures/clearance', '2025-06-30');
      const runs = async () => {
        const out = [];
        for (const d of SCOPES) {
          out.push(
            (await runModule(db.conn, 'pending-cases', { as_of: '2024-12-31' }, { districts: d })).rows,
          );
          out.push(
            (await runModule(db.conn, 'pending-cases', { as_of: '2024-06-30' }, { districts: d })).rows,
          );
          const clearance = { from: '2025-01-01', to: '2025-06-30' };
          out.push((await runModule(db.conn, 'pending-clearance', clearance, { districts: d })).rows);
          const lastYear = { from: '2024-01-01', to: '2024-06-30' };
          out.push((await runModule(db.conn, 'pending-clearance', lastYear, { districts: d })).rows);
          // the running quarter's pack: clearance from 2025-04-01, and its 环比 quarter
          const quarter = { from: '2025-04-01', to: '2025-06-30' };
          out.push((await runModule(db.conn, 'pending-clearance', quarter, { districts: d })).rows);
          const firstQuarter = { from: '2025-01-01', to: '2025-03-31', as_of: '2025-03-31' };
          out.push((await runModule(db.conn, 'pending-clearance', firstQuarter, { districts: d })).rows);
        }
        return out;
      };
      const fromMart = await runs();
      expect(fromMart[2]!.length).toBeGreaterThan(0); // flagged at 2025-01-01, all districts
      const stored = await db.conn.runAndReadAll('SELECT count(*)::INTEGER FROM mart_pending_at');
      expect(Number(stored.getRows()[0]![0])).toBeGreaterThan(0);
      // without its state row the mart is unusable: computed, and the same
      await db.conn.run("DELETE FROM mart_state WHERE name = 'pending_at'");
      expect(await runs()).toEqual(fromMart);
      // with the state row back and the rows gone, what the modules show is the mart's (empty): it is what they read
      await db.conn.run('DELETE FROM mart_pending_at');
      await db.conn.run(
        `INSERT INTO mart_state SELECT 'pending_at', as_of, fingerprint || ';batch=' || (SELECT max(batch_id) FROM batches) || ';dates=${pendingDates('2025-06-30').join(',')}', now()::TIMESTAMP FROM mart_state WHERE name = 'pending'`,
      );
      expect((await runs()).every((rows) => rows.length === 0)).toBe(true);
      // another date is not among them: computed
      const other = await runModule(
        db.conn,
        'pending-clearance',
        { from: '2025-01-02' },
        { districts: ALL_DISTRICTS },
      );
      expect(other.rows.length).toBeGreaterThan(0);
    });
  });
});
