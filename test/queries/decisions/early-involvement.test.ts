import { describe, expect, it } from 'vitest';
import { earlyInvolvement } from '../../../queries/early-involvement.ts';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture, pick, rowsOf } from './load.ts';

const M = 'early-involvement';
const YEAR = { from: '2024-01-01', to: '2024-12-31' };

// Fixture `involvement` (as_of 2024-12-31), cases filed in 2024 unless noted:
//   110105: I1 major, 提前介入 by J001, 审查逮捕 by J001; I2 major, 提前介入 by J002, 审查逮捕 by J002 and 审查起诉 by
//   J009; I3 major, no involvement.
//   110108: I4 major, 提前介入 by J004, its only decision (by J007) on 2025-01-10; I5 not major, 提前介入 by J005 and
//   later J006, 审查逮捕 by J006; I6 major but filed 2023-12-31.
const SUMMARY = [
  'district_code',
  'major_cases',
  'involved_major',
  'involvement_rate',
  'involved',
  'reached',
  'continuous',
  'continuity_rate',
];

describe('early-involvement (M-30, M-30b), worked by hand', () => {
  it('gives the involvement rate of major cases and the 谁介入、谁办案 rate by district', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'involvement', '2024-12-31');
      expect(pick(await rowsOf(db, M), SUMMARY)).toEqual([
        // major I1 I2 I3, involved I1 I2: 2 / 3; both reached the procuratorate, I2's 审查起诉 went to J009: 1 / 2
        ['110105', 3, 2, 2 / 3, 2, 2, 1, 0.5],
        // major I4 (I6 was filed in 2023): 1 / 1; involved I4 and I5 (not major); I4's decision is after as_of, so
        // only I5 reached, handled by J006, one of its two intervening prosecutors: 1 / 1
        ['110108', 1, 1, 1, 2, 1, 1, 1],
      ]);
      // a month later I4 has reached the procuratorate with J007: 1 / 2
      const later = await rowsOf(db, M, { ...YEAR, as_of: '2025-01-31', group_by: 'all' });
      expect(pick(later, SUMMARY)).toEqual([[null, 4, 3, 0.75, 4, 4, 2, 0.5]]);
    });
  });

  it('lists the involved cases whose later decisions went to another prosecutor', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'involvement', '2024-12-31');
      const cols = ['case_id', 'district_code', 'major_case', 'involved_on', 'involved_by', 'prosecutors'];
      expect(pick(await rowsOf(db, M, { view: 'breaks' }), cols)).toEqual([
        ['I2', '110105', true, '2024-05-12', 'J002', 'J002、J009'],
      ]);
      const later = await rowsOf(db, M, { ...YEAR, as_of: '2025-01-31', view: 'breaks' });
      expect(pick(later, cols)).toEqual([
        ['I2', '110105', true, '2024-05-12', 'J002', 'J002、J009'],
        ['I4', '110108', true, '2024-02-03', 'J004', 'J007'],
      ]);
    });
  });

  it('binds the caller scope: another district list removes rows, an empty list gives none', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'involvement', '2024-12-31');
      expect(pick(await rowsOf(db, M, {}, ['110108']), ['district_code'])).toEqual([['110108']]);
      expect(await rowsOf(db, M, { view: 'breaks' }, ['110108'])).toEqual([]);
      expect(await rowsOf(db, M, { group_by: 'all' }, [])).toEqual([]);
      expect(await rowsOf(db, M, { view: 'breaks' }, [])).toEqual([]);
    });
  });

  it('returns exactly the declared columns, and rejects bad parameters in Chinese', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'involvement', '2024-12-31');
      const r = await runModule(db.conn, M, {}, { districts: ALL_DISTRICTS });
      expect(r.columns.map((c) => c.name)).toEqual(earlyInvolvement.columns.map((c) => c.name));
      await expect(rowsOf(db, M, { view: 'all' })).rejects.toThrow(/view（视图）/);
    });
  });
});
