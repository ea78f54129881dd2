import { describe, expect, it } from 'vitest';
import { withDatabase } from '../helpers/db.ts';
import { CASE_HEADER, CASE_HEADER_ZH, caseRow, writeCsv } from '../helpers/files.ts';
import { ingest, rows } from '../helpers/ingest.ts';

describe('ingest: values, rejects and line numbers', () => {
  it('loads good rows and rejects bad ones with line, column and a Chinese reason', async () => {
    await withDatabase(async (db, dir) => {
      const file = writeCsv(dir, 'cases.csv', [
        CASE_HEADER_ZH,
        caseRow('A1', { filed_on: '2024年2月29日', district_code: '朝阳' }), // line 2: ok
        caseRow('A2', { filed_on: '2024-02-30' }), // line 3: no such date
        caseRow('A3', { district_code: '110103' }), // line 4: retired code
        caseRow('A4', { charge: '盗窃', status: '已撤案', closed_on: '2024/4/1' }), // line 5: ok, 罪 added
        caseRow('A5', { status: '已移送审查起诉' }), // line 6: closed_on missing
        caseRow('A6', { charge: '不存在的罪' }), // line 7
      ]);
      const r = await ingest(db, [file]);
      const b = r.batches[0]!;
      expect(b).toMatchObject({
        table: 'cases',
        status: 'loaded',
        rows_read: 6,
        rows_loaded: 2,
        rows_rejected: 4,
      });
      expect(b.rejects.map((x) => [x.line, x.column])).toEqual([
        [3, 'filed_on'],
        [4, 'district_code'],
        [6, 'closed_on'],
        [7, 'charge'],
      ]);
      expect(b.rejects[0]!.reason).toContain('日期无法识别');
      expect(b.rejects[0]!.reason).toContain('2024-02-30');
      expect(b.rejects[1]!.reason).toContain('已撤销');
      const loaded = await rows(
        db,
        'SELECT case_id, district_code, charge, filed_on::VARCHAR f, closed_on::VARCHAR c FROM cases ORDER BY case_id',
      );
      expect(loaded).toEqual([
        { case_id: 'A1', district_code: '110105', charge: '盗窃罪', f: '2024-02-29', c: null },
        { case_id: 'A4', district_code: '110105', charge: '盗窃罪', f: '2024-03-05', c: '2024-04-01' },
      ]);
      const stored = await rows(db, 'SELECT line, column_name, batch_id FROM rejects ORDER BY line');
      expect(stored).toHaveLength(4);
      expect(stored[0]).toEqual({ line: 3, column_name: 'filed_on', batch_id: b.batch_id });
    });
  });

  it('counts lines correctly across quoted multi-line fields', async () => {
    await withDatabase(async (db, dir) => {
      const file = writeCsv(dir, 'cases.csv', [
        CASE_HEADER,
        caseRow('B1', { police_unit: '朝阳分局\n刑侦支队\n（二大队）' }), // lines 2–4
        caseRow('B2', { filed_on: 'bad' }), // line 5
        caseRow('B3', { police_unit: 'x,"y"\nz' }), // lines 6–7
        caseRow('B4', { status: '结了' }), // line 8
      ]);
      const b = (await ingest(db, [file])).batches[0]!;
      expect(b.rejects.map((x) => x.line)).toEqual([5, 8]);
      expect(await rows(db, "SELECT police_unit FROM cases WHERE case_id = 'B1'")).toEqual([
        { police_unit: '朝阳分局\n刑侦支队\n（二大队）' },
      ]);
    });
  });

  it('normalises bools, defaults, charges and other charges', async () => {
    await withDatabase(async (db, dir) => {
      const file = writeCsv(dir, 'cases.csv', [
        [...CASE_HEADER, 'enterprise_related', 'minor_victim', 'other_charges', '立案方式'],
        [...caseRow('C1', { charge: '偷税罪' }), '是', 'N', '诈骗罪；盗窃;  ', ''],
        [...caseRow('C2', { charge: '嫖宿幼女罪' }), 'y', '', '', '以事立案'],
        [...caseRow('C3'), '也许', '', '', ''],
        [...caseRow('C4'), '', '', '诈骗罪;编造的罪', ''],
      ]);
      const b = (await ingest(db, [file])).batches[0]!;
      expect(b.rejects.map((x) => [x.line, x.column])).toEqual([
        [4, 'enterprise_related'],
        [5, 'other_charges'],
      ]);
      expect(b.rejects[1]!.reason).toContain('编造的罪');
      expect(
        await rows(
          db,
          'SELECT case_id, charge, charge_historical h, enterprise_related e, minor_victim m, other_charges o, filing_basis f FROM cases ORDER BY 1',
        ),
      ).toEqual([
        {
          case_id: 'C1',
          charge: '逃税罪',
          h: false,
          e: true,
          m: false,
          o: ['诈骗罪', '盗窃罪'],
          f: '以人立案',
        },
        { case_id: 'C2', charge: '嫖宿幼女罪', h: true, e: true, m: false, o: null, f: '以事立案' },
      ]);
    });
  });

  it('lists unknown columns as extra_columns and does not store them', async () => {
    await withDatabase(async (db, dir) => {
      const file = writeCsv(dir, 'cases.csv', [
        [...CASE_HEADER, '备用字段', 'remark'],
        [...caseRow('D1'), 'x', 'y'],
      ]);
      const b = (await ingest(db, [file])).batches[0]!;
      expect(b.extra_columns).toEqual(['备用字段', 'remark']);
      expect(b.rows_loaded).toBe(1);
    });
  });
});

describe('contract metadata', () => {
  it('gives every column its own metadata (no schema object shared between columns)', async () => {
    const { columnsOf } = await import('../../ingest/contract/tables.ts');
    const cases = columnsOf('cases');
    expect(cases.find((c) => c.name === 'filed_on')!.zh).toEqual(['立案日期']);
    expect(cases.find((c) => c.name === 'accepted_on')!.zh).toEqual(['受案日期']);
    expect(columnsOf('supervision').find((c) => c.name === 'issued_on')!.zh).toEqual(['发出日期']);
  });
});
