import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/db.ts';
import { CASE_HEADER, caseRow, writeCsv } from '../helpers/files.ts';

// The real executable, as a user runs it (bin/zhenjian.js through tsx, no build step).
function zhenjian(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/zhenjian.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('zhenjian CLI exit codes and --json (spec/cli.md)', () => {
  it('init → 0; ingest clean → 0; with rejects → 1; unusable input → 2; unknown command → 2', () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = join(dir, 'z.duckdb');
      const init = zhenjian(['init', '--db', db, '--json']);
      expect(init.code).toBe(0);
      expect(JSON.parse(init.stdout).reference).toMatchObject({ districts: 16, charges: 483 });

      const good = writeCsv(dir, 'good.csv', [CASE_HEADER, caseRow('A1')]);
      const ok = zhenjian(['ingest', good, '--json'], { ZHENJIAN_DB: db });
      expect(ok.code).toBe(0);
      const okJson = JSON.parse(ok.stdout);
      expect(okJson.batches[0]).toMatchObject({
        file: 'good.csv',
        table: 'cases',
        status: 'loaded',
        rows_loaded: 1,
      });
      expect(okJson.batches[0].sha256).toMatch(/^[0-9a-f]{64}$/);

      const bad = writeCsv(dir, 'bad.csv', [
        CASE_HEADER,
        caseRow('A2'),
        caseRow('A3', { filed_on: '2024-02-30' }),
      ]);
      const some = zhenjian(['ingest', bad, '--db', db, '--json']);
      expect(some.code).toBe(1);
      expect(JSON.parse(some.stdout).batches[0].rejects).toEqual([
        { line: 3, column: 'filed_on', reason: expect.stringContaining('2024-02-30') },
      ]);

      const human = zhenjian(['ingest', good, '--db', db]);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain('跳过');

      const missing = zhenjian(['ingest', join(dir, 'nope.csv'), '--db', db]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/nope\.csv/);

      const mapping = join(dir, 'm.json');
      writeFileSync(mapping, JSON.stringify({ table: 'cases', colums: {} }));
      const badMap = zhenjian(['ingest', good, '--mapping', mapping, '--db', db]);
      expect(badMap.code).toBe(2);
      expect(badMap.stderr).toContain('未知的键 colums');

      // the buffer limit of a large load: any number of MB or GB; anything else is refused before reading
      const roomy = writeCsv(dir, 'roomy.csv', [CASE_HEADER, caseRow('A4')]);
      expect(zhenjian(['ingest', roomy, '--memory-limit', '64MB', '--db', db]).code).toBe(0);
      const badLimit = zhenjian(['ingest', good, '--memory-limit', 'lots', '--db', db]);
      expect(badLimit.code).toBe(2);
      expect(badLimit.stderr).toContain('--memory-limit 应写成数字加 MB 或 GB');
      const badServe = zhenjian(['serve', '--memory-limit', '0GB', '--db', db]);
      expect(badServe.code).toBe(2);
      expect(badServe.stderr).toContain('--memory-limit 应写成数字加 MB 或 GB');

      expect(zhenjian(['frobnicate']).code).toBe(2);
      expect(zhenjian(['ingest', '--bogus-flag', good, '--db', db]).code).toBe(2);
    } finally {
      cleanup();
    }
  });

  it('exit 3 when the database is held by another process', async () => {
    const { dir, cleanup } = tempDir();
    const { openDatabase } = await import('../../src/db/open.ts');
    const db = await openDatabase(join(dir, 'held.duckdb'));
    try {
      const r = zhenjian(['init', '--db', join(dir, 'held.duckdb')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('正被另一个进程占用');
    } finally {
      db.close();
      cleanup();
    }
  });
});
