import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.ts';
import { all } from '../../src/db/sql.ts';
import { auditPath, verifyAuditLog } from '../../src/server/audit/log.ts';
import { verifyPassword } from '../../src/server/auth/password.ts';
import { usersCommand } from '../../src/cli/commands/users.ts';
import { createOutput } from '../../src/cli/output.ts';
import { UserError } from '../../src/db/errors.ts';
import { initDatabase } from '../../src/db/init.ts';
import { tempDir } from '../helpers/db.ts';

// The real executable, as an operator runs it, with the password piped on standard input; most cases run the same
// command function in this process instead (each start of the executable costs seconds on this machine).
function zhenjian(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/zhenjian.js', ...args], { encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function inProcess(args: string[], input = '') {
  let stdout = '';
  let stderr = '';
  type Sink = Parameters<typeof createOutput>[1];
  const sink = (add: (t: string) => void) => ({ write: (t: string) => (add(t), true) }) as unknown as Sink;
  const out = createOutput(
    args.includes('--json'),
    sink((t) => (stdout += t)),
    sink((t) => (stderr += t)) as Parameters<typeof createOutput>[2],
  );
  try {
    return { code: await usersCommand(args, out, async () => input), stdout, stderr };
  } catch (e) {
    if (e instanceof UserError) return { code: e.exitCode, stdout, stderr: stderr + e.zh };
    throw e;
  }
}

describe('zhenjian users (database opened directly: no server runs)', () => {
  it('adds, lists, disables, unlocks, resets and enrols TOTP; audited as cli:<OS user>; no secret in the trail', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = join(dir, 'z.duckdb');
      const u = (args: string[], input?: string) => inProcess([...args, '--db', db], input);
      const init = await openDatabase(db);
      await initDatabase(init);
      init.close();

      expect(
        zhenjian(
          ['users', 'add', '--username', 'boss', '--role', 'admin', '--password-stdin', '--db', db],
          'a long admin passphrase\n',
        ),
      ).toMatchObject({
        code: 0,
        stdout: '已添加用户 boss（系统管理员）。\n',
      });
      // a district user needs an agency; the message names the field (exit 2: unusable input)
      const noAgency = await u(
        [
          'add',
          '--username',
          'chaoyang',
          '--role',
          'district',
          '--districts',
          '110105,110108',
          '--password-stdin',
        ],
        'district passphrase 1',
      );
      expect(noAgency.code).toBe(2);
      expect(noAgency.stderr).toContain('agency：区级用户须注明单位（检察 或 公安）');
      expect(
        (
          await u(
            [
              'add',
              '--username',
              'chaoyang',
              '--role',
              'district',
              '--agency',
              '检察',
              '--districts',
              '110105,110108',
              '--password-stdin',
            ],
            'district passphrase 1',
          )
        ).code,
      ).toBe(0);
      // without --password-stdin nothing is read from the command line
      expect((await u(['add', '--username', 'x12', '--role', 'city'])).stderr).toContain(
        '需要 --password-stdin',
      );

      const list = await u(['list', '--json']);
      expect(list.code).toBe(0);
      const users = JSON.parse(list.stdout).users;
      expect(
        users.map((x: Record<string, unknown>) => [x.username, x.role, x.agency, x.districts, x.disabled]),
      ).toEqual([
        ['boss', 'admin', null, [], false],
        ['chaoyang', 'district', '检察', ['110105', '110108'], false],
      ]);
      expect(list.stdout).not.toMatch(/password_hash|totp_secret|scrypt/);

      const last = zhenjian(['users', 'disable', '--username', 'boss', '--db', db]);
      expect(last.code).toBe(2);
      expect(last.stderr).toContain('boss 是唯一启用的系统管理员');
      expect((await u(['disable', '--username', 'chaoyang'])).stdout).toBe(
        '已停用用户 chaoyang，其会话已结束。\n',
      );
      expect((await u(['unlock', '--username', 'nobody'])).stderr).toContain('用户 nobody 不存在。');
      expect(
        (await u(['reset-password', '--username', 'chaoyang', '--password-stdin'], 'short\n')).code,
      ).toBe(2);
      expect(
        (
          await u(
            ['reset-password', '--username', 'chaoyang', '--password-stdin'],
            'a brand new passphrase\n',
          )
        ).code,
      ).toBe(0);

      const totp = await u(['totp', '--username', 'boss']);
      expect(totp.code).toBe(0);
      const uris = totp.stdout.match(/otpauth:\/\/totp\/\S+/g)!;
      expect(uris).toHaveLength(1);
      const secret = /secret=([A-Z2-7]{32})&/.exec(uris[0]!)![1]!;

      const conn = await openDatabase(db);
      try {
        const rows = await all<{
          username: string;
          disabled: boolean;
          password_hash: string;
          totp_secret: string | null;
        }>(
          conn.conn,
          'SELECT username, disabled_at IS NOT NULL AS disabled, password_hash, totp_secret FROM users ORDER BY user_id',
        );
        expect(rows.map((r) => [r.username, r.disabled])).toEqual([
          ['boss', false],
          ['chaoyang', true],
        ]);
        expect(rows[0]!.totp_secret).toBe(secret);
        // the trailing newline of the piped line is not part of the password
        expect(await verifyPassword('a brand new passphrase', rows[1]!.password_hash)).toBe(true);
      } finally {
        conn.close();
      }

      const trail = readFileSync(auditPath(db), 'utf8');
      for (const secretText of [
        secret,
        'a long admin passphrase',
        'a brand new passphrase',
        'district passphrase 1',
      ])
        expect(trail).not.toContain(secretText);
      const records = trail
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const who = `cli:${userInfo().username}`;
      expect(records.map((r) => [r.user, r.event, r.outcome])).toEqual([
        [who, 'user_create', 'ok'],
        [who, 'user_create', 'failed'],
        [who, 'user_create', 'ok'],
        [who, 'user_list', 'ok'],
        [who, 'user_update', 'failed'],
        [who, 'user_update', 'ok'],
        [who, 'user_unlock', 'failed'],
        [who, 'password_reset', 'failed'],
        [who, 'password_reset', 'ok'],
        [who, 'totp_enrol', 'ok'],
      ]);
      expect(await verifyAuditLog(auditPath(db))).toMatchObject({ ok: true, records: 10 });
    } finally {
      cleanup();
    }
  });

  it('refuses an unknown subcommand and an uninitialised database with exit 2', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = join(dir, 'fresh.duckdb');
      const bad = await inProcess(['promote', '--db', db]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(
        'zhenjian users 后应为 add、list、disable、enable、unlock、reset-password、totp 之一',
      );
      const fresh = await inProcess(['list', '--db', db]);
      expect(fresh.code).toBe(2);
      expect(fresh.stderr).toContain('请先运行 zhenjian init');
    } finally {
      cleanup();
    }
  });
});
