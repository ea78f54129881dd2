import { describe, expect, it } from 'vitest';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import type { Database } from '../../../src/db/open.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture } from './load.ts';

const run = (db: Database, params: Record<string, unknown>, districts: readonly string[] = ALL_DISTRICTS) =>
  runModule(db.conn, 'pending-clearance', params, { districts });
const pick = (rows: Record<string, unknown>[]) =>
  rows.map((r) => [r.district_code, r.flagged, r.resolved, r.clearance_rate]);

// Flagged at from = 2025-01-01 (rules.md §2, periods not rolled):
//   K1 (no suspects) 2022-06-01 + 24 months = 2024-06-01; K2 2024-06-15; K3 2024-07-01; K5 2024-08-01;
//   K6 取保 lifted 2023-06-01 + 12 months = 2024-06-01 (Rule A).
// Not flagged: K4 2023-01-01 + 24 months = 2025-01-01 = from (not past); K7's suspect is in custody (逮捕);
//   K9 closed 2024-12-31, before from.
describe('pending-clearance (rules.md §2, M-40b), worked by hand', () => {
  it('counts the cases flagged at from and those closed in (from, to]', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'clearance', '2025-06-30');
      const r = await run(db, { from: '2025-01-01', to: '2025-06-30' });
      expect(pick(r.rows)).toEqual([
        // K1 closed 03-01 and K5 on to itself (06-30): resolved; K2 open; K3 closed 07-01, after to → 2 / 4
        ['110105', 4, 2, 0.5],
        // K6 withdrawn 2025-02-01
        ['110108', 1, 1, 1],
      ]);
      expect(r.meta.thresholds['pending.rule_c_months']!.value).toBe(24);
    });
  });

  it('to defaults to as_of; a later to counts K3', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'clearance', '2025-06-30');
      expect(pick((await run(db, { from: '2025-01-01' })).rows)).toEqual([
        ['110105', 4, 2, 0.5],
        ['110108', 1, 1, 1],
      ]);
      expect(pick((await run(db, { from: '2025-01-01', to: '2025-07-01' })).rows)[0]).toEqual([
        '110105',
        4,
        3,
        0.75,
      ]);
    });
  });

  it('a from one day later flags K4 (2025-01-01 + 1 day past its deadline), which closed 2025-02-01', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'clearance', '2025-06-30');
      const r = await run(db, { from: '2025-01-02', to: '2025-06-30' });
      expect(pick(r.rows)).toEqual([
        ['110105', 5, 3, 0.6],
        ['110108', 1, 1, 1],
      ]);
    });
  });

  it('binds the caller scope and checks the period', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'clearance', '2025-06-30');
      expect(pick((await run(db, { from: '2025-01-01' }, ['110108'])).rows)).toEqual([['110108', 1, 1, 1]]);
      expect((await run(db, { from: '2025-01-01' }, [])).rows).toEqual([]);
      await expect(run(db, {})).rejects.toThrow(/from/);
      await expect(run(db, { from: '2025-03-01', to: '2025-02-01' })).rejects.toThrow(/参数有误/);
    });
  });
});
