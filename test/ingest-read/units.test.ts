import { describe, expect, it } from 'vitest';
import { CsvScanner, type CsvRecord } from '../../ingest/read/csv-scanner.ts';
import { csvLine, splitRecord } from '../../ingest/read/csv-fields.ts';
import { LineIndex } from '../../ingest/read/line-index.ts';
import { parseRecord } from '../../ingest/read/json-value.ts';
import { cellText, plainNumber } from '../../ingest/read/xlsx-cells.ts';
import { Utf8Validator } from '../../ingest/read/encoding.ts';

type Seen = Omit<CsvRecord, 'bytes'> & { text: string | null };

function withoutBytes(record: CsvRecord): Omit<CsvRecord, 'bytes'> {
  const { bytes: _, ...rest } = record;
  return rest;
}

function scan(
  input: string,
  chunkSizes: number[],
  maxRecordBytes?: number,
): { records: Seen[]; loneCR: boolean } {
  const bytes = Buffer.from(input);
  const records: Seen[] = [];
  const scanner = new CsvScanner({ delimiter: 0x2c, skipBom: true, capture: true, maxRecordBytes }, (r) =>
    records.push({ ...withoutBytes(r), text: r.bytes ? Buffer.from(r.bytes).toString() : null }),
  );
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = chunkSizes[i % chunkSizes.length]!;
    scanner.push(bytes.subarray(at, at + size));
    at += size;
  }
  scanner.finish();
  return { records, loneCR: scanner.loneCR };
}

describe('CsvScanner', () => {
  const input = '\uFEFFa,b\r\n"x\r\ny",2\n\n"q""",3\r"open,4\n';

  it('finds records, start lines and field counts', () => {
    const { records, loneCR } = scan(input, [1 << 20]);
    expect(loneCR).toBe(true);
    expect(records.map((r) => [r.line, r.fields, r.text, r.unterminated])).toEqual([
      [1, 2, 'a,b', false],
      [2, 2, '"x\r\ny",2', false],
      [4, 1, '', false],
      [5, 2, '"q""",3', false],
      [6, 1, '"open,4\n', true],
    ]);
  });

  it('gives the same result however the input is cut into chunks', () => {
    const whole = scan(input, [1 << 20]).records;
    for (const sizes of [[1], [2], [3, 1], [5, 7, 2]]) expect(scan(input, sizes).records).toEqual(whole);
  });

  it('drops the bytes of an overlong record but keeps its line', () => {
    const { records } = scan('a,b\n1,"' + 'x'.repeat(50) + '"\n2,3\n', [7], 20);
    expect(records.map((r) => [r.line, r.overlong, r.text])).toEqual([
      [1, false, 'a,b'],
      [2, true, null],
      [3, false, '2,3'],
    ]);
  });
});

describe('splitRecord and csvLine', () => {
  it('split like the scanner counts', () => {
    expect(splitRecord('a,"b,c","d""e",', ',')).toEqual(['a', 'b,c', 'd"e', '']);
    expect(splitRecord('"ab"c, "x",y"z', ',')).toEqual(['abc', ' "x"', 'y"z']);
  });

  it('round-trip through csvLine', () => {
    const values = ['a', 'b,c', 'd"e', 'f\ng', null, ''];
    expect(csvLine(values)).toBe('a,"b,c","d""e","f\ng",,\n');
    expect(splitRecord(csvLine(values).slice(0, -1), ',')).toEqual(['a', 'b,c', 'd"e', 'f\ng', '', '']);
  });
});

describe('LineIndex', () => {
  it('stores only the rows where the line offset changes', () => {
    const index = new LineIndex();
    for (const line of [2, 3, 4, 7, 8, 12]) index.push(line);
    expect([0, 1, 2, 3, 4, 5].map(index.lineOf)).toEqual([2, 3, 4, 7, 8, 12]);
    expect(() => index.lineOf(6)).toThrow(RangeError);
    expect(LineIndex.offset(3, 1).lineOf(2)).toBe(3);
  });
});

describe('JSON records', () => {
  it('keep values as written', () => {
    expect(parseRecord('{"a": -0.50e+2, "b": "\\u4e2d", "c": [ {"d" : null} ], "e": false}')).toEqual({
      ok: true,
      entries: [
        ['a', '-0.50e+2'],
        ['b', '中'],
        ['c', '[{"d":null}]'],
        ['e', 'false'],
      ],
    });
  });

  it('reject what is not one JSON object', () => {
    expect(parseRecord('{"a": 1,}')).toEqual({ ok: false, reason: 'JSON 格式错误：第 9 个字符“}”处' });
    expect(parseRecord('{"a": 01}')).toEqual({ ok: false, reason: 'JSON 格式错误：第 8 个字符“1”处' });
    expect(parseRecord('{"a": "x}')).toEqual({ ok: false, reason: 'JSON 格式错误：第 7 个字符“"”处' });
    expect(parseRecord('[1]')).toEqual({ ok: false, reason: '不是 JSON 对象（是数组），每条记录应为 {…}' });
    expect(parseRecord('{"a": 1} {"b": 2}')).toMatchObject({ ok: false });
  });
});

describe('XLSX cell text', () => {
  it('writes numbers in plain decimal notation', () => {
    expect([1e21, 1.5e-7, -2.5e22, 123456789012345680000, 0.1, 45356].map(plainNumber)).toEqual([
      '1000000000000000000000',
      '0.00000015',
      '-25000000000000000000000',
      '123456789012345680000',
      '0.1',
      '45356',
    ]);
  });

  it('turns dates, formulas, rich text and errors into text', () => {
    expect(cellText(new Date(Date.UTC(2024, 2, 5, 23, 59, 59, 600)), undefined, false)).toBe('2024-03-06');
    expect(cellText(new Date(Date.UTC(2024, 2, 5, 8, 30)), undefined, false)).toBe('2024-03-05 08:30:00');
    expect(cellText({ formula: 'A1', result: 45356.5 }, '[$-804]yyyy"年"m"月"d"日"', false)).toBe(
      '2024-03-05 12:00:00',
    );
    expect(cellText({ sharedFormula: 'A1', result: 'x' }, undefined, false)).toBe('x');
    expect(cellText({ richText: [{ text: 'a' }, { text: 'b' }] }, undefined, false)).toBe('ab');
    expect(cellText({ error: '#REF!' }, undefined, false)).toBe('#REF!');
    expect(cellText({ text: '链接', hyperlink: 'http://x' }, undefined, false)).toBe('链接');
    expect(cellText('', undefined, false)).toBeNull();
  });
});

describe('Utf8Validator', () => {
  it('accepts characters split across chunks and rejects a truncated one at the end', () => {
    const bytes = Buffer.from('中文𠮷');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const v = new Utf8Validator();
      v.push(bytes.subarray(0, cut));
      v.push(bytes.subarray(cut));
      expect(v.finish()).toBe(true);
    }
    const truncated = new Utf8Validator();
    truncated.push(bytes.subarray(0, bytes.length - 1));
    expect(truncated.finish()).toBe(false);
  });
});
