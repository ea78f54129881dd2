import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { withDatabase } from '../helpers/db.ts';
import { CASE_HEADER, CASE_HEADER_ZH, caseRow } from '../helpers/files.ts';
import { ingest, rows } from '../helpers/ingest.ts';

const loadedCases = (db: Parameters<typeof rows>[0]) =>
  rows(db, 'SELECT case_id, district_code d, charge, filed_on::VARCHAR f FROM cases ORDER BY 1');

describe('ingest: every format through the whole pipeline', () => {
  it('GB18030 CSV with Chinese headers (what Excel on Chinese Windows writes), detected automatically', async () => {
    await withDatabase(async (db, dir) => {
      const text = [
        CASE_HEADER_ZH,
        caseRow('G1', { district_code: '海淀区', police_unit: '中关村派出所' }),
        caseRow('G2', { filed_on: '2024-02-30' }),
      ]
        .map((r) => r.join(','))
        .join('\r\n');
      const path = join(dir, '案件导出.csv');
      writeFileSync(path, iconv.encode(text + '\r\n', 'gb18030'));
      const b = (await ingest(db, [path])).batches[0]!;
      expect(b).toMatchObject({ table: 'cases', rows_loaded: 1, rows_rejected: 1 });
      expect(b.rejects.map((r) => r.line)).toEqual([3]);
      expect(await rows(db, 'SELECT police_unit, district_code FROM cases')).toEqual([
        { police_unit: '中关村派出所', district_code: '110108' },
      ]);
      expect(await rows(db, 'SELECT encoding, format FROM batches')).toEqual([
        { encoding: 'gb18030', format: 'csv' },
      ]);
    });
  });

  it('XLSX: sheet rows as line numbers, date cells, --sheet', async () => {
    await withDatabase(async (db, dir) => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('说明').addRow(['本文件由公安系统导出']);
      const ws = wb.addWorksheet('案件');
      ws.addRow(['案件编号', '区划', '办案单位', '罪名', '立案日期', '案件状态']);
      ws.addRow(['X1', '110101', '东城分局', '危险驾驶罪', new Date(Date.UTC(2024, 1, 29)), '侦查中']); // row 2
      ws.addRow(['X2', '110101', '东城分局', '危险驾驶罪', '2024-13-01', '侦查中']); // row 3
      const path = join(dir, 'cases.xlsx');
      await wb.xlsx.writeFile(path);
      const b = (await ingest(db, [path], { sheet: '案件' })).batches[0]!;
      expect(b).toMatchObject({ table: 'cases', rows_loaded: 1, rows_rejected: 1 });
      expect(b.rejects.map((r) => [r.line, r.column])).toEqual([[3, 'filed_on']]);
      expect(await loadedCases(db)).toEqual([
        { case_id: 'X1', d: '110101', charge: '危险驾驶罪', f: '2024-02-29' },
      ]);
    });
  });

  it('JSON lines (file lines, blank lines skipped) and JSON arrays (element index)', async () => {
    await withDatabase(async (db, dir) => {
      const obj = (id: string, filed: string) =>
        Object.fromEntries(CASE_HEADER.map((h, i) => [h, caseRow(id, { filed_on: filed })[i]]));
      const jl = join(dir, 'cases.jsonl');
      writeFileSync(
        jl,
        [JSON.stringify(obj('J1', '2024-03-05')), '', JSON.stringify(obj('J2', 'bad'))].join('\n') + '\n',
      );
      const a = (await ingest(db, [jl])).batches[0]!;
      expect(a).toMatchObject({ rows_loaded: 1, rows_rejected: 1 });
      expect(a.rejects.map((r) => r.line)).toEqual([3]);
      const arr = join(dir, 'cases.json');
      writeFileSync(
        arr,
        JSON.stringify([obj('J3', '2024-03-06'), obj('J4', '2024/3/7'), obj('J5', '2024-02-30')], null, 2),
      );
      const b = (await ingest(db, [arr])).batches[0]!;
      expect(b).toMatchObject({ rows_loaded: 2, rows_rejected: 1 });
      expect(b.rejects.map((r) => r.line)).toEqual([3]);
      expect((await loadedCases(db)).map((r) => r.f)).toEqual(['2024-03-05', '2024-03-06', '2024-03-07']);
    });
  });

  it('Parquet with typed DATE columns (row numbers as lines)', async () => {
    await withDatabase(async (db, dir) => {
      const path = join(dir, 'cases.parquet');
      await db.conn.run(
        `COPY (SELECT * FROM (VALUES ('Q1', '110105', '朝阳分局', '诈骗罪', DATE '2024-02-29', '侦查中'),
                                     ('Q2', '110103', '朝阳分局', '诈骗罪', DATE '2024-03-01', '侦查中'))
               t(case_id, district_code, police_unit, charge, filed_on, status)) TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`,
      );
      const b = (await ingest(db, [path])).batches[0]!;
      expect(b).toMatchObject({ rows_loaded: 1, rows_rejected: 1 });
      expect(b.rejects.map((r) => [r.line, r.column])).toEqual([[2, 'district_code']]);
      expect(await loadedCases(db)).toEqual([
        { case_id: 'Q1', d: '110105', charge: '诈骗罪', f: '2024-02-29' },
      ]);
    });
  });
});
