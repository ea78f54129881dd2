import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditPath } from '../../src/server/audit/log.ts';
import { LOGIN_FAILED } from '../../src/server/auth/routes.ts';
import { totpAt, verifyTotp } from '../../src/server/auth/totp.ts';
import { PASSWORD, withServer, type TestServer } from '../helpers/server.ts';

const json = { 'content-type': 'application/json' };
const audit = (s: TestServer) =>
  readFileSync(auditPath(s.server.ctx.db.path), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function asAdmin(s: TestServer) {
  const cookie = await s.login('admin', s.server.initialAdmin!.password);
  const call = async (method: string, path: string, body?: unknown, as = cookie) => {
    const res = await s.fetch(`/api/v1${path}`, {
      method,
      cookie: as,
      headers: body === undefined ? {} : json,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return { cookie, call };
}

const idOf = async (call: Awaited<ReturnType<typeof asAdmin>>['call'], username: string) =>
  ((await call('GET', '/users')).body.users as { username: string; user_id: number }[]).find(
    (u) => u.username === username,
  )!.user_id;

describe('user administration (admin)', () => {
  it('creates and lists users without password hashes or TOTP secrets; refuses bad input naming the field', async () => {
    await withServer(async (s) => {
      const { call } = await asAdmin(s);
      const created = await call('POST', '/users', {
        username: 'chaoyang',
        role: 'district',
        agency: '检察',
        districts: ['110105'],
        password: PASSWORD,
      });
      expect(created.status).toBe(201);
      expect(created.body.user).toMatchObject({
        username: 'chaoyang',
        role: 'district',
        role_label: '区级用户',
        districts: ['110105'],
        locked: false,
        disabled: false,
        totp_enrolled: false,
        last_login_at: null,
      });
      const bad = await call('POST', '/users', {
        username: 'x1y',
        role: 'district',
        districts: ['110105'],
        password: 'short',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('password：密码至少 12 个字符');
      expect(bad.body.error.message).toContain('agency：区级用户须注明单位');
      const dup = await call('POST', '/users', { username: 'chaoyang', role: 'city', password: PASSWORD });
      expect(dup.body.error.message).toBe('用户名 chaoyang 已存在。');

      await s.login('chaoyang');
      const list = await call('GET', '/users');
      expect(list.status).toBe(200);
      const text = JSON.stringify(list.body);
      expect(text).not.toMatch(/password_hash|totp_secret|scrypt\$/);
      expect(list.body.users.map((u: { username: string }) => u.username)).toEqual(['admin', 'chaoyang']);
      expect(list.body.users[1].last_login_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

      const events = audit(s).filter((r) => String(r.event).startsWith('user_'));
      expect(events.map((r) => [r.event, r.outcome, r.user])).toEqual([
        ['user_create', 'ok', 'admin'],
        ['user_create', 'failed', 'admin'],
        ['user_create', 'failed', 'admin'],
        ['user_list', 'ok', 'admin'],
      ]);
      expect(events[0]!.detail).toBe('target=chaoyang role=district agency=检察 districts=110105');
      expect(JSON.stringify(audit(s))).not.toContain(PASSWORD);
    });
  });

  it('refuses other roles with 403, and audits the attempt', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'city1', role: 'city', agency: '公安' });
      const cookie = await s.login('city1');
      expect((await s.fetch('/api/v1/users', { cookie })).status).toBe(403);
      expect(audit(s).at(-1)).toMatchObject({
        event: 'user_admin',
        outcome: 'denied',
        user: 'city1',
        detail: 'role=city',
      });
    });
  });

  it('disabling ends the live session at once (next request 401) and refuses sign-in; enabling restores it', async () => {
    await withServer(async (s) => {
      const { call } = await asAdmin(s);
      await s.addUser({ username: 'haidian', role: 'district', agency: '公安', districts: ['110108'] });
      const victim = await s.login('haidian');
      expect((await s.fetch('/api/v1/me', { cookie: victim })).status).toBe(200);
      const id = await idOf(call, 'haidian');
      const r = await call('PATCH', `/users/${id}`, { disabled: true });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ user: { disabled: true }, sessions_ended: 1 });
      expect((await s.fetch('/api/v1/me', { cookie: victim })).status).toBe(401);
      await expect(s.login('haidian')).rejects.toThrow(LOGIN_FAILED);
      expect((await call('PATCH', `/users/${id}`, { disabled: false })).body.user.disabled).toBe(false);
      expect((await s.fetch('/api/v1/me', { cookie: await s.login('haidian') })).status).toBe(200);
      expect(
        audit(s)
          .filter((x) => x.event === 'user_update')
          .map((x) => x.detail),
      ).toEqual(['target=haidian disabled sessions_ended=1', 'target=haidian enabled']);
    });
  });

  it('a district user promoted to city: the old session is dead, after signing in again all 16 districts', async () => {
    await withServer(async (s) => {
      const { call } = await asAdmin(s);
      await s.addUser({ username: 'chaoyang', role: 'district', agency: '检察', districts: ['110105'] });
      const before = await s.login('chaoyang');
      // two sessions (two browsers): both end
      const other = await s.login('chaoyang');
      expect((await (await s.fetch('/api/v1/me', { cookie: before })).json()).user.districts).toEqual([
        '110105',
      ]);
      const id = await idOf(call, 'chaoyang');
      const r = await call('PATCH', `/users/${id}`, { role: 'city' });
      // the district list goes with the district role
      expect(r.body).toMatchObject({ user: { role: 'city', districts: [] }, sessions_ended: 2 });
      expect((await s.fetch('/api/v1/me', { cookie: before })).status).toBe(401);
      expect((await s.fetch('/api/v1/me', { cookie: other })).status).toBe(401);
      const me = await (await s.fetch('/api/v1/me', { cookie: await s.login('chaoyang') })).json();
      expect(me.user.role).toBe('city');
      expect(me.user.districts).toHaveLength(16);
      expect(me.user.districts[0]).toBe('110101');

      // back to district with two districts; a district role without districts is refused
      const noList = await call('PATCH', `/users/${id}`, { role: 'district' });
      expect(noList.status).toBe(400);
      expect(noList.body.error.message).toContain('区级用户至少要有一个区');
      const two = await call('PATCH', `/users/${id}`, { role: 'district', districts: ['110105', '110108'] });
      expect(two.body.user.districts).toEqual(['110105', '110108']);
      const me2 = await (await s.fetch('/api/v1/me', { cookie: await s.login('chaoyang') })).json();
      expect(me2.user.districts).toEqual(['110105', '110108']);
      expect((await call('PATCH', `/users/${id}`, { password: 'x' })).body.error.message).toContain(
        '不能修改 password',
      );
      expect((await call('PATCH', '/users/999', { disabled: true })).status).toBe(400);
      expect((await call('PATCH', '/users/abc', { disabled: true })).status).toBe(404);
    });
  });

  it('the last active admin can be neither disabled nor demoted; with a second admin both work', async () => {
    await withServer(async (s) => {
      const { call } = await asAdmin(s);
      const id = await idOf(call, 'admin');
      const off = await call('PATCH', `/users/${id}`, { disabled: true });
      expect(off.status).toBe(400);
      expect(off.body.error.message).toContain('admin 是唯一启用的系统管理员');
      expect((await call('PATCH', `/users/${id}`, { role: 'city' })).status).toBe(400);
      // a disabled second admin does not count
      await s.addUser({ username: 'admin2', role: 'admin' });
      const id2 = await idOf(call, 'admin2');
      expect((await call('PATCH', `/users/${id2}`, { disabled: true })).status).toBe(200);
      expect((await call('PATCH', `/users/${id}`, { role: 'auditor' })).status).toBe(400);
      expect((await call('PATCH', `/users/${id2}`, { disabled: false })).status).toBe(200);
      const demoted = await call('PATCH', `/users/${id}`, { role: 'auditor' });
      expect(demoted.body).toMatchObject({ user: { role: 'auditor' }, sessions_ended: 1 });
      // the admin's own session ended with the change
      expect((await call('GET', '/users')).status).toBe(401);
    });
  });

  it('unlocks a locked account; resets a password (sessions end, lock lifted, old password refused)', async () => {
    await withServer(async (s) => {
      const { call } = await asAdmin(s);
      await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
      const id = await idOf(call, 'city1');
      const attempt = (password: string) =>
        s.fetch('/api/v1/session', {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ username: 'city1', password }),
        });
      for (let i = 0; i < 5; i++) await attempt('wrong password!');
      const listed = (await call('GET', '/users')).body.users.find(
        (u: { username: string }) => u.username === 'city1',
      );
      expect(listed).toMatchObject({ locked: true, locked_at: expect.stringMatching(/^\d{4}-/) });
      expect((await attempt(PASSWORD)).status).toBe(401);
      expect((await call('POST', `/users/${id}/unlock`)).body.user.locked).toBe(false);
      const live = await s.login('city1');

      const short = await call('POST', `/users/${id}/password`, { password: 'elevenchars' });
      expect(short.status).toBe(400);
      expect(short.body.error.message).toBe('新密码不符合要求：密码至少 12 个字符。');
      for (let i = 0; i < 5; i++) await attempt('wrong password!');
      const reset = await call('POST', `/users/${id}/password`, { password: 'a new passphrase 2026' });
      expect(reset.body).toMatchObject({ user: { locked: false }, sessions_ended: 1 });
      expect((await s.fetch('/api/v1/me', { cookie: live })).status).toBe(401);
      expect((await attempt(PASSWORD)).status).toBe(401);
      expect((await attempt('a new passphrase 2026')).status).toBe(200);
      expect(JSON.stringify(audit(s))).not.toContain('a new passphrase 2026');
    });
  });

  it('enrols TOTP (URI once); the current code signs in, a code 90 s old does not; removal; session revoke', async () => {
    await withServer(async (s) => {
      const { call } = await asAdmin(s);
      await s.addUser({ username: 'audit1', role: 'auditor' });
      const id = await idOf(call, 'audit1');
      const enrol = await call('POST', `/users/${id}/totp`);
      expect(enrol.status).toBe(200);
      expect(enrol.body.otpauth_uri).toMatch(
        /^otpauth:\/\/totp\/zhenjian%3Aaudit1\?secret=[A-Z2-7]{32}&issuer=zhenjian&algorithm=SHA1&digits=6&period=30$/,
      );
      const secret = /secret=([A-Z2-7]+)/.exec(enrol.body.otpauth_uri)![1]!;
      // the secret is in no response after this one, and never in the audit trail
      expect(JSON.stringify((await call('GET', '/users')).body)).not.toContain(secret);
      expect(readFileSync(auditPath(s.server.ctx.db.path), 'utf8')).not.toContain(secret);

      // at a fixed time: the step's code and its neighbour (30 s) pass, 90 s (3 steps) off does not
      const t = Date.parse('2026-03-01T09:00:10+08:00');
      expect(verifyTotp(secret, totpAt(secret, t), t)).toBe(true);
      expect(verifyTotp(secret, totpAt(secret, t - 30_000), t)).toBe(true);
      expect(verifyTotp(secret, totpAt(secret, t - 90_000), t)).toBe(false);
      expect(verifyTotp(secret, totpAt(secret, t + 90_000), t)).toBe(false);

      const signIn = (otp?: string) =>
        s.fetch('/api/v1/session', {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ username: 'audit1', password: PASSWORD, otp }),
        });
      const without = await signIn();
      expect(without.status).toBe(401);
      expect((await without.json()).error.code).toBe('otp_required');
      const stale = await signIn(totpAt(secret, Date.now() - 90_000));
      expect((await stale.json()).error.message).toBe(LOGIN_FAILED);
      const ok = await signIn(totpAt(secret, Date.now()));
      expect(ok.status).toBe(200);
      const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;

      const revoke = await call('POST', `/users/${id}/sessions/revoke`);
      expect(revoke.body).toEqual({ sessions_ended: 1 });
      expect((await s.fetch('/api/v1/me', { cookie })).status).toBe(401);

      expect((await call('DELETE', `/users/${id}/totp`)).body.user.totp_enrolled).toBe(false);
      expect((await signIn()).status).toBe(200);
      expect(
        audit(s)
          .filter((r) => ['totp_enrol', 'totp_remove', 'sessions_revoke'].includes(String(r.event)))
          .map((r) => [r.event, r.detail]),
      ).toEqual([
        ['totp_enrol', 'target=audit1'],
        ['sessions_revoke', 'target=audit1 sessions_ended=1'],
        ['totp_remove', 'target=audit1'],
      ]);
    });
  });
});

