import { describe, expect, it } from 'vitest';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import type { Database } from '../../../src/db/open.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture } from './load.ts';

const run = (
  db: Database,
  params: Record<string, unknown> = {},
  districts: readonly string[] = ALL_DISTRICTS,
) => runModule(db.conn, 'data-flow-lag', params, { districts });
const summary = (rows: Record<string, unknown>[]) =>
  rows.map((r) => [r.source, r.district_code, r.total, r.late, r.missing, r.late_share, r.missing_share]);
const detail = (rows: Record<string, unknown>[]) =>
  rows.map((r) => [r.record_id, r.status, r.lag_hours, r.lag_days]);

describe('data-flow-lag (rules.md §7, Seed Art. 25), worked by hand at as_of 2025-06-30', () => {
  it('summary: per source × district, late and missing with their shares of the total', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'data-flow', '2025-06-30');
      const r = await run(db);
      expect(summary(r.rows)).toEqual([
        // LE1 exactly 24 h (not late), LE2 24 h + 1 s, LE4 58 h (late), LE3 no recorded_at; LE5 is after as_of
        ['流程节点', '110105', 4, 2, 1, 0.5, 0.25],
        // LE6: 05-01 09:00 → 05-03 09:30 = 48.5 h
        ['流程节点', '110108', 1, 1, 0, 1, 0],
        // LD1 recorded the next day (1 day, not late), LD2 two days later, LD3 never; LD4 decided after as_of
        ['决定', '110105', 3, 1, 1, 1 / 3, 1 / 3],
        // LS1 1 day (not late), LS2 Friday 06-13 → Monday 06-16 = 3 calendar days (no working-day count)
        ['监督记录', '110105', 2, 1, 0, 0.5, 0],
        ['监督记录', '110108', 1, 0, 1, 0, 1],
      ]);
      expect(r.meta.thresholds['data_flow.event_late_hours']!.value).toBe(24);
    });
  });

  it('detail: one row per late or missing record', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'data-flow', '2025-06-30');
      const r = await run(db, { level: 'detail' });
      expect(detail(r.rows)).toEqual([
        ['LE2', '迟延', 24, null], // 24 h + 1 s, shown rounded
        ['LE4', '迟延', 58, null], // 06-30 22:00 → 07-03 08:00: occurred on as_of, so in the population
        ['LE3', '未推送', null, null],
        ['LE6', '迟延', 48.5, null],
        ['LD2', '迟延', null, 2],
        ['LD3', '未推送', null, null],
        ['LS2', '迟延', null, 3],
        ['LS3', '未推送', null, null],
      ]);
      expect(r.rows[0]).toMatchObject({ source: '流程节点', item: '刑事拘留', total: null });
    });
  });

  it('from narrows the population; a later as_of adds LE5 and LD4 as missing', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'data-flow', '2025-06-30');
      const since = await run(db, { level: 'detail', from: '2025-06-01' });
      expect(since.rows.map((x) => x.record_id)).toEqual(['LE2', 'LE4', 'LE3', 'LD2', 'LD3', 'LS2']);
      const later = await run(db, { level: 'detail', as_of: '2025-07-02' });
      expect(later.rows.filter((x) => x.status === '未推送').map((x) => x.record_id)).toEqual([
        'LE3',
        'LE5',
        'LD3',
        'LD4',
        'LS3',
      ]);
    });
  });

  it('follows the thresholds table', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'data-flow', '2025-06-30');
      await db.conn.run("UPDATE thresholds SET value = 48 WHERE key = 'data_flow.event_late_hours'");
      await db.conn.run("UPDATE thresholds SET value = 2 WHERE key = 'data_flow.record_late_days'");
      const r = await run(db, { level: 'detail' });
      // 24 h + 1 s and 2 days are no longer late; 58 h, 48.5 h and 3 days still are
      expect(r.rows.filter((x) => x.status === '迟延').map((x) => x.record_id)).toEqual([
        'LE4',
        'LE6',
        'LS2',
      ]);
    });
  });

  it('binds the caller scope and rejects an unknown level', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'data-flow', '2025-06-30');
      const haidian = await run(db, { level: 'detail' }, ['110108']);
      expect(haidian.rows.map((x) => x.record_id)).toEqual(['LE6', 'LS3']);
      expect((await run(db, {}, [])).rows).toEqual([]);
      expect((await run(db, { level: 'detail' }, [])).rows).toEqual([]);
      await expect(run(db, { level: 'all' })).rejects.toThrow(/level/);
      await expect(run(db, { from: '2025-13-01' })).rejects.toThrow(/from/);
    });
  });
});
