import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runModule } from '../../queries/run.ts';
import { ALL_DISTRICTS } from '../../queries/scope.ts';
import {
  BULK_LOAD_ROWS,
  CASE_INDEXES,
  dropIndexForBulkLoad,
  ensureCaseIndexes,
} from '../../src/db/case-indexes.ts';
import { all, run, transaction } from '../../src/db/sql.ts';
import { withDatabase } from '../helpers/db.ts';
import { loadFixture } from '../queries/measures/load.ts';

const indexNames = async (conn: Parameters<typeof all>[0]) =>
  (
    await all<{ index_name: string }>(conn, 'SELECT index_name FROM duckdb_indexes() ORDER BY index_name')
  ).map((r) => r.index_name);

interface PlanNode {
  operator_name?: string;
  extra_info?: { Table?: string; Type?: string };
  children?: PlanNode[];
}

/** Every scan of an exchange table in the last profiled statement, as "table: type". */
function scansOf(node: PlanNode, out: string[] = []): string[] {
  const table = node.extra_info?.Table?.split('.').at(-1);
  if (
    node.operator_name === 'SEQ_SCAN' &&
    table &&
    !table.startsWith('calendar') &&
    !table.startsWith('mart_')
  )
    out.push(`${table}: ${node.extra_info!.Type}`);
  for (const c of node.children ?? []) scansOf(c, out);
  return out;
}

describe('case indexes', () => {
  it('a new database has all seven; a bulk load drops its table index inside its transaction', async () => {
    await withDatabase(async (db) => {
      expect(await indexNames(db.conn)).toEqual(CASE_INDEXES.map((x) => x.name).sort());
      // below the bulk size the index stays and is kept up to date by the insert
      await transaction(db.conn, async () => {
        expect(await dropIndexForBulkLoad(db.conn, 'events', BULK_LOAD_ROWS - 1)).toBe(false);
      });
      expect(await indexNames(db.conn)).toContain('zj_events_case_id');
      // a bulk load that fails gives its index back with the rollback
      await expect(
        transaction(db.conn, async () => {
          expect(await dropIndexForBulkLoad(db.conn, 'events', BULK_LOAD_ROWS)).toBe(true);
          throw new Error('load failed');
        }),
      ).rejects.toThrow('load failed');
      expect(await indexNames(db.conn)).toContain('zj_events_case_id');
      // one that commits leaves it to ensureCaseIndexes, which builds exactly what is missing
      await transaction(db.conn, () => dropIndexForBulkLoad(db.conn, 'events', BULK_LOAD_ROWS));
      expect(await indexNames(db.conn)).not.toContain('zj_events_case_id');
      const r = await ensureCaseIndexes(db.conn);
      expect(r.created).toEqual(['zj_events_case_id']);
      expect(r.failed).toBeUndefined();
      expect((await ensureCaseIndexes(db.conn)).created).toEqual([]);
    });
  });

  it('one case timeline reads every exchange table through its index, never by a full scan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zj-plan-'));
    try {
      await withDatabase(async (db) => {
        await loadFixture(db, 'timeline', '2025-06-30');
        const plain = await runModule(
          db.conn,
          'case-timeline',
          { case_id: 'T1' },
          { districts: ALL_DISTRICTS },
        );
        const profile = join(dir, 'profile.json');
        await run(db.conn, "SET enable_profiling = 'json'");
        await run(db.conn, `SET profiling_output = '${profile}'`);
        const r = await runModule(db.conn, 'case-timeline', { case_id: 'T1' }, { districts: ALL_DISTRICTS });
        await run(db.conn, "SET enable_profiling = 'no_output'");
        expect(r.rows).toEqual(plain.rows);
        const scans = scansOf(JSON.parse(readFileSync(profile, 'utf8')) as PlanNode);
        // the timeline's own reads and the shared custody macro's: cases twice, events twice, suspects twice
        for (const t of ['cases', 'suspects', 'events', 'decisions', 'supervision', 'property'])
          expect(scans.filter((s) => s.startsWith(`${t}:`)).length, t).toBeGreaterThan(0);
        // measures are reached through the case's suspects; the custody macro's read filters on 逮捕 as well
        expect(scans.filter((s) => s.endsWith('Sequential Scan') && !s.startsWith('measures:'))).toEqual([]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
