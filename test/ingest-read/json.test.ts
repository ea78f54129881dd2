import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFile, InputError } from '../../ingest/read/index.ts';
import { fixture, linesOf, Scratch } from './helpers.ts';

const s = new Scratch();
beforeAll(() => s.open());
afterAll(() => s.close());

async function refused(path: string): Promise<InputError> {
  const error = await inspectFile(path, {}).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('JSON lines', () => {
  it('uses file lines, skips blank lines and reports a line that is not JSON', async () => {
    const { file, staged, rows } = await s.stage(fixture('records.jsonl'));
    expect(file.format).toBe('jsonl');
    expect(file.encoding).toBe('utf-8');
    expect(file.header).toEqual(['case_id', 'returns', 'amount', 'charge', 'extra']);
    expect(rows).toEqual([
      ['A1', '2', '1.50', null, null],
      ['A2', null, null, '盗窃罪', '{"k":[1,2]}'],
      ['A3', null, null, null, null],
    ]);
    expect(linesOf(staged)).toEqual([1, 3, 5]);
    expect(staged.malformed).toEqual([{ line: 4, reason: 'JSON 格式错误：第 1 个字符“n”处' }]);
  });

  it('reads GB18030 JSON lines with CRLF', async () => {
    const path = await s.write(
      'gb.jsonl',
      iconv.encode('{"案件编号":"A1","罪名":"盗窃罪"}\r\n\r\n{"案件编号":"A2"}\r\n', 'gb18030'),
    );
    const { file, staged, rows } = await s.stage(path);
    expect(file.encoding).toBe('gb18030');
    expect(file.header).toEqual(['案件编号', '罪名']);
    expect(rows).toEqual([
      ['A1', '盗窃罪'],
      ['A2', null],
    ]);
    expect(linesOf(staged)).toEqual([1, 3]);
  });
});

describe('JSON array', () => {
  const text = `[
  {"案件编号": "A1", "退查次数": 2, "金额": 1.50, "身份证号": 110101199001011234567, "嵌套": {"a": [1, 2], "b": "x y"}},
  {"案件编号": "A2", "是否": true, "空": "", "说明": "含\\"引号\\"和\\n换行\\u0041"},
  42,
  {"案件编号": "A3", "退查次数": null}
]
`;

  it('uses the 1-based element index, keeps numbers as written and nested values as compact JSON', async () => {
    const { file, staged, rows } = await s.stage(await s.write('records.json', text));
    expect(file.format).toBe('json');
    expect(file.header).toEqual(['案件编号', '退查次数', '金额', '身份证号', '嵌套', '是否', '空', '说明']);
    expect(rows).toEqual([
      ['A1', '2', '1.50', '110101199001011234567', '{"a":[1,2],"b":"x y"}', null, null, null],
      ['A2', null, null, null, null, 'true', null, '含"引号"和\n换行A'],
      ['A3', null, null, null, null, null, null, null],
    ]);
    expect(linesOf(staged)).toEqual([1, 2, 4]);
    expect(staged.malformed).toEqual([{ line: 3, reason: '不是 JSON 对象（是数字），每条记录应为 {…}' }]);
  });

  it('finds element boundaries across read chunks', async () => {
    const elements = Array.from({ length: 30_000 }, (_, i) =>
      JSON.stringify({ id: `A${i}`, note: 'x'.repeat(40) }),
    );
    const path = await s.write('many.json', `[${elements.join(',\n')}]`);
    const { staged, rows } = await s.stage(path);
    expect(staged.rows).toBe(30_000);
    expect(rows[29_999]).toEqual(['A29999', 'x'.repeat(40)]);
    expect(staged.lineOf(29_999)).toBe(30_000);
  });

  it('refuses a truncated array, an empty array and records without fields', async () => {
    expect((await refused(await s.write('cut.json', '[{"a":1},{"a":'))).zh).toBe(
      '文件 cut.json 不是有效的 JSON（JSON 数组没有正常结束（缺少 ]），文件可能不完整）：请确认导出是否完整后重新导入。',
    );
    expect((await refused(await s.write('empty.json', '[ ]'))).zh).toContain('为空');
    expect((await refused(await s.write('scalars.json', '[1, "a", {}]'))).zh).toContain(
      '没有任何带字段的 JSON 对象',
    );
    expect((await refused(await s.write('tail.json', '[{"a":1}] x'))).zh).toContain(
      '数组的结束符 ] 之后还有内容',
    );
  });

  it('refuses keys that collide after trimming', async () => {
    expect((await refused(await s.write('dup.json', '[{"a":1," a ":2}]'))).zh).toContain('“a”出现了 2 次');
  });
});
