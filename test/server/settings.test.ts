import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pendingMartFits } from '../../queries/marts.ts';
import { run } from '../../src/db/sql.ts';
import { auditPath } from '../../src/server/audit/log.ts';
import { LOGIN_FAILED } from '../../src/server/auth/routes.ts';
import { totpAt } from '../../src/server/auth/totp.ts';
import { loadModuleFixture } from '../helpers/modules.ts';
import { PASSWORD, withServer, type TestServer } from '../helpers/server.ts';

const json = { 'content-type': 'application/json' };
const audit = (s: TestServer) =>
  readFileSync(auditPath(s.server.ctx.db.path), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function admin(s: TestServer) {
  const cookie = await s.login('admin', s.server.initialAdmin!.password);
  return async (method: 'GET' | 'PATCH', body?: unknown, as = cookie) => {
    const res = await s.fetch('/api/v1/settings', {
      method,
      cookie: as,
      headers: json,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
}

describe('GET/PATCH /api/v1/settings', () => {
  it('lists every threshold with its default, unit, range and legal basis, and the options with defaults', async () => {
    await withServer(async (s) => {
      const call = await admin(s);
      const r = await call('GET');
      expect(r.status).toBe(200);
      const fast = r.body.thresholds.find((t: { key: string }) => t.key === 'fast_track.hours');
      expect(fast).toMatchObject({
        value: 48,
        default: 48,
        unit: 'hour',
        unit_label: '小时',
        min: 1,
        max: 720,
        basis: '京检发〔2022〕169号 第19条',
      });
      expect(r.body.thresholds.find((t: { key: string }) => t.key === 'pending.rule_c_months')).toMatchObject(
        {
          value: 24,
          unit: 'month',
          max: 120,
        },
      );
      expect(r.body.options).toEqual([
        {
          key: 'auth.totp_required_privileged',
          value: false,
          default: false,
          label: '系统管理员和审计员须使用动态口令（TOTP）登录',
        },
        {
          key: 'security.marking',
          value: '内部资料 注意保密',
          default: '内部资料 注意保密',
          label: '密级标识（页面、导出文件和简报上显示）',
        },
        { key: 'session.idle_minutes', value: 15, default: 15, label: '会话空闲超时（分钟）' },
      ]);
    });
  });

  it('refuses fractions, zero, out-of-range values, unknown keys and empty changes, naming them; other roles 403', async () => {
    await withServer(async (s) => {
      const call = await admin(s);
      const refused = async (body: unknown) => {
        const r = await call('PATCH', body);
        expect(r.status).toBe(400);
        return r.body.error.message as string;
      };
      expect(await refused({ thresholds: { 'fast_track.hours': 7.5 } })).toBe(
        '设置有误：thresholds.fast_track.hours：速裁案件全流程时限应为 1–720 之间的整数（单位：小时）。',
      );
      expect(await refused({ thresholds: { 'reply.explain_reason_days': 0 } })).toContain(
        '应为 1–3650 之间的整数',
      );
      expect(await refused({ thresholds: { 'pending.rule_a_months': 121 } })).toContain(
        '应为 1–120 之间的整数',
      );
      expect(await refused({ thresholds: { 'measure.max_returns': '2' } })).toContain('measure.max_returns');
      expect(await refused({ thresholds: { 'pending.rule_z_months': 3 } })).toContain(
        'pending.rule_z_months：没有这一项',
      );
      expect(await refused({ options: { 'session.idle_minutes': 31 } })).toContain('最多 30 分钟');
      expect(await refused({ options: { 'security.marking': '' } })).toContain('不能为空');
      expect(await refused({})).toContain('请至少修改一项阈值或选项');
      expect(await refused({ thresholds: {}, colour: 'red' })).toContain('colour');
      // nothing was written
      const after = await call('GET');
      expect(
        after.body.thresholds.every((t: { value: number; default: number }) => t.value === t.default),
      ).toBe(true);
      expect(
        audit(s)
          .filter((r) => r.event === 'settings_update')
          .map((r) => r.outcome),
      ).toEqual(Array(9).fill('failed'));

      await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
      const city = await s.login('city1');
      expect((await call('GET', undefined, city)).status).toBe(403);
      expect((await call('PATCH', { options: { 'session.idle_minutes': 5 } }, city)).status).toBe(403);
    });
  });

  // test/fixtures/modules/measures/example-fast-track (docs/modules/measures.md): Y1S1 detained 03-03 10:00, judged
  // 03-05 10:00 = 48 h; Y2S1 detained 03-10 14:00, judged 03-13 08:30 = 10 + 48 + 8.5 = 66.5 h.
  it('a changed threshold changes the next query: fast_track.hours 48 → 72 puts Y2S1 (66.5 h) within', async () => {
    await withServer(
      async (s) => {
        const call = await admin(s);
        await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
        const city = await s.login('city1');
        const rows = async () => {
          const body = await (await s.fetch('/api/v1/queries/fast-track-48h', { cookie: city })).json();
          return {
            threshold: body.meta.thresholds['fast_track.hours'].value,
            rows: body.rows.map((r: Record<string, unknown>) => [
              r.suspect_id,
              r.hours,
              r.within_48h,
              r.status,
            ]),
          };
        };
        expect(await rows()).toEqual({
          threshold: 48,
          rows: [
            ['Y2S1', 66.5, false, '超时'],
            ['Y1S1', 48, true, '按期'],
          ],
        });
        const r = await call('PATCH', { thresholds: { 'fast_track.hours': 72 } });
        expect(r.status).toBe(200);
        expect(r.body.changed).toEqual(['fast_track.hours: 48→72']);
        expect(r.body.thresholds.find((t: { key: string }) => t.key === 'fast_track.hours').value).toBe(72);
        const after = await rows();
        expect(after.threshold).toBe(72);
        expect(after.rows).toContainEqual(['Y2S1', 66.5, true, '按期']);
        expect(after.rows).toContainEqual(['Y1S1', 48, true, '按期']);
        // 66.5 h is over 66 h and within 67 h
        await call('PATCH', { thresholds: { 'fast_track.hours': 66 } });
        expect((await rows()).rows).toContainEqual(['Y2S1', 66.5, false, '超时']);
        await call('PATCH', { thresholds: { 'fast_track.hours': 67 } });
        expect((await rows()).rows).toContainEqual(['Y2S1', 66.5, true, '按期']);
        expect(
          audit(s)
            .filter((x) => x.event === 'settings_update')
            .map((x) => x.detail),
        ).toEqual(['fast_track.hours: 48→72', 'fast_track.hours: 72→66', 'fast_track.hours: 66→67']);
      },
      {
        prepare: (db) =>
          loadModuleFixture(db, 'test/fixtures/modules/measures/example-fast-track', '2025-06-30'),
      },
    );
  });

  // test/fixtures/modules/pending at as_of 2025-06-30 (test/queries/pending-cases.test.ts): P1's 取保 was lifted on
  // 2023-05-31 (a month end). Rule A, 12 months: 2024-05-31, 395 days over, 严重挂案. With 24 months: 2025-05-31,
  // 30 days over (05-31 → 06-30), 挂案.
  it('a changed 挂案 threshold is never answered from a stale mart: the mart is rebuilt under the new value', async () => {
    await withServer(
      async (s) => {
        const call = await admin(s);
        await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
        const city = await s.login('city1');
        const p1 = async () => {
          const body = await (await s.fetch('/api/v1/queries/pending-cases', { cookie: city })).json();
          const r = body.rows.find((x: { case_id: string }) => x.case_id === 'P1');
          return [r.rule, r.deadline, r.days_over, r.tier];
        };
        const fits = () => s.server.ctx.pool.use((c) => pendingMartFits(c, '2025-06-30'));
        expect(await fits()).toBe(true);
        expect(await p1()).toEqual(['A', '2024-05-31', 395, '严重挂案']);
        const r = await call('PATCH', { thresholds: { 'pending.rule_a_months': 24 } });
        expect(r.status).toBe(200);
        expect(r.body.mart_refresh_seconds).toBeGreaterThan(0);
        expect(await fits()).toBe(true);
        expect(await p1()).toEqual(['A', '2025-05-31', 30, '挂案']);
        // a value written behind the API's back: the mart no longer fits and the module computes on the fly
        await s.server.ctx.pool.use((c) =>
          run(c, "UPDATE thresholds SET value = 12 WHERE key = 'pending.rule_a_months'"),
        );
        expect(await fits()).toBe(false);
        expect(await p1()).toEqual(['A', '2024-05-31', 395, '严重挂案']);
      },
      { prepare: (db) => loadModuleFixture(db, 'test/fixtures/modules/pending', '2025-06-30') },
    );
  });

  it('the idle timeout applies from the next request, and a stored one at start', async () => {
    let now = Date.parse('2026-03-01T09:00:00+08:00');
    await withServer(async (s) => {
      (s.server.ctx.sessions as unknown as { now: () => number }).now = () => now;
      const call = await admin(s);
      await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
      const cookie = await s.login('city1');
      expect((await (await s.fetch('/api/v1/me', { cookie })).json()).idle_minutes).toBe(15);
      const r = await call('PATCH', { options: { 'session.idle_minutes': 5, 'security.marking': '秘密' } });
      expect(r.body.options.map((o: { value: unknown }) => o.value)).toEqual([false, '秘密', 5]);
      expect((await (await s.fetch('/api/v1/me', { cookie })).json()).idle_minutes).toBe(5);
      now += 5 * 60_000;
      expect((await s.fetch('/api/v1/me', { cookie })).status).toBe(200);
      now += 5 * 60_000 + 1;
      expect((await s.fetch('/api/v1/me', { cookie })).status).toBe(401);
    });
    await withServer(
      async (s) => {
        const cookie = await s.login('admin', s.server.initialAdmin!.password);
        expect((await (await s.fetch('/api/v1/me', { cookie })).json()).idle_minutes).toBe(7);
      },
      {
        prepare: (db) =>
          run(db.conn, "INSERT INTO settings VALUES ('session.idle_minutes', '7', now()::TIMESTAMP)"),
      },
    );
  });

  it('TOTP required for admin and auditor: an admin without TOTP may not turn it on; then un-enrolled ones are refused', async () => {
    await withServer(async (s) => {
      const call = await admin(s);
      await s.addUser({ username: 'audit1', role: 'auditor' });
      await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
      const on = { options: { 'auth.totp_required_privileged': true } };
      const self = await call('PATCH', on);
      expect(self.status).toBe(400);
      expect(self.body.error.message).toContain('请先为您自己的账户启用动态口令');

      const adminCookie = await s.login('admin', s.server.initialAdmin!.password);
      const enrol = await s.fetch('/api/v1/users/1/totp', { method: 'POST', cookie: adminCookie });
      const secret = /secret=([A-Z2-7]+)/.exec((await enrol.json()).otpauth_uri)![1]!;
      expect((await call('PATCH', on)).status).toBe(200);

      const signIn = (username: string, password: string, otp?: string) =>
        s.fetch('/api/v1/session', {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ username, password, otp }),
        });
      const refused = await signIn('audit1', PASSWORD);
      expect(refused.status).toBe(403);
      const body = await refused.json();
      expect(body.error.code).toBe('totp_enrolment_required');
      expect(body.error.message).toContain('zhenjian users totp --username audit1');
      // a wrong password still gets the one message: the TOTP rule is only told to whoever knows the password
      expect((await (await signIn('audit1', 'wrong password!')).json()).error.message).toBe(LOGIN_FAILED);
      // other roles are not concerned; the admin signs in with a code
      expect((await signIn('city1', PASSWORD)).status).toBe(200);
      expect(
        (await signIn('admin', s.server.initialAdmin!.password, totpAt(secret, Date.now()))).status,
      ).toBe(200);
      expect(audit(s).find((r) => r.detail === 'totp_not_enrolled')).toMatchObject({
        event: 'login',
        outcome: 'denied',
        user: 'audit1',
        role: 'auditor',
      });
    });
  });
});
