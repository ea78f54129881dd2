import { describe, expect, it } from 'vitest';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture } from './load.ts';

const pick = (rows: Record<string, unknown>[]) =>
  rows.map((r) => [r.kind, r.measure_id ?? r.decision_id, r.start_on, r.limit_on, r.end_on, r.days_over]);
const run = (db: Parameters<Parameters<typeof withDatabase>[0]>[0], params: Record<string, unknown> = {}) =>
  runModule(db.conn, 'measure-overruns', params, { districts: ALL_DISTRICTS });

describe('measure-overruns (rules.md §7), worked by hand at as_of 2025-06-30', () => {
  it('finds every kind, one day past each limit, and nothing on the limit itself', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'overruns', '2025-06-30');
      const r = await run(db);
      expect(pick(r.rows)).toEqual([
        // M7: 2024-05-15 + 12 months = 2025-05-15; lifted 2025-07-10, after as_of, so not lifted yet: 46 days
        ['逾期未解除', 'M7', '2024-05-15', '2025-05-15', null, 46],
        // M8 (海淀): 2024-06-01 + 12 months = 2025-06-01; as_of − 06-01 = 29
        ['逾期未解除', 'M8', '2024-06-01', '2025-06-01', null, 29],
        // M1: 2024-06-29 + 12 months = 2025-06-29, as_of is one day after (M2 from 06-30 ends on as_of: not listed)
        ['逾期未解除', 'M1', '2024-06-29', '2025-06-29', null, 1],
        // M3: 2023-01-31 + 12 months = 2024-01-31, lifted 02-01 (M4 lifted on its limit 2024-03-01: not listed)
        ['逾期解除', 'M3', '2023-01-31', '2024-01-31', '2024-02-01', 1],
        // M5 监视居住: 2023-08-31 (month end) + 6 months = 2024-02-29, lifted 03-01
        // (M6 指定居所监视居住 2024-12-31 + 6 months = 2025-06-30 = as_of: not listed)
        ['逾期解除', 'M5', '2023-08-31', '2024-02-29', '2024-03-01', 1],
        // M9: 2024-02-29 + 2 months = 04-30 (month end), + 1 (E1) = 05-31, + 2 (E2) = 07-31; the case closed
        // 2024-08-01, before the arrest was lifted (08-05): 1 day. Plain interval arithmetic would give 07-30.
        ['超期羁押', 'M9', '2024-02-29', '2024-07-31', '2024-08-01', 1],
        // M10: 2024-01-10 + 2 months = 03-10, + 2 (E3, the case's, no suspect) = 05-10; lifted 05-11
        // (M11, same case: + E3 2 months + its own E4 1 month = 06-10, lifted 06-10: not listed)
        ['超期羁押', 'M10', '2024-01-10', '2024-05-10', '2024-05-11', 1],
        // M13: 2024-08-01 + 2 months = 2024-10-01, National Day: custody periods do not roll, lifted 10-02
        ['超期羁押', 'M13', '2024-08-01', '2024-10-01', '2024-10-02', 1],
        // M17: 2025-04-29 + 2 months = 06-29, still running; E5 (2025-07-01) is after as_of and does not count
        ['超期羁押', 'M17', '2025-04-29', '2025-06-29', null, 1],
        // M12: 2024-08-25 + 37 days = 2024-10-01 (not rolled), lifted 10-02
        ['拘留超期', 'M12', '2024-08-25', '2024-10-01', '2024-10-02', 1],
        // M14: never lifted, but turned into 逮捕 (M14A) on 2024-02-08; 2024-01-01 + 37 = 02-07
        ['拘留超期', 'M14', '2024-01-01', '2024-02-07', '2024-02-08', 1],
        // M16: 2025-05-23 + 37 = 06-29, still running (M15 from 05-24 ends on as_of: not listed)
        ['拘留超期', 'M16', '2025-05-23', '2025-06-29', null, 1],
        // D1: 3 returns > 2 (D2 has 2; D3's 3 returns are decided 2025-07-05, after as_of)
        ['退查超次数', 'D1', '2024-08-02', null, '2024-12-20', null],
      ]);
      expect(r.rows.at(-1)).toMatchObject({ returns: 3, suspect_id: 'S9', case_id: 'O3' });
      expect(r.rows.every((x) => String(x.basis).startsWith('《刑事诉讼法》'))).toBe(true);
      expect(r.meta.thresholds['measure.arrest_custody_months']!.value).toBe(2);
    });
  });

  it('an as_of before the case closed keeps the custody clock running; a later one counts the extension', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'overruns', '2025-06-30');
      // at 2024-07-31 O3 is still open and the clock stands on the limit 07-31: not overdue
      const before = await run(db, { as_of: '2024-07-31' });
      expect(before.rows.map((x) => x.measure_id)).not.toContain('M9');
      // at 2025-07-01 E5 (the case's, + 2 months) applies: M17's limit is 2025-08-29; D3 is still undecided
      const later = await run(db, { as_of: '2025-07-01' });
      expect(later.rows.map((x) => x.measure_id)).not.toContain('M17');
      // M15 (2025-05-24 + 37 = 06-30) is one day over at 07-01; M2 and M6 (due 06-30) too
      expect(pick(later.rows.filter((x) => ['M2', 'M6', 'M15'].includes(x.measure_id as string)))).toEqual([
        ['逾期未解除', 'M2', '2024-06-30', '2025-06-30', null, 1],
        ['逾期未解除', 'M6', '2024-12-31', '2025-06-30', null, 1],
        ['拘留超期', 'M15', '2025-05-24', '2025-06-30', null, 1],
      ]);
    });
  });

  it('binds the caller scope: 海淀 only gives its one row, an empty list none', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'overruns', '2025-06-30');
      const haidian = await runModule(db.conn, 'measure-overruns', {}, { districts: ['110108'] });
      expect(haidian.rows.map((x) => x.measure_id)).toEqual(['M8']);
      const none = await runModule(db.conn, 'measure-overruns', {}, { districts: [] });
      expect(none.rows).toEqual([]);
    });
  });

  it('follows the thresholds table', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'overruns', '2025-06-30');
      await db.conn.run("UPDATE thresholds SET value = 3 WHERE key = 'measure.max_returns'");
      await db.conn.run("UPDATE thresholds SET value = 38 WHERE key = 'measure.detention_days'");
      const r = await run(db);
      expect(r.rows.filter((x) => x.kind === '退查超次数' || x.kind === '拘留超期')).toEqual([]);
    });
  });
});
