import iconv from 'iconv-lite';
import { dirname } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as duckdbCsv from '../../ingest/read/duckdb-csv.ts';
import { inspectFile, stageFile } from '../../ingest/read/index.ts';
import { linesOf, Scratch } from './helpers.ts';

vi.mock('../../ingest/read/duckdb-csv.ts', async (importOriginal) => {
  const original = await importOriginal<typeof duckdbCsv>();
  return { ...original, createTableFromCsv: vi.fn(original.createTableFromCsv) };
});
const create = vi.mocked(duckdbCsv.createTableFromCsv);

const s = new Scratch();
beforeAll(() => s.open());
afterAll(() => s.close());
beforeEach(() => {
  create.mockClear();
});

/** Which file DuckDB was pointed at, and whether it skipped a header line itself. */
function reads(): { where: 'original' | 'staging'; header: boolean }[] {
  return create.mock.calls.map(([, , path, options]) => ({
    where: dirname(path) === s.stagingDir ? 'staging' : 'original',
    header: options.header,
  }));
}

describe('how a CSV reaches DuckDB', () => {
  it('a clean UTF-8 file is read in place, blank lines and all', async () => {
    const { rows, staged } = await s.stage(await s.write('clean.csv', 'a,b\r\n1,"x\r\ny"\r\n\r\n2,3'));
    expect(reads()).toEqual([{ where: 'original', header: true }]);
    expect(rows).toEqual([
      ['1', 'x\r\ny'],
      ['2', '3'],
    ]);
    expect(linesOf(staged)).toEqual([2, 5]);
  });

  it('a clean GB18030 file is only transcoded', async () => {
    await s.stage(await s.write('gb.csv', iconv.encode('案件编号,罪名\nA1,盗窃罪\n', 'gb18030')));
    expect(reads()).toEqual([{ where: 'staging', header: true }]);
  });

  it('a file with a malformed record is rewritten without it', async () => {
    await s.stage(await s.write('bad.csv', 'a,b\n1\n2,3\n'));
    expect(reads()).toEqual([{ where: 'staging', header: false }]);
  });

  it('falls back to the rewrite when DuckDB reads a different number of rows than the scan', async () => {
    const path = await s.write('disagree.csv', 'a,b\n1,2\n3,4\n');
    create.mockImplementationOnce(async (conn, table, source, options) => {
      await duckdbCsv.createTableFromCsv(conn, table, source, options);
      return 1;
    });
    const { rows, staged } = await s.stage(path);
    expect(reads()).toEqual([
      { where: 'original', header: true },
      { where: 'original', header: true },
      { where: 'staging', header: false },
    ]);
    expect(rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(linesOf(staged)).toEqual([2, 3]);
  });

  it('falls back to the rewrite when DuckDB refuses to read the file in place', async () => {
    const path = await s.write('refused.csv', 'a,b\n1,2\n');
    create.mockRejectedValueOnce(new Error('Permission Error: Cannot access file'));
    const { rows } = await s.stage(path);
    expect(reads().map((r) => r.where)).toEqual(['original', 'staging']);
    expect(rows).toEqual([['1', '2']]);
    expect(await s.stagingLeftovers()).toEqual([]);
  });

  it('refuses a staging table name that is not a generated identifier, or one that exists', async () => {
    const file = await inspectFile(await s.write('t.csv', 'a\n1\n'), {});
    await expect(stageFile(s.conn, file, 'x; DROP TABLE y', { stagingDir: s.stagingDir })).rejects.toThrow(
      'invalid staging table name',
    );
    await stageFile(s.conn, file, 'stg_twice', { stagingDir: s.stagingDir });
    await expect(stageFile(s.conn, file, 'stg_twice', { stagingDir: s.stagingDir })).rejects.toThrow(
      'already exists',
    );
  });
});
