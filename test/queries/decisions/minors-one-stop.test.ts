import { describe, expect, it } from 'vitest';
import { minorsOneStop } from '../../../queries/minors-one-stop.ts';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture, pick, rowsOf } from './load.ts';

const M = 'minors-one-stop';

// Fixture `minors` (as_of 2024-12-31): minor-victim cases M1 (110105, filed 2024-01-01, one-stop), M2 (110105,
// not one-stop), M3 (110105, filed 2024-12-31, not recorded), M4 (110108, one-stop), M6 (110108, not one-stop, filed
// 2023-12-31); M5 has one_stop but no minor victim.
describe('minors-one-stop (Seed Art. 20), worked by hand', () => {
  it('gives the one-stop share of minor-victim cases filed in the window, by district', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'minors', '2024-12-31');
      const cols = [
        'district_code',
        'minor_victim_cases',
        'one_stop',
        'not_one_stop',
        'not_recorded',
        'one_stop_rate',
      ];
      expect(pick(await rowsOf(db, M), cols)).toEqual([
        // M1 M2 M3 (both ends of 2024 included): 1 / 3, the unrecorded M3 counting as not shown
        ['110105', 3, 1, 1, 1, 1 / 3],
        // M4 only: M5 has no minor victim, M6 was filed in 2023
        ['110108', 1, 1, 0, 0, 1],
      ]);
      // with 2023-12-31 in the window M6 joins: 1 / 2
      const wider = await rowsOf(db, M, { from: '2023-12-31', group_by: 'all' });
      expect(pick(wider, cols)).toEqual([[null, 5, 2, 2, 1, 0.4]]);
    });
  });

  it('lists the minor-victim cases without a recorded one-stop evidence taking', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'minors', '2024-12-31');
      expect(
        pick(await rowsOf(db, M, { view: 'cases' }), ['case_id', 'district_code', 'filed_on', 'status']),
      ).toEqual([
        ['M2', '110105', '2024-06-15', '未一站式取证'],
        ['M3', '110105', '2024-12-31', '未记录'],
      ]);
    });
  });

  it('binds the caller scope: another district list removes rows, an empty list gives none', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'minors', '2024-12-31');
      expect(pick(await rowsOf(db, M, {}, ['110108']), ['district_code'])).toEqual([['110108']]);
      expect(await rowsOf(db, M, { view: 'cases' }, ['110108'])).toEqual([]);
      expect(await rowsOf(db, M, { group_by: 'all' }, [])).toEqual([]);
    });
  });

  it('returns exactly the declared columns, and rejects bad parameters in Chinese', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'minors', '2024-12-31');
      const r = await runModule(db.conn, M, {}, { districts: ALL_DISTRICTS });
      expect(r.columns.map((c) => c.name)).toEqual(minorsOneStop.columns.map((c) => c.name));
      await expect(rowsOf(db, M, { group_by: 'charge' })).rejects.toThrow(/group_by（分组）/);
    });
  });
});
