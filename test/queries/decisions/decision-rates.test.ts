import { describe, expect, it } from 'vitest';
import { decisionRates } from '../../../queries/decision-rates.ts';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture, pick, rowsOf } from './load.ts';

const M = 'decision-rates';
const YEAR = { from: '2024-01-01', to: '2024-12-31' };

// Fixture `rates` (as_of 2024-12-31): 8 suspects in 4 cases, two districts.
//   110105: K1 朝阳分局刑侦支队 盗窃罪 (S1, S2), K2 三里屯派出所 故意伤害罪 (S3, S4)
//   110108: K3 海淀分局刑侦支队 盗窃罪 (S5, S6), K4 海淀分局交通支队 危险驾驶罪 (S7, S8)
// 2024 审查逮捕 persons: S1 (D01 不捕 01-01 superseded by D02 批捕 02-29), S2 D03 不捕 (复议 变更), S3 D04 不捕 (复议 维持,
// 复核 变更), S4 D05 不捕 on to itself (复议 filed 2025-01-03, undecided), S8 D14 不捕. S5's D06 批捕 is 2023-12-31.
// 2024 审查起诉 persons: S5 D07 不起诉 (returns 1; 复议 维持, 复核 变更), S6 D08 起诉 (returns 2; D09 is 2025-01-01),
// S7 D11 起诉, S2 D12 不起诉 and D13 起诉 on the same day: the greater id D13 counts.
describe('decision-rates (rules.md §5), worked by hand', () => {
  it('counts persons by their latest decision in [from, to], with every rate over its denominator', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'rates', '2024-12-31');
      const rows = await rowsOf(db, M, { ...YEAR, group_by: 'all' });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        district_code: null,
        period_from: '2024-01-01',
        period_to: '2024-12-31',
        // 审查逮捕: S1 批捕 (D02, the later), S2 S3 S4 S8 不捕: 4 / 5
        arrest: 1,
        non_arrest: 4,
        arrest_decided: 5,
        non_arrest_rate: 0.8,
        // 复议 of 不捕: S2, S3 and S4 (filed after to: objections count whenever made) = 3 / 4; decided S2 S3, 变更 S2 = 1 / 2
        arrest_recon: 3,
        arrest_recon_rate: 0.75,
        arrest_recon_decided: 2,
        arrest_recon_changed: 1,
        arrest_recon_changed_rate: 0.5,
        // 复核: S3 only, 变更 — and S3 stays 不捕 for 不捕率
        arrest_upper_review: 1,
        arrest_upper_review_decided: 1,
        arrest_upper_review_changed_rate: 1,
        // 审查起诉: S2 (D13 起诉, the tie's greater id), S5 不起诉, S6 起诉, S7 起诉: 1 / 4
        prosecution: 3,
        non_prosecution: 1,
        prosecution_decided: 4,
        non_prosecution_rate: 0.25,
        // S5's 复议 维持: changed 0 / 1 is 0, not NULL; its 复核 变更 1 / 1
        prosecution_recon: 1,
        prosecution_recon_rate: 1,
        prosecution_recon_changed_rate: 0,
        prosecution_upper_review_changed_rate: 1,
        // returns ≥ 1: S5 (1) and S6 (2); S2's D12 with 2 returns lost the tie: 2 / 4
        returned: 2,
        return_rate: 0.5,
        // a calendar year: 同比 and 环比 are both 2023 — D06 批捕 (S5, 12-31) and D10 不捕 (S7, 02-28): 1 / 2
        yoy_from: '2023-01-01',
        yoy_to: '2023-12-31',
        pop_from: '2023-01-01',
        pop_to: '2023-12-31',
        arrest_yoy: 1,
        non_arrest_yoy: 1,
        non_arrest_rate_yoy: 0.5,
        non_arrest_rate_pop: 0.5,
        // no 审查起诉 in 2023: zero denominators give NULL, not 0
        prosecution_decided_yoy: 0,
        non_prosecution_rate_yoy: null,
        return_rate_pop: null,
      });
    });
  });

  it('defaults to the year to date of the data-as-of date, and matches the explicit window', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'rates', '2024-12-31');
      const byDefault = await rowsOf(db, M, { group_by: 'all' });
      expect(byDefault).toEqual(await rowsOf(db, M, { ...YEAR, group_by: 'all' }));
      // to alone: from is 1 January of to's year; [2024-01-01, 2024-06-30] is no calendar period, so 环比 is the 182
      // days before it (2023-07-03 … 2023-12-31); 同比 the same half a year earlier
      const half = await rowsOf(db, M, { to: '2024-06-30', group_by: 'all' });
      expect(pick(half, ['period_from', 'period_to', 'yoy_from', 'yoy_to', 'pop_from', 'pop_to'])).toEqual([
        ['2024-01-01', '2024-06-30', '2023-01-01', '2023-06-30', '2023-07-03', '2023-12-31'],
      ]);
    });
  });

  it('groups by district, police unit, charge and chapter', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'rates', '2024-12-31');
      const COLS = ['district_code', 'arrest', 'non_arrest_rate', 'prosecution', 'non_prosecution_rate'];
      expect(pick(await rowsOf(db, M, YEAR), [...COLS, 'return_rate', 'non_arrest_rate_yoy'])).toEqual([
        // 110105: S1 批捕, S2 S3 S4 不捕 = 3 / 4; 审查起诉 S2 起诉 = 0 / 1, no returns 0 / 1; nothing in 2023: NULL
        ['110105', 1, 0.75, 1, 0, 0, null],
        // 110108: S8 不捕 = 1 / 1; S6 S7 起诉, S5 不起诉 = 1 / 3, returns S5 S6 = 2 / 3; 2023 D06 批捕 D10 不捕 = 1 / 2
        ['110108', 0, 1, 2, 1 / 3, 2 / 3, 0.5],
      ]);
      expect(
        pick(await rowsOf(db, M, { ...YEAR, group_by: 'police_unit' }), ['police_unit', ...COLS]),
      ).toEqual([
        ['三里屯派出所', '110105', 0, 1, 0, null],
        ['朝阳分局刑侦支队', '110105', 1, 0.5, 1, 0],
        ['海淀分局交通支队', '110108', 0, 1, 1, 0],
        ['海淀分局刑侦支队', '110108', 0, null, 1, 0.5],
      ]);
      // 盗窃罪 (K1, K3): S1 批捕, S2 不捕; S2 S6 起诉, S5 不起诉
      expect(
        pick(await rowsOf(db, M, { ...YEAR, group_by: 'charge' }), [
          'charge',
          'arrest',
          'non_arrest',
          'prosecution',
          'non_prosecution',
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['盗窃罪', 1, 1, 2, 1],
          ['故意伤害罪', 0, 2, 0, 0],
          ['危险驾驶罪', 0, 1, 1, 0],
        ]),
      );
      const chapters = await rowsOf(db, M, { ...YEAR, group_by: 'chapter' });
      expect(pick(chapters, ['chapter_no', 'chapter', 'non_arrest', 'prosecution_decided'])).toEqual([
        [2, '危害公共安全罪', 1, 1],
        [4, '侵犯公民人身权利、民主权利罪', 2, 0],
        [5, '侵犯财产罪', 1, 3],
      ]);
      expect(chapters.every((r) => r.district_code === null && r.charge === null)).toBe(true);
    });
  });

  it('gives each month its own persons, 同比 and 环比, with month ends', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'rates', '2024-12-31');
      const rows = await rowsOf(db, M, { from: '2024-01-01', to: '2024-03-31', group_by: 'month' });
      const COLS = ['month', 'period_to', 'yoy_from', 'yoy_to', 'pop_from', 'pop_to'];
      expect(
        pick(rows, [
          ...COLS,
          'arrest',
          'non_arrest',
          'non_arrest_rate',
          'non_arrest_rate_yoy',
          'non_arrest_rate_pop',
        ]),
      ).toEqual([
        // January: S1's D01 不捕 is S1's latest decision within January; 同比 2023-01 is empty; 环比 2023-12: D06 批捕 = 0
        ['2024-01', '2024-01-31', '2023-01-01', '2023-01-31', '2023-12-01', '2023-12-31', 0, 1, 1, null, 0],
        // February ends on the 29th, a year earlier on the 28th (a month end stays one): D02 批捕 S1, D03 不捕 S2 = 1 / 2;
        // 同比 D10 不捕 2023-02-28 = 1; 环比 January = 1
        ['2024-02', '2024-02-29', '2023-02-01', '2023-02-28', '2024-01-01', '2024-01-31', 1, 1, 0.5, 1, 1],
        // March: D04 不捕; 环比 February = 0.5
        ['2024-03', '2024-03-31', '2023-03-01', '2023-03-31', '2024-02-01', '2024-02-29', 0, 1, 1, null, 0.5],
      ]);
    });
  });

  it('cuts the first quarter at from; a cut quarter compares with the equal window before it', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'rates', '2024-12-31');
      const rows = await rowsOf(db, M, { from: '2024-02-10', to: '2024-06-30', group_by: 'quarter' });
      const COLS = ['quarter', 'period_from', 'period_to', 'yoy_from', 'yoy_to', 'pop_from', 'pop_to'];
      expect(
        pick(rows, [...COLS, 'arrest', 'non_arrest', 'arrest_pop', 'non_arrest_pop', 'non_arrest_yoy']),
      ).toEqual([
        // [02-10, 03-31] = 20 + 31 = 51 days, so 环比 is the 51 days before: [2023-12-21, 2024-02-09] holds D06 批捕 (S5)
        // and D01 不捕 (S1); the quarter holds D03 (on from itself), D02, D04; 同比 [2023-02-10, 2023-03-31] D10
        [
          '2024-Q1',
          '2024-02-10',
          '2024-03-31',
          '2023-02-10',
          '2023-03-31',
          '2023-12-21',
          '2024-02-09',
          1,
          2,
          1,
          1,
          1,
        ],
        // a whole quarter: 环比 is the whole Q1, where S1's latest is D02 批捕: 1 批捕, S2 S3 不捕
        [
          '2024-Q2',
          '2024-04-01',
          '2024-06-30',
          '2023-04-01',
          '2023-06-30',
          '2024-01-01',
          '2024-03-31',
          0,
          0,
          1,
          2,
          0,
        ],
      ]);
      // Q2 has no 审查逮捕 at all: NULL; its 审查起诉 D07 不起诉, D08 起诉 = 1 / 2
      expect(rows[1]).toMatchObject({
        non_arrest_rate: null,
        non_arrest_rate_pop: 2 / 3,
        non_prosecution_rate: 0.5,
      });
    });
  });

  it('compares one calendar month with the month before and the same month a year earlier', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'rates', '2024-12-31');
      // February 2025 has no decisions; its 同比 is the whole February 2024 (to the 29th): D02 批捕, D03 不捕;
      // its 环比 January 2025 holds D09 起诉
      const [feb] = await rowsOf(db, M, {
        as_of: '2025-03-31',
        from: '2025-02-01',
        to: '2025-02-28',
        group_by: 'all',
      });
      expect(feb).toMatchObject({
        yoy_from: '2024-02-01',
        yoy_to: '2024-02-29',
        pop_from: '2025-01-01',
        pop_to: '2025-01-31',
        arrest_decided: 0,
        non_arrest_rate: null,
        arrest_yoy: 1,
        non_arrest_yoy: 1,
        non_arrest_rate_yoy: 0.5,
        prosecution_pop: 1,
        non_prosecution_rate_pop: 0,
      });
      // 16 days [06-15, 06-30] are no calendar period: 环比 [05-30, 06-14]
      const [days] = await rowsOf(db, M, { from: '2024-06-15', to: '2024-06-30', group_by: 'all' });
      expect(days).toMatchObject({ pop_from: '2024-05-30', pop_to: '2024-06-14', non_prosecution_rate: 0.5 });
    });
  });

  it('binds the caller scope: another district list removes rows, an empty list gives none', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'rates', '2024-12-31');
      expect(pick(await rowsOf(db, M, YEAR, ['110108']), ['district_code'])).toEqual([['110108']]);
      const [only] = await rowsOf(db, M, { ...YEAR, group_by: 'all' }, ['110108']);
      expect(only).toMatchObject({ arrest: 0, non_arrest: 1, prosecution: 2, non_prosecution: 1 });
      expect(await rowsOf(db, M, YEAR, [])).toEqual([]);
      expect(await rowsOf(db, M, { ...YEAR, group_by: 'month' }, [])).toEqual([]);
    });
  });

  it('returns exactly the declared columns, and rejects bad parameters in Chinese', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'rates', '2024-12-31');
      const r = await runModule(db.conn, M, YEAR, { districts: ALL_DISTRICTS });
      expect(r.columns.map((c) => c.name)).toEqual(decisionRates.columns.map((c) => c.name));
      await expect(rowsOf(db, M, { group_by: 'suspect' })).rejects.toThrow(/group_by（分组）/);
      await expect(rowsOf(db, M, { from: '2024-07-01', to: '2024-06-30' })).rejects.toThrow(/晚于截止日期/);
      await expect(rowsOf(db, M, { from: '2024-02-30' })).rejects.toThrow(/有效日期/);
    });
  });
});
