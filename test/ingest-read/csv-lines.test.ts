import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, linesOf, Scratch } from './helpers.ts';

const s = new Scratch();
beforeAll(() => s.open());
afterAll(() => s.close());

describe('CSV line numbers and records', () => {
  it('counts quoted newlines, blank lines and reports a record with too many fields', async () => {
    const { file, staged, rows } = await s.stage(fixture('multiline.csv'));
    expect(file.format).toBe('csv');
    expect(file.encoding).toBe('utf-8');
    expect(file.header).toEqual(['case_id', 'note', 'count']);
    expect(rows).toEqual([
      ['A1', 'plain', '1'],
      ['A2', 'two\nlines', '2'],
      ['A3', 'quote " inside, and comma', '3'],
      ['A5', 'three\nline\nvalue', '5'],
      ['A6', 'last', '6'],
    ]);
    expect(linesOf(staged)).toEqual([2, 3, 6, 8, 11]);
    expect(staged.malformed).toEqual([{ line: 7, reason: '列数与表头不一致：应为 3 列，实为 4 列' }]);
    expect(await s.stagingLeftovers()).toEqual([]);
  });

  it('handles CRLF, CRLF inside quotes, blank CRLF lines and a last line without a line break', async () => {
    const path = await s.write('crlf.csv', 'a,b\r\n1,"x\r\ny"\r\n\r\n2,3\r\n4,5');
    const { staged, rows } = await s.stage(path);
    expect(rows).toEqual([
      ['1', 'x\r\ny'],
      ['2', '3'],
      ['4', '5'],
    ]);
    expect(linesOf(staged)).toEqual([2, 5, 6]);
    expect(staged.malformed).toEqual([]);
  });

  it('reports an unterminated quote with the line where the record starts', async () => {
    const path = await s.write('unterminated.csv', 'a,b\n1,2\n3,"open\n4,5\n');
    const { staged, rows } = await s.stage(path);
    expect(rows).toEqual([['1', '2']]);
    expect(linesOf(staged)).toEqual([2]);
    expect(staged.malformed).toEqual([
      { line: 3, reason: '引号未闭合：本行开始的带引号字段直到文件末尾都没有结束引号' },
    ]);
  });

  it('reports too few fields and keeps the rows around it in order', async () => {
    const path = await s.write('short.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n,,\n');
    const { staged, rows } = await s.stage(path);
    expect(rows).toEqual([
      ['1', '2', '3'],
      ['6', '7', '8'],
      [null, null, null],
    ]);
    expect(linesOf(staged)).toEqual([2, 4, 5]);
    expect(staged.malformed).toEqual([{ line: 3, reason: '列数与表头不一致：应为 3 列，实为 2 列' }]);
  });

  it('skips leading and trailing blank lines but counts them', async () => {
    const path = await s.write('blank-lead.csv', '\n\nx,y\n1,2\n\n\n3,4\n\n');
    const { file, staged, rows } = await s.stage(path);
    expect(file.header).toEqual(['x', 'y']);
    expect(rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(linesOf(staged)).toEqual([4, 7]);
  });

  it('skips blank lines in a one-column file (DuckDB alone would read them as NULL rows)', async () => {
    const path = await s.write('one-column.csv', 'id\nA1\n\nA2\n""\n');
    const { staged, rows } = await s.stage(path);
    expect(rows).toEqual([['A1'], ['A2'], [null]]);
    expect(linesOf(staged)).toEqual([2, 4, 5]);
  });

  it('treats a lone CR (old Mac line ends) as a line break', async () => {
    const path = await s.write('cr.csv', 'a,b\r1,2\r3,4\r');
    const { staged, rows } = await s.stage(path);
    expect(rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(linesOf(staged)).toEqual([2, 3]);
  });

  it('reads irregular quoting the way Excel does', async () => {
    const path = await s.write('irregular.csv', 'a,b\n"ab"c,d\nx"y,"z"\n" p" ,q\n');
    const { staged, rows } = await s.stage(path);
    expect(rows).toEqual([
      ['abc', 'd'],
      ['x"y', 'z'],
      [' p ', 'q'],
    ]);
    expect(linesOf(staged)).toEqual([2, 3, 4]);
  });

  it('keeps values as written: spaces, NULL-like words; an empty field is NULL', async () => {
    const path = await s.write('raw.csv', 'a,b,c,d\n  x , NULL,"",-\n');
    const { rows } = await s.stage(path);
    expect(rows).toEqual([['  x ', ' NULL', null, '-']]);
  });

  it('trims header names and strips a UTF-8 BOM, also before a quoted name', async () => {
    const path = await s.write('bom.csv', '\uFEFF"案件编号", 罪名 \nA1,盗窃罪\n');
    const { file, rows, staged } = await s.stage(path);
    expect(file.header).toEqual(['案件编号', '罪名']);
    expect(rows).toEqual([['A1', '盗窃罪']]);
    expect(linesOf(staged)).toEqual([2]);
  });

  it('takes a header whose quoted names contain a line break and a comma', async () => {
    const path = await s.write('header-break.csv', 'a,"b\nc","d,e"\n1,2,3\n4,5,6\n');
    const { file, staged, rows } = await s.stage(path);
    expect(file.header).toEqual(['a', 'b\nc', 'd,e']);
    expect(rows).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
    expect(linesOf(staged)).toEqual([3, 4]);
  });

  it('reads TSV with a quoted tab', async () => {
    const { file, rows, staged } = await s.stage(fixture('cases.tsv'));
    expect(file.format).toBe('tsv');
    expect(file.header).toEqual(['case_id', 'charge', 'note']);
    expect(rows).toEqual([
      ['A1', '盗窃罪', 'tab\tinside'],
      ['A2', '诈骗罪', null],
    ]);
    expect(linesOf(staged)).toEqual([2, 3]);
  });

  it('takes a .txt or .csv with tabs in the header line as TSV', async () => {
    const txt = await s.write('export.txt', 'a\tb\n1\t2,5\n');
    const csv = await s.write('export.csv', 'a\tb\n1\t2\n');
    expect((await s.stage(txt)).rows).toEqual([['1', '2,5']]);
    expect((await s.stage(csv)).file.format).toBe('tsv');
  });

  it('rewrites a malformed TSV with its own delimiter', async () => {
    const path = await s.write('bad.tsv', 'a\tb\n1\t"x,y"\n2\n3\t4\n');
    const { rows, staged } = await s.stage(path);
    expect(rows).toEqual([
      ['1', 'x,y'],
      ['3', '4'],
    ]);
    expect(staged.malformed).toEqual([{ line: 3, reason: '列数与表头不一致：应为 2 列，实为 1 列' }]);
  });
});
