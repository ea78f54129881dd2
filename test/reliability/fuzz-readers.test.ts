import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../ingest/read/index.ts';
import { UserError } from '../../src/db/errors.ts';
import { all } from '../../src/db/sql.ts';
import { withDatabase } from '../helpers/db.ts';
import { CASE_HEADER, caseRow, writeCsv } from '../helpers/files.ts';
import { ingest } from '../helpers/ingest.ts';
import { Scratch } from '../ingest-read/helpers.ts';
import { FUZZ_RUNS, settle } from './fuzz-support.ts';

/**
 * Readers and normalisers under random input (issue 8, `npm run test:fuzz`): whatever the bytes, a file is either
 * read or refused with an InputError (the user's message) — never another exception, never a hang — and what is
 * read is exactly what was written. Short in `npm test`; FUZZ_RUNS=… for the full run (docs/reliability.md).
 */
const s = new Scratch();
beforeAll(() => s.open());
afterAll(() => s.close());

let n = 0;
/** inspect + stage, within the time limit; an InputError is a clear refusal, anything else fails the property */
async function read(name: string, bytes: Uint8Array | string, encoding?: string) {
  const path = await s.write(`${++n}-${name}`, bytes);
  const outcome = await settle(s.stage(path, { encoding }));
  if (outcome.error && !(outcome.error instanceof InputError)) throw outcome.error;
  return outcome.value;
}

const EXTENSIONS = ['.csv', '.tsv', '.json', '.jsonl', '.xlsx', '.parquet', '.txt', ''];

// cells drawn from what breaks CSV: delimiters, quotes, CRLF/LF, tabs, CJK, astral characters, spaces, and a BOM
// inside a cell. A lone CR, a cell that starts with a BOM and one-column files are left to the pinned defects below.
const cellChar = fc.constantFrom(
  ...'ab1 ,;"\'\t\n中文案件编号（）、—\u3000\u00A0\\'.split(''),
  '\r\n',
  '𠀀',
  '😀',
  'x\uFEFF',
);
const cell = fc.array(cellChar, { maxLength: 12 }).map((cs) => cs.join(''));

