import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scratch } from './helpers.ts';

const s = new Scratch();
beforeAll(() => s.open());
afterAll(() => s.close());

const ROWS = 200_000;

/**
 * Every 1000th record (i ≡ 500) has a two-line quoted note; a blank line precedes every 5000th record; `broken`
 * adds a record with a missing field after record 100 (forcing the rewrite path instead of DuckDB reading in place).
 */
function bigCsv(broken: boolean): string {
  const parts = ['case_id,seq,note\r\n'];
  for (let i = 0; i < ROWS; i++) {
    if (i > 0 && i % 5000 === 0) parts.push('\r\n');
    parts.push(i % 1000 === 500 ? `C${i},${i},"first\r\nsecond"\r\n` : `C${i},${i},n${i}\r\n`);
    if (broken && i === 100) parts.push('X,1\r\n');
  }
  return parts.join('');
}

async function check(broken: boolean): Promise<void> {
  const { staged } = await s.stage(await s.write(`big-${broken}.csv`, bigCsv(broken)), {});
  expect(staged.rows).toBe(ROWS);
  const extra = broken ? 1 : 0; // the broken record's line sits before every row after 100
  const expected: [number, number][] = [
    [0, 2],
    [100, 102],
    [101, 103 + extra],
    [499, 501 + extra],
    [500, 502 + extra], // the first two-line record: lines 502–503
    [501, 504 + extra],
    [4999, 5006 + extra], // 5 two-line records before it (500, 1500, …, 4500)
    [5000, 5008 + extra], // and a blank line
    [123_456, 2 + 123_456 + 123 + 24 + extra], // 123 two-line records (500 … 122500), 24 blank lines
    [ROWS - 1, 2 + 199_999 + 200 + 39 + extra],
  ];
  for (const [row, line] of expected) expect([row, staged.lineOf(row)]).toEqual([row, line]);
  expect(staged.malformed).toEqual(
    broken ? [{ line: 103, reason: '列数与表头不一致：应为 3 列，实为 2 列' }] : [],
  );

  const sample = await s.conn.runAndReadAll(
    `SELECT rowid, c0, c1, c2 FROM ${staged.table} WHERE rowid IN (0, 500, 5000, 123456, 199999) ORDER BY rowid`,
  );
  expect(sample.getRows().map((r) => r.map(String))).toEqual([
    ['0', 'C0', '0', 'n0'],
    ['500', 'C500', '500', 'first\r\nsecond'],
    ['5000', 'C5000', '5000', 'n5000'],
    ['123456', 'C123456', '123456', 'n123456'],
    ['199999', 'C199999', '199999', 'n199999'],
  ]);
  // rowid is the staged row index throughout, not just at the sampled rows
  const mismatches = await s.conn.runAndReadAll(
    `SELECT count(*) FROM ${staged.table} WHERE rowid <> CAST(c1 AS BIGINT)`,
  );
  expect(Number(mismatches.getRows()[0]![0])).toBe(0);
}

describe('a 200k-row CSV', () => {
  it('keeps file order in rowid and maps rows to lines when DuckDB reads the file in place', () =>
    check(false));
  it('does the same through the rewrite path', () => check(true));
});