describe('POST /api/v1/me/password', () => {
  it('needs the current password; a change ends every session of the user and the new one signs in', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'chaoyang', role: 'district', agency: '检察', districts: ['110105'] });
      const cookie = await s.login('chaoyang');
      const other = await s.login('chaoyang');
      const change = (current_password: string, new_password: string) =>
        s.fetch('/api/v1/me/password', {
          method: 'POST',
          cookie,
          headers: json,
          body: JSON.stringify({ current_password, new_password }),
        });
      const wrong = await change('not my password', 'another long passphrase');
      expect(wrong.status).toBe(400);
      expect((await wrong.json()).error.message).toBe('当前密码不正确。');
      expect((await change(PASSWORD, PASSWORD)).status).toBe(400);
      expect((await change(PASSWORD, 'too short')).status).toBe(400);
      const ok = await change(PASSWORD, 'another long passphrase');
      expect(ok.status).toBe(204);
      expect(ok.headers.get('set-cookie')).toMatch(/^zj_session=;/);
      expect((await s.fetch('/api/v1/me', { cookie })).status).toBe(401);
      expect((await s.fetch('/api/v1/me', { cookie: other })).status).toBe(401);
      await expect(s.login('chaoyang')).rejects.toThrow(LOGIN_FAILED);
      expect(
        (await s.fetch('/api/v1/me', { cookie: await s.login('chaoyang', 'another long passphrase') }))
          .status,
      ).toBe(200);
      expect(
        audit(s)
          .filter((r) => r.event === 'password_change')
          .map((r) => r.outcome),
      ).toEqual(['failed', 'failed', 'failed', 'ok']);
    });
  });
});
