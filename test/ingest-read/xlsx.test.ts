import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFile, InputError } from '../../ingest/read/index.ts';
import { linesOf, Scratch } from './helpers.ts';

const s = new Scratch();
let workbookPath = '';

async function writeWorkbook(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('说明', { state: 'hidden' }).addRow(['本工作簿由系统导出']);
  const cases = wb.addWorksheet('案件');
  cases.addRow([]);
  cases.addRow(['案件编号', ' 受案日期 ', '金额', '身份证号', '合计', '涉企', '单位', '更新时间']);
  cases.addRow([
    'A1',
    new Date(Date.UTC(2024, 2, 5)),
    1234.5,
    '110101199001011234',
    { formula: 'C3*2', result: 2469 },
    true,
    { richText: [{ text: '朝阳' }, { text: '分局', font: { bold: true } }] },
    new Date(Date.UTC(2024, 2, 5, 13, 45, 7)),
  ]);
  cases.getCell('B3').numFmt = 'yyyy-mm-dd';
  cases.getCell('H3').numFmt = 'yyyy-mm-dd hh:mm:ss';
  cases.addRow([]);
  cases.addRow(['A2', null, 1e21, 0.1 + 0.2, { formula: 'B3+1', result: 45357 }, false, 1e-7, '']);
  cases.getCell('E5').numFmt = 'yyyy/m/d';
  cases.addRow(['A3', null, 1]);
  cases.getCell('J6').value = '备注';
  cases.addRow(['A4', null, -0.5, '0012', { formula: 'NA()', result: { error: '#N/A' } }]);
  const suspects = wb.addWorksheet('嫌疑人');
  suspects.addRow(['嫌疑人编号', '姓名']);
  suspects.addRow(['S1', '张三']);
  wb.addWorksheet('空表');
  const gap = wb.addWorksheet('缺列名');
  gap.addRow(['a', null, 'c']);
  gap.addRow([1, 2, 3]);
  const headerOnly = wb.addWorksheet('只有表头');
  headerOnly.addRow(['a', 'b']);
  await wb.xlsx.writeFile(path);
}

beforeAll(async () => {
  await s.open();
  workbookPath = `${s.dir}/cases.xlsx`;
  await writeWorkbook(workbookPath);
});
afterAll(() => s.close());

async function refused(options = {}, path = workbookPath): Promise<InputError> {
  const error = await inspectFile(path, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('XLSX', () => {
  it('reads the first visible sheet with cell text, sheet row numbers and a reported stray cell', async () => {
    const { file, staged, rows } = await s.stage(workbookPath);
    expect(file.format).toBe('xlsx');
    expect(file.encoding).toBeNull();
    expect(file.sheet).toBe('案件');
    expect(file.header).toEqual([
      '案件编号',
      '受案日期',
      '金额',
      '身份证号',
      '合计',
      '涉企',
      '单位',
      '更新时间',
    ]);
    expect(rows).toEqual([
      ['A1', '2024-03-05', '1234.5', '110101199001011234', '2469', 'true', '朝阳分局', '2024-03-05 13:45:07'],
      ['A2', null, '1000000000000000000000', '0.30000000000000004', '2024-03-06', 'false', '0.0000001', null],
      // exceljs parses a formula's cached result with parseFloat, so an error result arrives as NaN: NULL
      ['A4', null, '-0.5', '0012', null, null, null, null],
    ]);
    expect(linesOf(staged)).toEqual([3, 5, 7]);
    expect(staged.malformed).toEqual([
      { line: 6, reason: '表头范围以外的第 10 列（J 列）有内容：请删除该单元格或为该列补上表头' },
    ]);
    expect(await s.stagingLeftovers()).toEqual([]);
  });

  it('reads the sheet named by --sheet', async () => {
    const { file, staged, rows } = await s.stage(workbookPath, { sheet: '嫌疑人' });
    expect(file.sheet).toBe('嫌疑人');
    expect(file.header).toEqual(['嫌疑人编号', '姓名']);
    expect(rows).toEqual([['S1', '张三']]);
    expect(linesOf(staged)).toEqual([2]);
  });

  it('refuses a sheet that does not exist, naming the sheets that do', async () => {
    const error = await refused({ sheet: '措施' });
    expect(error.zh).toBe(
      '文件 cases.xlsx 中没有名为“措施”的工作表（现有：说明、案件、嫌疑人、空表、缺列名、只有表头）：请用 --sheet 指定正确的工作表名。',
    );
  });

  it('refuses an empty sheet, a header gap and a header without rows', async () => {
    expect((await refused({ sheet: '空表' })).zh).toContain('工作表“空表”是空的');
    expect((await refused({ sheet: '缺列名' })).zh).toContain('表头第 2 列没有列名');
    expect((await refused({ sheet: '只有表头' })).zh).toContain('只有表头，没有数据行');
  });

  it('refuses a workbook that expands beyond the limit', async () => {
    const error = await refused({ maxUnzippedBytes: 4096 });
    expect(error.zh).toMatch(/^文件 cases\.xlsx 解压后超过 4 KB 或条目过多/);
  });

  it('refuses a zip that is not a workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['a']);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const broken = await s.write('broken.xlsx', buffer.subarray(0, buffer.length - 30));
    expect((await refused({}, broken)).zh).toContain('不是有效的 XLSX 工作簿');
  });
});
