import { describe, expect, it } from 'vitest';
import { inspectionResults } from '../../../queries/inspection-results.ts';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture, pick, rowsOf } from './load.ts';

const M = 'inspection-results';

// Fixture `inspection` (as_of 2024-06-30). IC1 matched J1 J2 J3 (110105) and J4 J5 (110108):
//   J1 有问题/公安 checked 04-10, rectified 05-10; J2 有问题/检察 checked 04-20, rectified 07-15 (after as_of);
//   J3 无问题; J4 有问题 without a responsible agency, checked on as_of itself; J5 checked 07-02 (after as_of);
//   IF6 checks J6, which IC1 did not match: ignored.
// IC2 matched J6 (110108) and has no checks.
const COLS = [
  'inspection_campaign_id',
  'matched',
  'checked',
  'checked_share',
  'no_problem',
  'with_problem',
  'problem_share',
  'police_problem',
  'procuratorate_problem',
  'unattributed_problem',
  'rectified',
  'rectified_share',
  'open_problem',
];

describe('inspection-results, worked by hand', () => {
  it('gives per campaign the matched cases, checked share, findings by responsibility and rectified share', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'inspection', '2024-06-30');
      expect(pick(await rowsOf(db, M), COLS)).toEqual([
        // 4 of 5 checked (J5 later); 3 problems of 4 checked, one per agency and one unattributed; J1 rectified: 1 / 3
        ['IC1', 5, 4, 0.8, 1, 3, 0.75, 1, 1, 1, 1, 1 / 3, 2],
        // nothing checked: 0 / 1 = 0, and the shares over checked and problems are NULL
        ['IC2', 1, 0, 0, 0, 0, null, 0, 0, 0, 0, null, 0],
      ]);
      // a month later J5 is checked (公安) and rectified (07-20), J2 too: 5 / 5, 4 problems, rectified J1 J2 J5 = 3 / 4
      const later = await rowsOf(db, M, { as_of: '2024-07-31', campaign: 'IC1' });
      expect(pick(later, COLS)).toEqual([['IC1', 5, 5, 1, 1, 4, 0.8, 2, 1, 1, 3, 0.75, 1]]);
    });
  });

  it('splits by district, and binds the caller scope through the matched case', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'inspection', '2024-06-30');
      const byDistrict = await rowsOf(db, M, { group_by: 'district' });
      expect(
        pick(byDistrict, [
          'inspection_campaign_id',
          'district_code',
          'matched',
          'checked',
          'with_problem',
          'rectified',
        ]),
      ).toEqual([
        ['IC1', '110105', 3, 3, 2, 1],
        ['IC1', '110108', 2, 1, 1, 0],
        ['IC2', '110108', 1, 0, 0, 0],
      ]);
      expect(
        pick(await rowsOf(db, M, {}, ['110105']), ['inspection_campaign_id', 'matched', 'checked']),
      ).toEqual([['IC1', 3, 3]]);
      expect(await rowsOf(db, M, {}, [])).toEqual([]);
    });
  });

  it('returns exactly the declared columns, and rejects bad parameters in Chinese', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'inspection', '2024-06-30');
      const r = await runModule(db.conn, M, {}, { districts: ALL_DISTRICTS });
      expect(r.columns.map((c) => c.name)).toEqual(inspectionResults.columns.map((c) => c.name));
      await expect(rowsOf(db, M, { group_by: 'unit' })).rejects.toThrow(/group_by（分组）/);
    });
  });
});
