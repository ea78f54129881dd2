import { describe, expect, it } from 'vitest';
import { withDatabase } from '../helpers/db.ts';
import { CASE_HEADER, caseRow, writeCsv } from '../helpers/files.ts';
import { ingest, rows } from '../helpers/ingest.ts';

const units = (db: Parameters<typeof rows>[0]) =>
  rows<{ case_id: string; police_unit: string }>(
    db,
    'SELECT case_id, police_unit FROM cases ORDER BY case_id',
  );

describe('ingest: reload rules (contract.md "Load semantics")', () => {
  it('applies updated_at precedence: newer wins, missing is oldest, none on either side = last loaded wins', async () => {
    await withDatabase(async (db, dir) => {
      const f1 = writeCsv(dir, 'f1.csv', [
        CASE_HEADER,
        caseRow('E1', { police_unit: 'U1', updated_at: '2024-05-02 10:00' }),
        caseRow('E2', { police_unit: 'U1' }),
        caseRow('E3', { police_unit: 'U1', updated_at: '2024-05-02 10:00' }),
      ]);
      expect((await ingest(db, [f1])).batches[0]).toMatchObject({
        rows_loaded: 3,
        rows_updated: 0,
        rows_unchanged: 0,
      });

      const f2 = writeCsv(dir, 'f2.csv', [
        CASE_HEADER,
        caseRow('E1', { police_unit: 'U2', updated_at: '2024-05-01 10:00' }), // older → unchanged
        caseRow('E2', { police_unit: 'U2' }), // neither has one, content differs → update
        caseRow('E3', { police_unit: 'U2' }), // incoming has none → older → unchanged
        caseRow('E4', { police_unit: 'U2' }), // new
      ]);
      expect((await ingest(db, [f2])).batches[0]).toMatchObject({
        rows_read: 4,
        rows_loaded: 1,
        rows_updated: 1,
        rows_unchanged: 2,
      });

      const f3 = writeCsv(dir, 'f3.csv', [
        CASE_HEADER,
        caseRow('E1', { police_unit: 'U3', updated_at: '2024-05-03 00:00' }), // newer → update
        caseRow('E2', { police_unit: 'U3', updated_at: '2024-01-01 00:00' }), // stored has none → update
        caseRow('E3', { police_unit: 'U3', updated_at: '2024-05-02 10:00:00' }), // equal → unchanged
        caseRow('E4', { police_unit: 'U2' }), // identical, no timestamps → unchanged
      ]);
      expect((await ingest(db, [f3])).batches[0]).toMatchObject({
        rows_loaded: 0,
        rows_updated: 2,
        rows_unchanged: 2,
      });
      expect(await units(db)).toEqual([
        { case_id: 'E1', police_unit: 'U3' },
        { case_id: 'E2', police_unit: 'U3' },
        { case_id: 'E3', police_unit: 'U1' },
        { case_id: 'E4', police_unit: 'U2' },
      ]);
      // one row per key, and each remembers the batch that last wrote it
      expect(await rows(db, 'SELECT count(*) n, count(DISTINCT case_id) k FROM cases')).toEqual([
        { n: 4, k: 4 },
      ]);
    });
  });

  it('keeps one of in-file duplicates: newest updated_at, else the earlier row; identical copies count once', async () => {
    await withDatabase(async (db, dir) => {
      const file = writeCsv(dir, 'dups.csv', [
        CASE_HEADER,
        caseRow('F1', { police_unit: 'U1', updated_at: '2024-05-01 00:00' }), // line 2: older → rejected
        caseRow('F1', { police_unit: 'U2', updated_at: '2024-05-03 00:00' }), // line 3: kept
        caseRow('F1', { police_unit: 'U2', updated_at: '2024-05-03 00:00' }), // line 4: identical → once
        caseRow('F2', { police_unit: 'U1' }), // line 5: kept (earlier)
        caseRow('F2', { police_unit: 'U2' }), // line 6: later, differs → rejected
        caseRow('F3', { police_unit: 'U1' }), // line 7
        caseRow('F3', { police_unit: 'U1' }), // line 8: identical → once
      ]);
      const b = (await ingest(db, [file])).batches[0]!;
      expect(b).toMatchObject({ rows_read: 7, rows_loaded: 3, rows_unchanged: 2, rows_rejected: 2 });
      expect(b.rejects.map((r) => [r.line, r.column])).toEqual([
        [2, 'case_id'],
        [6, 'case_id'],
      ]);
      expect(b.rejects[0]!.reason).toContain('第 3 行');
      expect(b.rejects[1]!.reason).toContain('第 5 行');
      expect(await units(db)).toEqual([
        { case_id: 'F1', police_unit: 'U2' },
        { case_id: 'F2', police_unit: 'U1' },
        { case_id: 'F3', police_unit: 'U1' },
      ]);
    });
  });

  it('skips a clean file seen before and changes nothing', async () => {
    await withDatabase(async (db, dir) => {
      const file = writeCsv(dir, 'cases.csv', [CASE_HEADER, caseRow('G1'), caseRow('G2')]);
      const first = (await ingest(db, [file])).batches[0]!;
      const snapshot = await rows(db, 'SELECT * FROM cases ORDER BY case_id');
      const again = (await ingest(db, [file])).batches[0]!;
      expect(again).toMatchObject({ status: 'skipped', batch_id: first.batch_id, rows_read: 0 });
      expect(await rows(db, 'SELECT * FROM cases ORDER BY case_id')).toEqual(snapshot);
      expect(await rows(db, 'SELECT count(*) n FROM batches')).toEqual([{ n: 1 }]);
    });
  });

  it('retries only the rejected rows of a file, so missing references load once they exist', async () => {
    await withDatabase(async (db, dir) => {
      await ingest(db, [writeCsv(dir, 'cases1.csv', [CASE_HEADER, caseRow('K1')])]);
      const suspects = writeCsv(dir, 'suspects.csv', [
        ['嫌疑人编号', '案件编号', '姓名'],
        ['S1', 'K1', '张三'],
        ['S2', 'K2', '李四'], // line 3: case K2 not loaded yet
      ]);
      const first = (await ingest(db, [suspects])).batches[0]!;
      expect(first).toMatchObject({ table: 'suspects', rows_loaded: 1, rows_rejected: 1 });
      expect(first.rejects).toEqual([
        { line: 3, column: 'case_id', reason: expect.stringContaining('案件「K2」') },
      ]);

      // still missing: only line 3 is tried, and rejected again
      const second = (await ingest(db, [suspects])).batches[0]!;
      expect(second).toMatchObject({
        status: 'loaded',
        rows_read: 1,
        rows_loaded: 0,
        rows_unchanged: 0,
        rows_rejected: 1,
      });

      await ingest(db, [writeCsv(dir, 'cases2.csv', [CASE_HEADER, caseRow('K2')])]);
      const third = (await ingest(db, [suspects])).batches[0]!;
      expect(third).toMatchObject({ rows_read: 1, rows_loaded: 1, rows_rejected: 0 });
      const fourth = (await ingest(db, [suspects])).batches[0]!;
      expect(fourth.status).toBe('skipped');
      expect(await rows(db, 'SELECT suspect_id, case_id, name_masked FROM suspects ORDER BY 1')).toEqual([
        { suspect_id: 'S1', case_id: 'K1', name_masked: '张某' },
        { suspect_id: 'S2', case_id: 'K2', name_masked: '李某' },
      ]);
    });
  });

  it('loads files of one command in dependency order whatever order they are given in', async () => {
    await withDatabase(async (db, dir) => {
      const measures = writeCsv(dir, 'm.csv', [
        ['measure_id', 'suspect_id', 'measure', 'start_on'],
        ['M1', 'S1', '刑事拘留', '2024-03-06'],
      ]);
      const suspects = writeCsv(dir, 's.csv', [
        ['suspect_id', 'case_id'],
        ['S1', 'L1'],
      ]);
      const cases = writeCsv(dir, 'c.csv', [CASE_HEADER, caseRow('L1')]);
      const r = await ingest(db, [measures, suspects, cases]);
      expect(r.batches.map((b) => [b.table, b.rows_loaded, b.rows_rejected])).toEqual([
        ['cases', 1, 0],
        ['suspects', 1, 0],
        ['measures', 1, 0],
      ]);
      expect(await rows(db, 'SELECT decided_by FROM measures')).toEqual([{ decided_by: '公安' }]);
    });
  });
});
