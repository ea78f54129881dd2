import { describe, expect, it } from 'vitest';
import { comparisonWindows } from '../../../queries/briefing-windows.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadModuleFixture, pick, rowsOf } from '../../helpers/modules.ts';

const FIXTURE = 'test/fixtures/modules/briefing';
const M = 'measure-use';
const KINDS = ['summons', 'detention', 'arrest', 'bail', 'rs', 'rs_designated', 'total', 'persons'];
const Q1 = { from: '2025-01-01', to: '2025-03-31' };

describe('measure-use (M-56 强制措施适用), worked by hand on the briefing fixture', () => {
  it('counts persons per kind in 2025Q1, with 2024Q1 (同比) and 2024Q4 (环比)', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      const [row, ...rest] = await rowsOf(db, M, Q1);
      expect(rest).toEqual([]);
      expect(pick([row!], ['period_from', 'period_to', 'yoy_from', 'yoy_to', 'pop_from', 'pop_to'])).toEqual([
        ['2025-01-01', '2025-03-31', '2024-01-01', '2024-03-31', '2024-10-01', '2024-12-31'],
      ]);
      // 拘传 S8 (03-31, the last day); 刑事拘留 S1, S2; 逮捕 S1, S7; 取保候审 S2 and S3 — S3 twice (M5 02-20 by 公安,
      // M6 03-31 by 检察) counts once; 监视居住 S4 (01-01, the first day); 指定居所 M9 starts 2024-12-31, before the window.
      // total 1 + 2 + 2 + 2 + 1 + 0 = 8 人次; persons S1 S2 S3 S4 S7 S8 = 6
      expect(pick([row!], KINDS)).toEqual([[1, 2, 2, 2, 1, 0, 8, 6]]);
      // 2024Q1: S5 刑事拘留 (02-02) and 逮捕 (03-01), S6 取保候审 (03-31): 3 人次, 2 persons
      expect(
        pick(
          [row!],
          KINDS.map((k) => `${k}_yoy`),
        ),
      ).toEqual([[0, 1, 1, 1, 0, 0, 3, 2]]);
      // 2024Q4: S7 刑事拘留 and S8 指定居所监视居住, both on 12-31
      expect(
        pick(
          [row!],
          KINDS.map((k) => `${k}_pop`),
        ),
      ).toEqual([[0, 1, 0, 0, 0, 1, 2, 2]]);
    });
  });

  it('splits by month: each month is compared with its own 同比 and 环比 month', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      const rows = await rowsOf(db, M, { ...Q1, group_by: 'month' });
      expect(pick(rows, ['month', 'pop_from', 'total', 'persons', 'total_yoy', 'total_pop'])).toEqual([
        // Jan: 拘留 S1 S2, 逮捕 S7, 监居 S4; 2024-01 none; 2024-12: 拘留 S7, 指居 S8
        ['2025-01', '2024-12-01', 4, 4, 0, 2],
        // Feb: 逮捕 S1, 取保 S2 S3; 2024-02: 拘留 S5; 2025-01 as above
        ['2025-02', '2025-01-01', 3, 3, 1, 4],
        // Mar: 取保 S3 (M6), 拘传 S8; 2024-03: 逮捕 S5, 取保 S6
        ['2025-03', '2025-02-01', 2, 2, 2, 3],
      ]);
    });
  });

  it('groups by district and filters by the deciding organ', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      const byDistrict = await rowsOf(db, M, { ...Q1, group_by: 'district' });
      // 110105 (C1 C2 C3 C7): everything but S4's 监视居住; 110108 (C4, C5): S4, and S5 in 2024Q1
      expect(pick(byDistrict, ['district_code', ...KINDS, 'total_yoy'])).toEqual([
        ['110105', 1, 2, 2, 2, 0, 0, 7, 5, 1],
        ['110108', 0, 0, 0, 0, 1, 0, 1, 1, 2],
      ]);
      // 检察 decided M2 (S1 逮捕), M6 (S3 取保候审) and M14 (S7 逮捕)
      const procuratorate = await rowsOf(db, M, { ...Q1, decided_by: '检察' });
      expect(pick(procuratorate, ['arrest', 'bail', 'total', 'arrest_yoy'])).toEqual([[2, 1, 3, 1]]);
      // 公安: S3 is still one 取保候审 person (M5), with S2
      const police = await rowsOf(db, M, { ...Q1, decided_by: '公安' });
      expect(pick(police, ['arrest', 'bail', 'detention', 'total'])).toEqual([[0, 2, 2, 6]]);
    });
  });

  it('defaults to the year to date of as_of and binds the caller scope', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      // as_of 2025-02-28: 2025-01-01 … 02-28, 59 days; 环比 is the 59 days before: 2024-11-03 … 12-31
      const [ytd] = await rowsOf(db, M, { as_of: '2025-02-28' });
      expect(pick([ytd!], ['period_from', 'period_to', 'pop_from', 'pop_to', 'total', 'total_pop'])).toEqual([
        ['2025-01-01', '2025-02-28', '2024-11-03', '2024-12-31', 7, 2],
      ]);
      expect(pick(await rowsOf(db, M, Q1, ['110108']), ['rs', 'total', 'total_yoy'])).toEqual([[1, 1, 2]]);
      expect(await rowsOf(db, M, Q1, [])).toEqual([]);
      await expect(rowsOf(db, M, { group_by: 'charge' })).rejects.toThrow(/group_by/);
    });
  });

  it('has the 同比 / 环比 windows the briefing computes in TypeScript', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      for (const w of [
        { from: '2025-01-01', to: '2025-12-31' },
        { from: '2024-10-01', to: '2024-12-31' },
        { from: '2024-02-01', to: '2024-02-29' },
        { from: '2025-01-01', to: '2025-02-28' },
        { from: '2024-03-31', to: '2024-05-30' },
        { from: '2025-02-01', to: '2025-04-30' },
      ]) {
        const [r] = await rowsOf(db, M, w);
        const { yoy, pop } = comparisonWindows(w);
        expect([r!.yoy_from, r!.yoy_to, r!.pop_from, r!.pop_to], JSON.stringify(w)).toEqual([
          yoy.from,
          yoy.to,
          pop.from,
          pop.to,
        ]);
      }
    });
  });
});
