import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initDatabase } from '../../src/db/init.ts';
import { openDatabase } from '../../src/db/open.ts';
import { tempDir } from '../helpers/db.ts';
import { CASE_HEADER, caseRow, writeCsv } from '../helpers/files.ts';
import { checkDatabase, type DatabaseState } from './checks.ts';
import { ROOT } from './proc.ts';

/**
 * Disk full during a load (issue 8): the load fails with a clear message and the database is exactly as before —
 * same ledger, same content hash — and opens. Two ways to fill the disk:
 * - a small tmpfs holding the database (needs root and a kernel that lets this process mount; CI may not: the test
 *   then reports itself skipped with the reason, docs/reliability.md);
 * - `ulimit -f` on the loading process (works anywhere): the kernel sends SIGXFSZ, which kills Node — the kill is
 *   expected, and what matters is the database afterwards.
 */

const MB = 1024 * 1024;

/** ~60 000 cases whose police unit is random hex: DuckDB cannot compress it below ~20 MB. */
function bigCasesFile(dir: string): string {
  const rows = Array.from({ length: 60_000 }, (_, i) =>
    caseRow(`DF${i}`, { police_unit: `分局${randomBytes(160).toString('hex')}` }),
  );
  return writeCsv(dir, 'big-cases.csv', [CASE_HEADER, ...rows]);
}

async function freshDatabase(path: string): Promise<DatabaseState> {
  const db = await openDatabase(path);
  try {
    await initDatabase(db);
  } finally {
    db.close();
  }
  const c = await checkDatabase(path, [], []);
  expect(c.violations).toEqual([]);
  return c.state!;
}

function run(
  cmd: string,
  args: string[],
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

async function expectUnchanged(dbPath: string, before: DatabaseState): Promise<void> {
  const after = await checkDatabase(dbPath, [], before.ledger);
  expect(after.violations).toEqual([]);
  expect(after.state!.ledger).toEqual(before.ledger);
  expect(after.state!.content).toBe(before.content);
}

/** Whether this process may mount a tmpfs (root in a container usually may not; this machine may). */
function tmpfsWorks(dir: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e).trim() || 'mount failed';
  }
}

const probe = tempDir();
const mountRefused = tmpfsWorks(probe.dir);
probe.cleanup();

describe('disk full during a load: a clear message, the database unchanged', () => {
  it.skipIf(mountRefused !== undefined)(
    `on a full tmpfs: exit 3 with 磁盘空间不足, the ledger and content hash unchanged${
      mountRefused ? ` — CANNOT RUN HERE: mount -t tmpfs refused (${mountRefused})` : ''
    }`,
    async () => {
      const t = tempDir();
      const disk = join(t.dir, 'disk');
      mkdirSync(disk);
      try {
        const big = bigCasesFile(t.dir);
        const scratch = join(t.dir, 'z.duckdb');
        const before = await freshDatabase(scratch);
        // room for the initialised database and 4 MB more: the ~20 MB load cannot fit
        const size = Math.ceil(statSync(scratch).size / MB) + 4;
        execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}m`, 'tmpfs', disk]);
        try {
          const dbPath = join(disk, 'z.duckdb');
          for (const s of ['', '.key']) copyFileSync(scratch + s, dbPath + s);
          const r = await run(process.execPath, ['bin/zhenjian.js', 'ingest', big, '--db', dbPath]);
          expect(r.code, r.stderr.slice(-400)).toBe(3);
          expect(r.stderr).toContain('磁盘空间不足');
          expect(r.stderr).toContain('数据库保持原状');
          await expectUnchanged(dbPath, before);
        } finally {
          execFileSync('umount', ['-l', disk]);
        }
      } finally {
        t.cleanup();
      }
    },
    120_000,
  );

  it('under ulimit -f (SIGXFSZ): the load is stopped, the database opens with the ledger and content hash unchanged', async () => {
    const t = tempDir();
    try {
      const big = bigCasesFile(t.dir);
      const dbPath = join(t.dir, 'z.duckdb');
      const before = await freshDatabase(dbPath);
      // bash counts ulimit -f in KiB: the database may grow by 4 MB, the load needs ~20 MB
      const limitKb = Math.ceil(statSync(dbPath).size / 1024) + 4096;
      const r = await run('bash', [
        '-c',
        `ulimit -f ${limitKb}; exec "$0" bin/zhenjian.js ingest "$1" --db "$2"`,
        process.execPath,
        big,
        dbPath,
      ]);
      // Node keeps SIGXFSZ's default action (the kernel ends the process); were it ignored, the write fails with
      // EFBIG and the load must end with the disk message instead
      if (r.signal === null) {
        expect(r.code, r.stderr.slice(-400)).toBe(3);
        expect(r.stderr).toContain('磁盘空间不足');
      } else expect(r.signal).toBe('SIGXFSZ');
      await expectUnchanged(dbPath, before);
    } finally {
      t.cleanup();
    }
  }, 120_000);
});
