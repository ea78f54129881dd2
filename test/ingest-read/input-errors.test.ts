import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFile, InputError } from '../../ingest/read/index.ts';
import { Scratch } from './helpers.ts';

const s = new Scratch();
beforeAll(() => s.open());
afterAll(() => s.close());

async function refused(path: string, options = {}): Promise<InputError> {
  const error = await inspectFile(path, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('files refused in phase 1', () => {
  it('an empty file', async () => {
    const error = await refused(await s.write('x.csv', ''));
    expect(error.zh).toBe('文件 x.csv 为空：请确认导出是否完整后重新导入。');
    expect(error.en).toBe('x.csv is empty');
  });

  it('a file of blank lines', async () => {
    expect((await refused(await s.write('blank.csv', '\n\r\n\n'))).zh).toContain('为空');
  });

  it('a header without data rows, with or without trailing blank lines', async () => {
    for (const content of ['a,b', 'a,b\n', 'a,b\r\n\r\n\n']) {
      const error = await refused(await s.write('header-only.csv', content));
      expect(error.zh).toBe('文件 header-only.csv 只有表头，没有数据行：请确认导出是否完整后重新导入。');
    }
  });

  it('duplicate header names, after trimming', async () => {
    const error = await refused(await s.write('dup.csv', '案件编号,罪名, 罪名 \nA1,x,y\n'));
    expect(error.zh).toBe(
      '文件 dup.csv 的表头中“罪名”出现了 2 次（第 2、3 列）：请删除或重命名重复的列后重新导入。',
    );
  });

  it('an empty header name, including a trailing delimiter', async () => {
    expect((await refused(await s.write('empty-name.csv', 'a,,c\n1,2,3\n'))).zh).toBe(
      '文件 empty-name.csv 的表头第 2 列没有列名：请为每一列填写列名（或删除多余的空列）后重新导入。',
    );
    expect((await refused(await s.write('trailing.csv', 'a,b,\n1,2,\n'))).zh).toContain('第 3 列没有列名');
  });

  it('an unterminated quote in the header', async () => {
    expect((await refused(await s.write('open.csv', 'a,"b\n1,2\n'))).zh).toContain('表头引号未闭合');
  });

  it('a missing file', async () => {
    const error = await refused(`${s.dir}/nowhere.csv`);
    expect(error.zh).toBe('无法读取文件 nowhere.csv（文件不存在）：请确认路径正确、文件存在且有读取权限。');
  });

  it('a legacy .xls workbook and HTML pretending to be one', async () => {
    const xls = await s.write('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    expect((await refused(xls)).zh).toContain('旧版 Excel 格式（.xls）');
    const html = await s.write('report.xls', '<html><table><tr><td>a</td></tr></table></html>');
    expect((await refused(html)).zh).toContain('无法识别文件 report.xls 的格式');
  });

  it('an .xlsx that is not a zip', async () => {
    expect((await refused(await s.write('fake.xlsx', 'a,b\n1,2\n'))).zh).toContain(
      '无法识别文件 fake.xlsx 的格式',
    );
  });
});
