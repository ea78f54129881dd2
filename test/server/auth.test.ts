import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { auditPath } from '../../src/server/audit/log.ts';
import { LOGIN_FAILED } from '../../src/server/auth/routes.ts';
import { PASSWORD, withServer } from '../helpers/server.ts';

const json = { 'content-type': 'application/json' };
const auditLines = (dbPath: string) =>
  readFileSync(auditPath(dbPath), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('sign-in and sessions', () => {
  it('first start creates admin with a random 20-character password, returned once for the terminal', async () => {
    await withServer(async (s) => {
      const first = s.server.initialAdmin!;
      expect(first.username).toBe('admin');
      expect(first.password).toMatch(/^[A-Za-z0-9]{20}$/);
      const cookie = await s.login('admin', first.password);
      const me = await (await s.fetch('/api/v1/me', { cookie })).json();
      expect(me.user).toMatchObject({
        username: 'admin',
        role: 'admin',
        districts: [],
        role_label: '系统管理员',
      });
    });
  });

  it('sets an HttpOnly SameSite=Strict cookie with a 256-bit id, new at each sign-in; logout kills it server-side', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'chaoyang', role: 'district', agency: '检察', districts: ['110105'] });
      const res = await s.fetch('/api/v1/session', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'chaoyang', password: PASSWORD }),
      });
      expect(res.status).toBe(200);
      const setCookie = res.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^zj_session=[A-Za-z0-9_-]{43};/);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      const cookie = setCookie.split(';')[0]!;
      const again = await s.login('chaoyang');
      expect(again).not.toBe(cookie);
      expect((await s.fetch('/api/v1/me', { cookie })).status).toBe(200);
      expect((await s.fetch('/api/v1/session', { method: 'DELETE', cookie })).status).toBe(204);
      const after = await s.fetch('/api/v1/me', { cookie });
      expect(after.status).toBe(401);
      expect((await after.json()).error.message).toBe('请先登录。');
      expect((await s.fetch('/api/v1/me', { cookie: again })).status).toBe(200);
    });
  });

  it('answers unknown user, wrong password and locked account with the same message; locks at the 5th failure', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'haidian', role: 'district', agency: '公安', districts: ['110108'] });
      const attempt = async (username: string, password: string) => {
        const res = await s.fetch('/api/v1/session', {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ username, password }),
        });
        return { status: res.status, body: await res.json() };
      };
      const unknown = await attempt('nobody', PASSWORD);
      expect(unknown).toEqual({
        status: 401,
        body: { error: { code: 'login_failed', message: LOGIN_FAILED } },
      });
      for (let i = 0; i < 4; i++) expect(await attempt('haidian', 'wrong password!')).toEqual(unknown);
      // four failures: still not locked, the right password works and clears the count
      expect((await attempt('haidian', PASSWORD)).status).toBe(200);
      for (let i = 0; i < 5; i++) expect(await attempt('haidian', 'wrong password!')).toEqual(unknown);
      // locked now: even the right password gets the same answer
      expect(await attempt('haidian', PASSWORD)).toEqual(unknown);
      const events = auditLines(s.server.ctx.db.path).map((r) => [r.event, r.outcome, r.detail ?? null]);
      expect(events.filter((e) => e[0] === 'account_locked')).toHaveLength(1);
      expect(events.at(-1)).toEqual(['login', 'failed', 'locked']);
      expect(events[0]).toEqual(['login', 'failed', 'unknown_user']);
    });
  });

  it('ends a session after the idle timeout and says it timed out', async () => {
    let now = Date.parse('2026-03-01T09:00:00+08:00');
    await withServer(async (s) => {
      // drive the store's clock: 15 minutes idle is allowed, a minute more is not
      (s.server.ctx.sessions as unknown as { now: () => number }).now = () => now;
      await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
      const cookie = await s.login('city1');
      now += 15 * 60_000;
      expect((await s.fetch('/api/v1/me', { cookie })).status).toBe(200);
      now += 15 * 60_000 + 1;
      const res = await s.fetch('/api/v1/me', { cookie });
      expect(res.status).toBe(401);
      expect((await res.json()).error).toEqual({
        code: 'session_expired',
        message: '会话已超时，请重新登录。',
      });
    });
  });

  it('refuses a cross-site write and sets the security headers', async () => {
    await withServer(async (s) => {
      const res = await s.fetch('/api/v1/session', {
        method: 'POST',
        headers: { ...json, origin: 'http://evil.example' },
        body: JSON.stringify({ username: 'admin', password: s.server.initialAdmin!.password }),
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-powered-by')).toBeNull();
    });
  });
});
