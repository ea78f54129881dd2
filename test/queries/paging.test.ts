import { describe, expect, it } from 'vitest';
import { MODULES } from '../../queries/registry.ts';
import { runModule } from '../../queries/run.ts';
import { ALL_DISTRICTS } from '../../queries/scope.ts';
import { queryPage } from '../../src/db/sql.ts';
import { withDatabase } from '../helpers/db.ts';
import { loadModuleFixture } from '../helpers/modules.ts';

const run = (db: Parameters<Parameters<typeof withDatabase>[0]>[0], m: string, p: Record<string, unknown>) =>
  runModule(db.conn, m, p, { districts: ALL_DISTRICTS });

// Fixture decisions/receipt with all = true lists G4, G2, G3, G1 in that order (test/queries/decisions/file-receipt).
describe('paging by the runner (limit, offset)', () => {
  it('cuts the module’s own order and tells the total; without paging, no page', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, 'test/fixtures/modules/decisions/receipt', '2024-12-31');
      const ids = (r: { rows: Record<string, unknown>[] }) => r.rows.map((x) => x.decision_id);
      const whole = await run(db, 'file-receipt', { all: true });
      expect(ids(whole)).toEqual(['G4', 'G2', 'G3', 'G1']);
      expect(whole.page).toBeUndefined();
      // rows 2–3 of 4
      const p = await run(db, 'file-receipt', { all: true, limit: 2, offset: 1 });
      expect(ids(p)).toEqual(['G2', 'G3']);
      expect(p.page).toEqual({ limit: 2, offset: 1, total: 4 });
      // the last page is short: its length gives the total; values from the CLI come as text
      const last = await run(db, 'file-receipt', { all: 'true', limit: '3', offset: '3' });
      expect([ids(last), last.page]).toEqual([['G1'], { limit: 3, offset: 3, total: 4 }]);
      // past the end: no rows, the total counted
      const past = await run(db, 'file-receipt', { all: true, limit: 2, offset: 10 });
      expect([ids(past), past.page]).toEqual([[], { limit: 2, offset: 10, total: 4 }]);
      // a full page: the total is counted too
      expect((await run(db, 'file-receipt', { all: true, limit: 2 })).page).toEqual({
        limit: 2,
        offset: 0,
        total: 4,
      });
      // offset alone: the rest
      const rest = await run(db, 'file-receipt', { all: true, offset: 2 });
      expect([ids(rest), rest.page]).toEqual([['G3', 'G1'], { limit: null, offset: 2, total: 4 }]);
      // the page keeps the module's columns and meta
      expect(p.columns).toEqual(whole.columns);
      expect(p.meta).toEqual(whole.meta);
    });
  });

  it('pages a composed module the same way', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, 'test/fixtures/modules/pack', '2025-12-31');
      const whole = await run(db, 'joint-meeting-pack', { period: '2025Q4' });
      const p = await run(db, 'joint-meeting-pack', { period: '2025Q4', limit: 3, offset: 2 });
      expect(p.rows).toEqual(whole.rows.slice(2, 5));
      expect(p.page).toEqual({ limit: 3, offset: 2, total: whole.rows.length });
    });
  });

  it('rejects bad paging values in Chinese, and no module declares limit or offset itself', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, 'test/fixtures/modules/decisions/receipt', '2024-12-31');
      await expect(run(db, 'file-receipt', { limit: 0 })).rejects.toThrow(/limit（每页行数）不能小于 1/);
      await expect(run(db, 'file-receipt', { limit: 'ten' })).rejects.toThrow(/limit（每页行数）应为整数/);
      await expect(run(db, 'file-receipt', { offset: -1 })).rejects.toThrow(/offset（起始行）不能小于 0/);
      await expect(run(db, 'file-receipt', { offset: 1.5 })).rejects.toThrow(/offset（起始行）应为整数/);
    });
    for (const m of MODULES) expect(Object.keys(m.params.shape)).not.toContain('limit');
    for (const m of MODULES) expect(Object.keys(m.params.shape)).not.toContain('offset');
  });
});

describe('queryPage', () => {
  it('pages across DuckDB’s 2,048-row chunks in the statement’s order and counts every row', async () => {
    await withDatabase(async (db) => {
      const sql = "SELECT i, DATE '2024-02-29' + i::INTEGER AS d FROM range($n) t(i) ORDER BY i DESC";
      // rows 2,040–2,059 of 5,000 straddle the first chunk's end: values 2,959 down to 2,940
      const p = await queryPage<{ i: number; d: string }>(db.conn, sql, { n: 5000 }, 2040, 20);
      expect(p.total).toBe(5000);
      expect(p.rows.map((r) => r.i)).toEqual(Array.from({ length: 20 }, (_, k) => 2959 - k));
      // converted like query(): BIGINT → number, DATE → text (2024-02-29 + 2,959 days)
      expect(p.rows[0]).toEqual({ i: 2959, d: '2032-04-06' });
      expect(p.columns).toEqual([
        { name: 'i', type: 'BIGINT' },
        { name: 'd', type: 'DATE' },
      ]);
      // the rest from an offset, and past the end
      const rest = await queryPage<{ i: number }>(db.conn, sql, { n: 5000 }, 4990, null);
      expect([rest.rows.map((r) => r.i), rest.total]).toEqual([[9, 8, 7, 6, 5, 4, 3, 2, 1, 0], 5000]);
      expect(await queryPage(db.conn, sql, { n: 5000 }, 6000, 10)).toMatchObject({ rows: [], total: 5000 });
      // an empty result
      expect(await queryPage(db.conn, sql, { n: 0 }, 0, 10)).toMatchObject({ rows: [], total: 0 });
    });
  });
});
