import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/db/errors.ts';
import { withDatabase } from '../helpers/db.ts';
import { CASE_HEADER, caseRow, writeCsv } from '../helpers/files.ts';
import { ingest, rows } from '../helpers/ingest.ts';

async function failure(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('ingest: unusable input is refused before anything is written (exit 2)', () => {
  it('missing required columns in one file → no file of the command is loaded', async () => {
    await withDatabase(async (db, dir) => {
      const good = writeCsv(dir, 'good.csv', [CASE_HEADER, caseRow('Z1')]);
      const bad = writeCsv(dir, 'bad.csv', [
        ['案件编号', '区划'],
        ['Z2', '110105'],
      ]);
      const e = await failure(ingest(db, [good, bad]));
      expect(e.exitCode).toBe(2);
      expect(e.zh).toContain('bad.csv');
      expect(e.zh).toContain('缺少必填列');
      expect(e.zh).toContain('police_unit（办案单位）');
      expect(
        await rows(db, 'SELECT (SELECT count(*) FROM cases) c, (SELECT count(*) FROM batches) b'),
      ).toEqual([{ c: 0, b: 0 }]);
    });
  });

  it('unknown --table, a header that names no table, an empty file, a missing file', async () => {
    await withDatabase(async (db, dir) => {
      const good = writeCsv(dir, 'good.csv', [CASE_HEADER, caseRow('Z1')]);
      expect((await failure(ingest(db, [good], { table: 'kases' }))).zh).toContain('未知的表「kases」');
      const anon = writeCsv(dir, 'anon.csv', [
        ['a', 'b'],
        ['1', '2'],
      ]);
      expect((await failure(ingest(db, [anon]))).zh).toContain('无法从文件 anon.csv 的表头判断');
      const empty = join(dir, 'empty.csv');
      writeFileSync(empty, '');
      const e = await failure(ingest(db, [empty]));
      expect(e.exitCode).toBe(2);
      expect(e.zh).toContain('empty.csv');
      const missing = await failure(ingest(db, [join(dir, 'nope.csv')]));
      expect(missing.exitCode).toBe(2);
      expect(missing.zh).toContain('nope.csv');
      expect(await rows(db, 'SELECT count(*) n FROM batches')).toEqual([{ n: 0 }]);
    });
  });

  it('two header columns that mean the same column', async () => {
    await withDatabase(async (db, dir) => {
      const f = writeCsv(dir, 'twice.csv', [
        [...CASE_HEADER, '所属区'],
        [...caseRow('Z1'), '110105'],
      ]);
      const e = await failure(ingest(db, [f]));
      expect(e.zh).toContain('district_code');
    });
  });
});
