import { describe, expect, it } from 'vitest';
import { runModule } from '../../queries/run.ts';
import { ALL_DISTRICTS } from '../../queries/scope.ts';
import { withDatabase } from '../helpers/db.ts';
import { loadModuleFixture } from '../helpers/modules.ts';

const values = (rows: Record<string, unknown>[]) =>
  Object.fromEntries(rows.map((r) => [r.metric, [r.value, r.yoy_value, r.pop_value]]));

describe('joint-meeting-pack (京检发〔2022〕169号 第22条), worked by hand for 2025Q2', () => {
  it('shows each figure with the same quarter of 2024 (同比) and 2025Q1 (环比)', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, 'test/fixtures/modules/pack', '2025-06-30');
      const r = await runModule(
        db.conn,
        'joint-meeting-pack',
        { period: '2025Q2' },
        { districts: ALL_DISTRICTS },
      );
      expect(values(r.rows)).toEqual({
        // filed in Q2 2025: K1, K2, K3 (06-30, the last day); Q2 2024: K5; Q1 2025: K4 (03-31)
        filings: [3, 1, 1],
        // D1 不批准逮捕 and D2 批准逮捕 in Q2 2025: 1/2; no decisions in the other windows → NULL, not 0
        non_arrest_rate: [0.5, null, null],
        non_prosecution_rate: [null, null, null],
        return_rate: [null, null, null],
        // at 06-30: K6 (Rule C, due 2025-01-01); at 2024-06-30: none due yet; at 03-31: K6 and K7 (due 02-01)
        pending: [1, 0, 2],
        pending_severe: [0, 0, 0],
        // flagged at 04-01: K6 and K7; K7 withdrawn 05-15 → 1/2. At 2025-01-01 K6 is due that very day: not flagged
        pending_clearance: [0.5, null, null],
        supervision_issued: [3, 0, 0],
        // R1 answered 已纠正: 1/1
        adoption_rate: [1, null, null],
        // R3 要求说明理由 from 06-02 due 06-09, unanswered at 06-30; R2 检察建议 is due 08-10
        supervision_overdue: [1, 0, 0],
      });
      const rate = r.rows.find((x) => x.metric === 'non_arrest_rate')!;
      expect([rate.numerator, rate.denominator]).toEqual([1, 2]);
      expect(r.rows.find((x) => x.metric === 'filings')).toMatchObject({
        yoy_change: 2,
        pop_change: 2,
        period: '2025年第二季度',
      });
    });
  });

  it('a 区级 pack counts one district only, and needs the district', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, 'test/fixtures/modules/pack', '2025-06-30');
      const r = await runModule(
        db.conn,
        'joint-meeting-pack',
        { period: '2025Q2', level: '区级', district: '110108' },
        { districts: ALL_DISTRICTS },
      );
      expect(values(r.rows).filings).toEqual([1, 0, 0]);
      expect(values(r.rows).supervision_issued).toEqual([0, 0, 0]);
      await expect(
        runModule(
          db.conn,
          'joint-meeting-pack',
          { period: '2025Q2', level: '区级' },
          { districts: ALL_DISTRICTS },
        ),
      ).rejects.toThrow(/district/);
      // a district outside the caller's scope gives nothing, never all districts
      const outside = await runModule(
        db.conn,
        'joint-meeting-pack',
        { period: '2025Q2', level: '区级', district: '110108' },
        { districts: ['110105'] },
      );
      expect(values(outside.rows).filings).toEqual([0, 0, 0]);
    });
  });

  it('compares a running period with the same days: 2025 to 06-30 against 2024 to 06-30, and the 181 days before', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, 'test/fixtures/modules/pack', '2025-06-30');
      const r = await runModule(
        db.conn,
        'joint-meeting-pack',
        { period: '2025' },
        { districts: ALL_DISTRICTS },
      );
      // 2025-01-01..06-30: K4, K1, K2, K3; 2024-01-01..06-30: K5 (04-01); 2024-07-04..12-31 (181 days before): none —
      // the whole of 2024 (K5) would have made 环比 1
      expect(values(r.rows).filings).toEqual([4, 1, 0]);
    });
  });

  it('adds the deck breakdowns with detail=true: filings by month with each month a year earlier, and by district', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, 'test/fixtures/modules/pack', '2025-06-30');
      const r = await runModule(
        db.conn,
        'joint-meeting-pack',
        { period: '2025Q2', detail: 'true' },
        { districts: ALL_DISTRICTS },
      );
      const rows = (metric: string, dimension: string) =>
        r.rows
          .filter((x) => x.metric === metric && x.dimension === dimension)
          .map((x) => [x.key, x.value, x.yoy_value]);
      // K1 04-10, K2 05-20, K3 06-30; a year earlier only K5 on 2024-04-01
      expect(rows('filings', 'month')).toEqual([
        ['2025-04', 1, 1],
        ['2025-05', 1, 0],
        ['2025-06', 1, 0],
      ]);
      expect(rows('filings', 'district')).toEqual([
        ['110105', 2, null],
        ['110108', 1, null],
      ]);
      // the totals are unchanged by detail
      expect(r.rows.filter((x) => x.dimension === 'total')).toHaveLength(10);
    });
  });

  it('takes the month a year before a leap day as ending on 02-28 (2024-02 at as_of 2024-02-29)', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, 'test/fixtures/modules/pack', '2025-06-30');
      // the 同比 window of 2024-02-01..02-29 is 2023-02-01..02-28; a plain year shift asked for 2023-02-29 and failed
      const r = await runModule(
        db.conn,
        'joint-meeting-pack',
        { period: '2024-02', as_of: '2024-02-29', detail: 'true' },
        { districts: ALL_DISTRICTS },
      );
      // nothing filed in February 2024 or January 2024 (环比); K7 was filed on 2023-02-01, the 同比 window's first day
      expect(values(r.rows).filings).toEqual([0, 1, 0]);
      expect(r.rows.filter((x) => x.metric === 'filings' && x.dimension === 'month')).toEqual([]);
    });
  });
});