function quoteCell(c: string, delimiter: string, always: boolean): string {
  const needs = c.includes(delimiter) || /["\r\n]/.test(c) || c !== c.trim() || c.startsWith('\uFEFF');
  return needs || always ? `"${c.replace(/"/g, '""')}"` : c;
}

describe('readers under random input', () => {
  it('random bytes under any extension: read, or refused with an InputError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4096 }),
        fc.constantFrom(...EXTENSIONS),
        async (bytes, ext) => {
          await read(`random${ext}`, bytes);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('CSV/TSV dialects (quotes, CR/LF, BOM, UTF-8 or GB18030): every cell reads back exactly as written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 5 }),
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom(',', '\t'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.constantFrom('utf-8', 'utf-8-bom', 'gb18030'),
        fc.boolean(),
        async (width, raw, delimiter, eol, trailingEol, encoding, alwaysQuote) => {
          const header = Array.from({ length: width }, (_, i) => `列${i}`);
          // the first cell is never empty: a record of empty cells would be a blank line, which readers skip
          const rows = raw.map((r) => r.slice(0, width).map((c, i) => (i === 0 ? `k${c}` : c)));
          const text =
            [header, ...rows]
              .map((r) => r.map((c) => quoteCell(c, delimiter, alwaysQuote)).join(delimiter))
              .join(eol) + (trailingEol ? eol : '');
          const bytes =
            encoding === 'gb18030'
              ? iconv.encode(text, 'gb18030')
              : Buffer.from((encoding === 'utf-8-bom' ? '\uFEFF' : '') + text, 'utf8');
          const got = await read(
            delimiter === ',' ? 'd.csv' : 'd.tsv',
            bytes,
            encoding === 'gb18030' ? 'gb18030' : undefined,
          );
          expect(got, 'a well-formed file is read').toBeDefined();
          expect(got!.file.header).toEqual(header);
          expect(got!.staged.malformed).toEqual([]);
          expect(got!.rows).toEqual(rows.map((r) => r.map((c) => (c === '' ? null : c))));
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('UTF-8 and GB18030 lines mixed in one file: read, or refused with an InputError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.array(cell, { minLength: 2, maxLength: 2 }), fc.boolean()), { maxLength: 12 }),
        async (lines) => {
          const parts: Buffer[] = [Buffer.from('编号,内容\n', 'utf8')];
          for (const [cells, gb] of lines) {
            const line = cells.map((c) => quoteCell(c, ',', false)).join(',') + '\n';
            parts.push(gb ? iconv.encode(line, 'gb18030') : Buffer.from(line, 'utf8'));
          }
          await read('mixed.csv', Buffer.concat(parts));
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('huge fields: below the 32 MB record limit they read whole, past it the file is refused or the record reported', async () => {
    for (const mb of [1, 9, 33]) {
      const big = 'x'.repeat(mb * 1024 * 1024);
      const got = await read(`huge-${mb}.csv`, `id,note\nA,${big}\nB,short\n`);
      if (mb < 32) {
        expect(got!.staged.rows).toBe(2);
        const [len] = await all<{ len: number }>(
          s.conn,
          `SELECT length(c1)::INTEGER AS len FROM ${got!.staged.table} WHERE c0 = 'A'`,
        );
        expect(len!.len).toBe(big.length);
      } else if (got) {
        // the oversized record is reported with its line (2); the record after it still loads
        expect(got.staged.malformed.map((m) => m.line)).toEqual([2]);
        expect(got.rows).toEqual([['B', 'short']]);
      }
    }
  }, 120_000);

  it('deeply nested JSON and JSON lines (to 100 000 levels): read, or refused with an InputError — no stack overflow', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom('[', '{"a":'),
        fc.constantFrom('json', 'jsonl'),
        async (depth, open, format) => {
          const close = open === '[' ? ']' : '}';
          const value = open.repeat(depth) + '1' + close.repeat(depth);
          const record = `{"id":"A","v":${value}}`;
          await read(`deep.${format}`, format === 'json' ? `[${record}]` : `${record}\n`);
        },
      ),
      { numRuns: Math.max(5, Math.round(FUZZ_RUNS / 4)) },
    );
  }, 120_000);
});

/**
 * Defects the properties found (docs/reliability.md, reported to the lead): each pinned by its shrunk counterexample
 * as `it.fails`, so the day the reader is fixed the test fails and the pin is removed and the alphabet above widened.
 */
describe('known defects found by the fuzz suite', () => {
  it('a quoted lone CR as the last field of the only record reads as that value (fixed: LF line ends given)', async () => {
    // the rewritten staging copy ends records with LF; DuckDB once sniffed the quoted \r as the line break
    const got = await read('lone-cr.csv', 'a,b\nk,"\r"\n');
    expect(got!.rows).toEqual([['k', '\r']]);
  });
  it.fails(
    'a one-column CSV whose value holds a tab reads as one column (the file is comma-separated)',
    async () => {
      // the reader reports line 2 as malformed (2 columns, splitting at the tab); real exchange files have 8+ columns
      const got = await read('one-column.csv', '列0\nk\ta\n');
      expect(got!.staged.malformed).toEqual([]);
    },
  );
  it.fails('a quoted cell holding only U+FEFF reads as NULL (empty), never as the empty string', async () => {
    const got = await read('bom-cell.csv', 'a,b,c\nk,"\uFEFF",x\n');
    expect(got!.rows).toEqual([['k', null, 'x']]);
  });
});

describe('normalisers under random cell values', () => {
  it('a cases file with random values loads: every row is loaded or rejected with a reason, and the ledger matches', async () => {
    await withDatabase(async (db, dir) => {
      let file = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.constantFrom(...CASE_HEADER), fc.oneof(cell, fc.string({ maxLength: 30 }))), {
            maxLength: 4,
          }),
          fc.integer({ min: 1, max: 8 }),
          async (overrides, count) => {
            const rows = Array.from({ length: count }, (_, i) =>
              caseRow(`F${file}-${i}`, Object.fromEntries(overrides)),
            );
            const path = writeCsv(dir, `f${++file}.csv`, [CASE_HEADER, ...rows]);
            const outcome = await settle(ingest(db, [path]));
            if (outcome.error) {
              // refusing the whole file is allowed only as a user's input error (exit 2), nothing written
              expect(outcome.error).toBeInstanceOf(UserError);
              expect((outcome.error as UserError).exitCode).toBe(2);
              return;
            }
            const [b] = outcome.value!.batches;
            if (b!.status === 'skipped') return;
            expect(b!.rows_loaded + b!.rows_updated + b!.rows_unchanged + b!.rows_rejected).toBe(
              b!.rows_read,
            );
            for (const r of b!.rejects) expect(r.reason.length).toBeGreaterThan(0);
          },
        ),
        { numRuns: Math.max(5, Math.round(FUZZ_RUNS / 4)) },
      );
      // all or nothing, over every batch the property wrote
      const [{ n, loaded }] = (await all<{ n: number; loaded: number }>(
        db.conn,
        `SELECT (SELECT count(*) FROM cases)::INTEGER AS n,
                (SELECT coalesce(sum(rows_loaded), 0) FROM batches WHERE table_name = 'cases')::INTEGER AS loaded`,
      )) as [{ n: number; loaded: number }];
      expect(n).toBe(loaded);
    });
  }, 180_000);
});
