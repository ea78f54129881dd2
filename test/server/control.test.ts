import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestCommand } from '../../src/cli/commands/ingest.ts';
import { initCommand } from '../../src/cli/commands/init.ts';
import { queryCommand } from '../../src/cli/commands/query.ts';
import { UserError } from '../../src/db/errors.ts';
import { initDatabase } from '../../src/db/init.ts';
import { openDatabase } from '../../src/db/open.ts';
import { auditPath } from '../../src/server/audit/log.ts';
import { controlFilePath, readControlFile } from '../../src/server/control/file.ts';
import { isLoopback } from '../../src/server/routes/control.ts';
import { capturedOutput, spawnZhenjian, zhenjian } from '../helpers/cli.ts';
import { tempDir } from '../helpers/db.ts';
import { CASE_HEADER, caseRow, writeCsv } from '../helpers/files.ts';
import { withServer } from '../helpers/server.ts';

const THROUGH = '数据库由运行中的服务持有，已通过本机控制通道执行';

/** The --json document without the fields that measure time (the marts' and the case indexes' rebuild). */
function comparable(stdout: string) {
  const doc = JSON.parse(stdout) as { marts?: unknown; indexes?: unknown };
  delete doc.marts;
  delete doc.indexes;
  return doc;
}

describe('CLI through a running server (spec/cli.md, last paragraph)', () => {
  it('ingest and query go through the control channel with the direct path’s output and exit codes', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const good = writeCsv(dir, 'good.csv', [CASE_HEADER, caseRow('C1'), caseRow('C2')]);
      const bad = writeCsv(dir, 'bad.csv', [
        CASE_HEADER,
        caseRow('C3'),
        caseRow('C4', { filed_on: '2024-02-30' }),
      ]);
      // the same files into a database the CLI opens itself (the direct path, run in this process)
      const direct = join(dir, 'direct.duckdb');
      const ingestIn = async (db: string, args: string[], json: boolean) => {
        const { out, text } = capturedOutput(json);
        const code = await ingestCommand([...args, '--db', db], out).catch((e: UserError) => e.exitCode);
        return { code, ...text };
      };
      const run = (args: string[], json: boolean) => ingestIn(direct, args, json);
      expect(await initCommand(['--db', direct], capturedOutput(false).out)).toBe(0);
      const d1 = await run([good, '--json'], true);
      const d2 = await run([bad, '--json'], true);
      const d3 = await run([join(dir, 'nope.csv')], false);
      const d4 = await run([good], false);

      await withServer(async (s) => {
        const db = join(s.dir, 'server.duckdb');
        const control = readControlFile(controlFilePath(db))!;
        expect(control).toMatchObject({ pid: process.pid, port: Number(new URL(s.url).port), db });
        expect(statSync(controlFilePath(db)).mode & 0o777).toBe(0o600);

        const s1 = await zhenjian(['ingest', good, '--db', db, '--json']);
        expect(s1.stderr).toContain(THROUGH);
        expect([s1.code, d1.code]).toEqual([0, 0]);
        expect(comparable(s1.stdout)).toEqual(comparable(d1.stdout));

        // the rest through the same channel from this process (each child process costs seconds of start-up):
        // one row of two rejected → exit 1 on both paths, the same rejects (line 3 = header + 2nd row)
        const s2 = await ingestIn(db, [bad, '--json'], true);
        expect(s2.stderr).toContain(THROUGH);
        expect([s2.code, d2.code]).toEqual([1, 1]);
        expect(comparable(s2.stdout)).toEqual(comparable(d2.stdout));
        expect(JSON.parse(s2.stdout).batches[0].rejects).toEqual([
          { line: 3, column: 'filed_on', reason: expect.stringContaining('2024-02-30') },
        ]);

        // unusable input → exit 2 and nothing sent
        const s3 = await ingestIn(db, [join(dir, 'nope.csv')], false);
        expect([s3.code, d3.code]).toEqual([2, 2]);

        // human output: stdout identical, the notice on stderr only
        const s4 = await ingestIn(db, [good], false);
        expect(s4.stderr).toContain(THROUGH);
        expect(s4.code).toBe(0);
        expect(s4.stdout).toBe(d4.stdout);
        expect(s4.stdout).toContain('跳过');

        const q = await zhenjian(['query', 'case-filings', '--db', db]);
        expect(q.code).toBe(0);
        expect(q.stderr).toContain(THROUGH);
        const served = JSON.parse(q.stdout) as { query: string; rows: { filed: number }[] };
        // filed: C1, C2 from good.csv and C3 from bad.csv = 3 (C4 was rejected)
        expect(served.query).toBe('case-filings');
        expect(served.rows.map((r) => r.filed)).toEqual([3]);

        const trail = readFileSync(auditPath(db), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        const cli = trail.filter((r) => String(r.event).startsWith('cli.'));
        expect(cli.map((r) => [r.event, r.user, r.detail])).toEqual([
          ['cli.ingest', `cli:${userInfo().username}`, '退出码 0'],
          ['cli.ingest', `cli:${userInfo().username}`, '退出码 1'],
          ['cli.ingest', `cli:${userInfo().username}`, '退出码 0'],
          ['cli.query', `cli:${userInfo().username}`, '退出码 0'],
        ]);

        // the ledger rows were written by the server under the CLI's user
        const batches = await s.server.ctx.pool.use(async (conn) =>
          (await conn.runAndReadAll('SELECT loaded_by FROM batches ORDER BY batch_id')).getRows(),
        );
        expect(batches).toEqual([[`cli:${userInfo().username}`], [`cli:${userInfo().username}`]]);
        // the staged copies are gone once the command has run
        expect(existsSync(join(s.dir, '.staging', 'cli'))).toBe(true);
        expect(
          spawnSync('find', [join(s.dir, '.staging', 'cli'), '-type', 'f'], { encoding: 'utf8' }).stdout,
        ).toBe('');
      });
    } finally {
      cleanup();
    }
  });

  it('refuses a wrong or missing token (401), proxied or browser requests (403); loopback only', async () => {
    await withServer(async (s) => {
      const db = join(s.dir, 'server.duckdb');
      const { token } = readControlFile(controlFilePath(db))!;
      const post = (headers: Record<string, string>) =>
        fetch(`${s.url}/api/v1/control/ping`, { method: 'POST', headers });
      expect((await post({ authorization: `Bearer ${token}` })).status).toBe(200);
      const wrong = await post({ authorization: `Bearer ${'0'.repeat(64)}` });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
      expect((await post({})).status).toBe(401);
      expect((await post({ authorization: `Bearer ${token.slice(1)}` })).status).toBe(401);
      // a reverse proxy on this machine connects from loopback on behalf of a remote client
      expect((await post({ authorization: `Bearer ${token}`, 'x-forwarded-for': '10.1.2.3' })).status).toBe(
        403,
      );
      expect((await post({ authorization: `Bearer ${token}`, origin: s.url })).status).toBe(403);
      // a signed-in browser session is no way in
      await s.addUser({ username: 'admin1', role: 'admin', districts: [] });
      const cookie = await s.login('admin1');
      const viaSession = await s.fetch('/api/v1/control/init', { method: 'POST', cookie });
      expect(viaSession.status).toBe(403);

      const denied = readFileSync(auditPath(db), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((r) => r.event === 'control');
      expect(denied.map((r) => [r.outcome, r.detail])).toEqual([
        ['denied', 'bad_token'],
        ['denied', 'bad_token'],
        ['denied', 'bad_token'],
        ['denied', 'local_only'],
        ['denied', 'local_only'],
        ['denied', 'local_only'],
      ]);
    });
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('10.0.0.5')).toBe(false);
    expect(isLoopback('::ffff:192.168.1.9')).toBe(false);
    expect(isLoopback('127.0.0.1.evil')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });

  it('a stale control file (its server gone) is reported with exit 3', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = join(dir, 'z.duckdb');
      const h = await openDatabase(db);
      await initDatabase(h);
      h.close();
      // a pid that certainly ended: a child that has exited
      const dead = spawnSync(process.execPath, ['-e', 'process.pid'], { encoding: 'utf8' }).pid!;
      writeFileSync(
        controlFilePath(db),
        JSON.stringify({ version: 1, pid: dead, port: 9, token: 'a'.repeat(64), db, started_at: '' }),
        { mode: 0o600 },
      );
      const { out, text } = capturedOutput(false);
      const error = await queryCommand(['pending-cases', '--db', db], out).catch((e: UserError) => e);
      expect(text.stdout).toBe('');
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(3);
      expect((error as UserError).zh).toContain('过期的控制文件');
      expect((error as UserError).zh).toContain(`PID ${dead}`);
    } finally {
      cleanup();
    }
  });

  it('zhenjian serve: URL and first admin password once, CLI through it, SIGTERM stops it cleanly', async () => {
    const { dir, cleanup } = tempDir();
    const db = join(dir, 'z.duckdb');
    const serve = spawnZhenjian(['serve', '--port', '0', '--db', db]);
    try {
      const url = await serve.waitFor(/http:\/\/127\.0\.0\.1:\d+/);
      await serve.waitFor(/初始密码：\S+/);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('侦查监督与协作配合');
      const init = await zhenjian(['init', '--db', db, '--json']);
      expect(init.code).toBe(0);
      expect(init.stderr).toContain(THROUGH);
      expect(JSON.parse(init.stdout).reference).toMatchObject({ districts: 16 });
      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
      expect(serve.output().stdout).toContain('服务已停止');
      expect(existsSync(controlFilePath(db))).toBe(false);
      // the database is free again: the CLI opens it itself
      const after = capturedOutput(false);
      expect(await initCommand(['--db', db], after.out)).toBe(0);
      expect(after.text.stderr).not.toContain(THROUGH);
    } finally {
      if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
      cleanup();
    }
  });
});
