import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../ingest/read/index.ts';
import { inspectFile } from '../../ingest/read/index.ts';
import { linesOf, Scratch } from './helpers.ts';

const s = new Scratch();
beforeAll(() => s.open());
afterAll(() => s.close());

const gb = (text: string) => Buffer.from(iconv.encode(text, 'gb18030'));

async function inputError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('encoding detection', () => {
  it('detects GB18030 from real GB18030 bytes', async () => {
    const path = await s.write('gb.csv', gb('案件编号,罪名\nA1,盗窃罪\n'));
    const { file, rows, staged } = await s.stage(path);
    expect(file.encoding).toBe('gb18030');
    expect(file.header).toEqual(['案件编号', '罪名']);
    expect(rows).toEqual([['A1', '盗窃罪']]);
    expect(linesOf(staged)).toEqual([2]);
  });

  it('decodes GBK-only bytes (0x80 is € in GBK), GBK-not-GB2312 and four-byte GB18030 characters', async () => {
    const bytes = Buffer.concat([
      gb('案件编号,金额,姓名\nA1,'),
      Buffer.from([0x80]), // CP936's euro sign; GB18030 itself encodes € as A2 E3
      gb('5,朱镕基𠮷\n'),
    ]);
    const path = await s.write('gbk.csv', bytes);
    const { file, rows } = await s.stage(path);
    expect(file.encoding).toBe('gb18030');
    expect(rows).toEqual([['A1', '€5', '朱镕基𠮷']]);
  });

  it('detects GB18030 when the first non-ASCII byte is far into the file', async () => {
    const ascii =
      'id,name\n' + Array.from({ length: 80_000 }, (_, i) => `A${i},abcdefghij`).join('\n') + '\n';
    const path = await s.write('late-gb.csv', Buffer.concat([Buffer.from(ascii), gb('Z1,盗窃罪\n')]));
    expect(ascii.length).toBeGreaterThan(1 << 20);
    const { file, rows, staged } = await s.stage(path);
    expect(file.encoding).toBe('gb18030');
    expect(rows.at(-1)).toEqual(['Z1', '盗窃罪']);
    expect(staged.lineOf(80_000)).toBe(80_002);
  });

  it('reads UTF-8 with and without BOM', async () => {
    const plain = await s.write('utf8.csv', '案件编号,罪名\nA1,盗窃罪\n');
    const bom = await s.write('utf8-bom.csv', '\uFEFF案件编号,罪名\nA1,盗窃罪\n');
    for (const path of [plain, bom]) {
      const { file, rows } = await s.stage(path);
      expect(file.encoding).toBe('utf-8');
      expect(file.header).toEqual(['案件编号', '罪名']);
      expect(rows).toEqual([['A1', '盗窃罪']]);
    }
  });

  it('refuses a file that is neither UTF-8 nor GB18030', async () => {
    const path = await s.write(
      'neither.csv',
      Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xff, 0xff, 0x0a]),
    );
    const error = await inputError(inspectFile(path, {}));
    expect(error.zh).toMatch(/^无法识别文件编码：文件 neither\.csv 既不是 UTF-8 也不是 GB18030\/GBK/);
    expect(error.en).toContain('cannot detect the encoding of neither.csv');
    expect(error.file).toBe(path);
  });

  it('names UTF-16 when Excel saved "Unicode text"', async () => {
    const path = await s.write(
      'unicode.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\tb\n', 'utf16le')]),
    );
    const error = await inputError(inspectFile(path, {}));
    expect(error.zh).toContain('UTF-16');
  });

  it('refuses a file with a UTF-8 BOM that is not UTF-8 instead of guessing', async () => {
    const path = await s.write(
      'bom-gb.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), gb('案件编号\nA1\n')]),
    );
    const error = await inputError(inspectFile(path, {}));
    expect(error.zh).toContain('无法识别文件编码');
  });

  it('lets --encoding override detection', async () => {
    const path = await s.write('forced.csv', gb('案件编号,罪名\nA1,盗窃罪\n'));
    for (const encoding of ['gbk', 'GB2312', 'gb18030']) {
      expect((await inspectFile(path, { encoding })).encoding).toBe('gb18030');
    }
    const wrong = await inputError(inspectFile(path, { encoding: 'utf8' }));
    expect(wrong.zh).toBe(
      '文件 forced.csv 不是有效的 UTF-8 编码（按 --encoding 指定的编码无法解码）：请确认文件编码，或去掉 --encoding 由系统自动识别。',
    );
    const unknown = await inputError(inspectFile(path, { encoding: 'latin1' }));
    expect(unknown.zh).toContain('不支持的编码“latin1”');
  });

  it('reads an ASCII-only file as UTF-8', async () => {
    const path = await s.write('ascii.csv', 'a,b\n1,2\n');
    expect((await inspectFile(path, { encoding: '' })).encoding).toBe('utf-8');
  });
});
