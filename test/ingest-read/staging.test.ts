import { appendFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFile, InputError, stageFile } from '../../ingest/read/index.ts';
import { linesOf, Scratch } from './helpers.ts';

const s = new Scratch();
beforeAll(() => s.open());
afterAll(() => s.close());

describe('stageFile', () => {
  it('reports progress and ends with everything done', async () => {
    const path = await s.write(
      'progress.csv',
      'a,b\n' + Array.from({ length: 5000 }, (_, i) => `${i},x`).join('\n'),
    );
    const file = await inspectFile(path, {});
    const calls: [number, number, number][] = [];
    const staged = await stageFile(s.conn, file, 'stg_progress', {
      stagingDir: s.stagingDir,
      onProgress: (rows, bytes, total) => calls.push([rows, bytes, total]),
    });
    expect(staged.rows).toBe(5000);
    expect(calls.at(-1)).toEqual([5000, file.bytes, file.bytes]);
  });

  it('accepts a copy of the inspected file (re-inspecting it) and refuses a file changed since', async () => {
    const path = await s.write('copied.csv', 'a,b\n1,"x\ny"\n2,3\n');
    const file = await inspectFile(path, {});
    const staged = await stageFile(s.conn, { ...file }, 'stg_copy', { stagingDir: s.stagingDir });
    expect(linesOf(staged)).toEqual([2, 4]);

    const changed = await inspectFile(path, {});
    await appendFile(path, '4,5\n');
    for (const candidate of [changed, { ...changed }]) {
      const error = await stageFile(s.conn, candidate, 'stg_changed', { stagingDir: s.stagingDir }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).zh).toBe(
        '文件 copied.csv 在检查之后被修改了：请确认导出已经完成后重新导入。',
      );
    }
  });

  it('reads a record longer than DuckDB’s default line limit', async () => {
    const long = 'x'.repeat(3_000_000);
    const { rows, staged } = await s.stage(await s.write('long.csv', `a,b\n1,"${long}"\n2,3\n`));
    expect(rows.map((r) => [r[0], r[1]!.length])).toEqual([
      ['1', 3_000_000],
      ['2', 1],
    ]);
    expect(linesOf(staged)).toEqual([2, 3]);
  });

  it('lineOf refuses rows that were not staged', async () => {
    const { staged } = await s.stage(await s.write('small.csv', 'a\n1\n'));
    expect(() => staged.lineOf(1)).toThrow(RangeError);
    expect(() => staged.lineOf(-1)).toThrow(RangeError);
  });
});
