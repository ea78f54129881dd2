import { describe, expect, it } from 'vitest';
import { CsvScanner, type CsvRecord } from '../../ingest/read/csv-scanner.ts';

type Seen = Omit<CsvRecord, 'bytes'> & { text: string | null };

interface ScanOptions {
  delimiter?: number;
  capture?: boolean;
  maxRecordBytes?: number;
}

/** Feeds `input` cut at `cuts` (offsets), or in chunks of the cycled `sizes`. */
function scan(
  input: string | Uint8Array,
  chunking: { cuts: number[] } | { sizes: number[] },
  options: ScanOptions = {},
): { records: Seen[]; loneCR: boolean } {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const records: Seen[] = [];
  const scanner = new CsvScanner(
    {
      delimiter: options.delimiter ?? 0x2c,
      skipBom: true,
      capture: options.capture ?? true,
      maxRecordBytes: options.maxRecordBytes,
    },
    ({ bytes: recordBytes, ...rest }) =>
      records.push({ ...rest, text: recordBytes ? Buffer.from(recordBytes).toString('latin1') : null }),
  );
  const cuts =
    'cuts' in chunking
      ? chunking.cuts
      : (() => {
          const at: number[] = [];
          for (let i = 0, pos = 0; pos < bytes.length; i++)
            at.push((pos += chunking.sizes[i % chunking.sizes.length]!));
          return at;
        })();
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    const to = Math.min(cut, bytes.length);
    if (to > from) scanner.push(bytes.subarray(from, to));
    from = Math.max(from, to);
  }
  scanner.finish();
  return { records, loneCR: scanner.loneCR };
}

const whole = { sizes: [1 << 30] };
const summary = (records: Seen[]) => records.map((r) => [r.line, r.fields, r.start, r.end, r.text]);

describe('CsvScanner fast path (records without quotes, found with native searches)', () => {
  it('ends a record at CRLF even when a chunk ends between the CR and the LF', () => {
    const input = 'id,v\r\n1,a\r\n2,b\r\n\r\n3,c\r\n';
    const expected = [
      [1, 2, 0, 4, 'id,v'],
      [2, 2, 6, 9, '1,a'],
      [3, 2, 11, 14, '2,b'],
      [4, 1, 16, 16, ''],
      [5, 2, 18, 21, '3,c'],
    ];
    for (let cut = 0; cut <= input.length; cut++) {
      const { records, loneCR } = scan(input, { cuts: [cut] });
      expect([cut, summary(records)]).toEqual([cut, expected]);
      expect(loneCR).toBe(false);
    }
    // every CR is the last byte of its chunk
    const crs = [...input.matchAll(/\r/g)].map((m) => m.index + 1);
    expect(summary(scan(input, { cuts: crs }).records)).toEqual(expected);
  });

  it('hands over to the byte loop where a quote first appears in a later chunk', () => {
    const first = 'a,b\n1,2\n\n3,4\n';
    const second = '5,"x\ny,z"\n6,"q""",\n7,8\n';
    for (const capture of [true, false]) {
      const { records } = scan(first + second, { cuts: [first.length] }, { capture });
      expect(records.map((r) => [r.line, r.fields, r.irregular])).toEqual([
        [1, 2, false],
        [2, 2, false],
        [3, 1, false],
        [4, 2, false],
        [5, 2, false],
        [7, 3, false],
        [8, 2, false],
      ]);
      if (capture) expect(records[4]!.text).toBe('5,"x\ny,z"');
    }
  });

  it('leaves a lone CR to the byte loop: it is a line break, and noted', () => {
    const { records, loneCR } = scan('a,b\n1,2\r3,4\n5,6\r\r\n7,8\n', whole);
    expect(loneCR).toBe(true);
    expect(summary(records)).toEqual([
      [1, 2, 0, 3, 'a,b'],
      [2, 2, 4, 7, '1,2'],
      [3, 2, 8, 11, '3,4'],
      [4, 2, 12, 15, '5,6'],
      [5, 1, 16, 16, ''],
      [6, 2, 18, 21, '7,8'],
    ]);
  });

  it('counts delimiters of a one-column file and of records without a delimiter', () => {
    const { records } = scan('id\nA1\n\nA2\nB,C\n', whole);
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 2],
    ]);
    const tsv = scan('a\tb\n1\t2,5\n\t\n', whole, { delimiter: 0x09 }).records;
    expect(tsv.map((r) => [r.line, r.fields, r.text])).toEqual([
      [1, 2, 'a\tb'],
      [2, 2, '1\t2,5'],
      [3, 2, '\t'],
    ]);
  });

  it('agrees with the byte loop on random input, however it is cut', () => {
    // With one-byte chunks no record but an empty one lies inside a chunk, so the byte loop reads everything:
    // that run is the reference for the fast path.
    let seed = 20240605;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const common = ['a', 'b', '中', ',', ',', '\t', '\n', '\r\n'];
    const rare = ['"', '""', '\r', '\n\n', '"\n'];
    for (let round = 0; round < 3000; round++) {
      const quoteRate = random() < 0.5 ? 0 : random() * 0.1;
      let text = random() < 0.1 ? '\uFEFF' : '';
      const length = Math.floor(random() * 80);
      for (let i = 0; i < length; i++) {
        const pool = random() < quoteRate ? rare : common;
        text += pool[Math.floor(random() * pool.length)];
      }
      const options: ScanOptions = {
        delimiter: random() < 0.8 ? 0x2c : 0x09,
        capture: random() < 0.5,
        maxRecordBytes: random() < 0.2 ? 6 : undefined,
      };
      const reference = scan(text, { sizes: [1] }, options);
      const sizes = [1 + Math.floor(random() * 16), 1 + Math.floor(random() * 40)];
      for (const chunking of [whole, { sizes }]) {
        expect([text, scan(text, chunking, options)]).toEqual([text, reference]);
      }
    }
  });
});
