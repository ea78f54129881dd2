import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMapping } from '../../ingest/mapping.ts';
import { UserError } from '../../src/db/errors.ts';
import { tempDir, withDatabase } from '../helpers/db.ts';
import { writeCsv } from '../helpers/files.ts';
import { ingest, rows } from '../helpers/ingest.ts';

const MAPPING = {
  table: 'cases',
  columns: {
    编号: 'case_id',
    单位: 'police_unit',
    案由: 'charge',
    立案时间: 'filed_on',
    状态: 'status',
    撤案时间: 'closed_on',
  },
  values: { status: { 在侦: '侦查中', 撤案: '已撤案' } },
  null_tokens: ['NA'],
  date_formats: ['%d/%m/%Y'],
  constants: { district_code: '海淀' },
};

describe('mapping files', () => {
  it('loads a foreign layout: column map, value map, null tokens, date formats, constants', async () => {
    await withDatabase(async (db, dir) => {
      const mapping = join(dir, 'haidian.json');
      writeFileSync(mapping, JSON.stringify(MAPPING));
      const file = writeCsv(dir, 'export.csv', [
        ['编号', '单位', '案由', '立案时间', '状态', '撤案时间', '承办人'],
        ['H1', '海淀分局', '诈骗', '05/03/2024', '在侦', 'NA', 'x'],
        ['H2', 'NA', '盗窃罪', '2024-03-06', '撤案', '01/04/2024', 'y'], // police_unit NA → empty → required
        ['H3', '中关村派出所', '盗窃罪', '2024-03-06', '撤案', '01/04/2024', 'z'],
      ]);
      const b = (await ingest(db, [file], { mappingPath: mapping })).batches[0]!;
      expect(b).toMatchObject({
        table: 'cases',
        rows_loaded: 2,
        rows_rejected: 1,
        extra_columns: ['承办人'],
      });
      expect(b.rejects).toEqual([{ line: 3, column: 'police_unit', reason: '必填项为空' }]);
      expect(
        await rows(
          db,
          'SELECT case_id, district_code d, charge, filed_on::VARCHAR f, status, closed_on::VARCHAR c FROM cases ORDER BY 1',
        ),
      ).toEqual([
        { case_id: 'H1', d: '110108', charge: '诈骗罪', f: '2024-03-05', status: '侦查中', c: null },
        { case_id: 'H3', d: '110108', charge: '盗窃罪', f: '2024-03-06', status: '已撤案', c: '2024-04-01' },
      ]);
    });
  });

  it('refuses an unknown key, naming it, as unusable input', () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'm.json');
      writeFileSync(path, JSON.stringify({ ...MAPPING, colums: {} }));
      const err = (() => {
        try {
          readMapping(path);
        } catch (e) {
          return e as UserError;
        }
      })();
      expect(err).toBeInstanceOf(UserError);
      expect(err!.zh).toContain('未知的键 colums');
      expect(err!.exitCode).toBe(2);
    } finally {
      cleanup();
    }
  });

  it('refuses columns the table does not have', () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'm.json');
      writeFileSync(
        path,
        JSON.stringify({ table: 'cases', columns: { a: 'case_no' }, values: { stat: {} } }),
      );
      expect(() => readMapping(path)).toThrow(/case_no、stat/);
    } finally {
      cleanup();
    }
  });
});
