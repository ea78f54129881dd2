import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scratch } from './helpers.ts';

const s = new Scratch();
beforeAll(() => s.open());
afterAll(() => s.close());

const ROWS = 400_000;
const QUOTED_ROW = 350_000;

/**
 * No quote in the first 10 MB (several read chunks of native record search), then one two-line quoted record.
 * A blank line precedes row 1000; `broken` adds a record with one field after rows 2000 and 360000.
 */
function lateQuoteCsv(eol: string, broken: boolean): Buffer {
  const parts = [`case_id,seq,note${eol}`];
  for (let i = 0; i < ROWS; i++) {
    if (i === 1000) parts.push(eol);
    parts.push(
      i === QUOTED_ROW ? `C${i},${i},"first${eol}second"${eol}` : `C${i},${i},note-${i}-abcdefgh${eol}`,
    );
    if (broken && (i === 2000 || i === 360_000)) parts.push(`X${i}${eol}`);
  }
  return Buffer.from(parts.join(''));
}

describe('a CSV whose first quote comes after 10 MB', () => {
  for (const [eol, broken] of [
    ['\n', true],
    ['\r\n', false],
  ] as const) {
    it(`maps rows to exact lines (${eol === '\n' ? 'LF' : 'CRLF'}, ${broken ? 'with' : 'no'} malformed records)`, async () => {
      const content = lateQuoteCsv(eol, broken);
      expect(content.indexOf('"')).toBeGreaterThan(10 * 1024 * 1024);
      const { file, staged } = await s.stage(await s.write(`late-quote-${broken}.csv`, content));
      expect(file.sha256).toBe(createHash('sha256').update(content).digest('hex'));
      expect(staged.rows).toBe(ROWS);

      const x = broken ? 1 : 0;
      const expected: [number, number][] = [
        [0, 2],
        [999, 1001],
        [1000, 1003], // after the blank line
        [2000, 2003],
        [2001, 2004 + x], // after the first broken record
        [QUOTED_ROW, QUOTED_ROW + 3 + x], // on lines 350003–350004 (+1)
        [QUOTED_ROW + 1, QUOTED_ROW + 5 + x],
        [360_000, 360_004 + x],
        [360_001, 360_005 + 2 * x], // after the second broken record
        [ROWS - 1, ROWS + 3 + 2 * x],
      ];
      for (const [row, line] of expected) expect([row, staged.lineOf(row)]).toEqual([row, line]);
      expect(staged.malformed).toEqual(
        broken
          ? [
              { line: 2004, reason: '列数与表头不一致：应为 3 列，实为 1 列' },
              { line: 360_006, reason: '列数与表头不一致：应为 3 列，实为 1 列' },
            ]
          : [],
      );

      const sample = await s.conn.runAndReadAll(
        `SELECT rowid, c0, c2 FROM ${staged.table} WHERE rowid IN (0, 2001, ${QUOTED_ROW}, ${ROWS - 1}) ORDER BY rowid`,
      );
      expect(sample.getRows().map((r) => r.map(String))).toEqual([
        ['0', 'C0', 'note-0-abcdefgh'],
        ['2001', 'C2001', 'note-2001-abcdefgh'],
        [String(QUOTED_ROW), `C${QUOTED_ROW}`, `first${eol}second`],
        [String(ROWS - 1), `C${ROWS - 1}`, `note-${ROWS - 1}-abcdefgh`],
      ]);
      const mismatches = await s.conn.runAndReadAll(
        `SELECT count(*) FROM ${staged.table} WHERE rowid <> CAST(c1 AS BIGINT)`,
      );
      expect(Number(mismatches.getRows()[0]![0])).toBe(0);
    });
  }
});
