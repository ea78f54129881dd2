import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditPath } from '../../src/server/audit/log.ts';
import { addUser } from '../../src/server/auth/users.ts';
import { loadModuleFixture } from '../helpers/modules.ts';
import { PASSWORD, withServer, type TestServer } from '../helpers/server.ts';

/**
 * Every route of spec/api.md against its rules: no session → 401; wrong role → 403 where api.md gives the route to
 * some roles only; bad parameters → 400; an id outside the caller's districts → 404 with the body of an absent one;
 * and no error body carries SQL, a stack trace or a file path. The pending fixture: P1…P7, P9…P11 in 朝阳
 * (110105), P8 in 海淀 (110108).
 */
interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}
const ROUTES: Route[] = [
  { method: 'DELETE', path: '/api/v1/session' },
  { method: 'GET', path: '/api/v1/me' },
  { method: 'POST', path: '/api/v1/me/password', body: { current: 'x', password: 'y' } },
  { method: 'GET', path: '/api/v1/queries' },
  { method: 'GET', path: '/api/v1/queries/pending-cases' },
  { method: 'GET', path: '/api/v1/cases/P1?purpose=%E7%9B%91%E7%9D%A3%E6%A0%B8%E6%9F%A5' },
  { method: 'POST', path: '/api/v1/ingest' },
  { method: 'GET', path: '/api/v1/ingest/J1/events' },
  { method: 'GET', path: '/api/v1/batches' },
  { method: 'GET', path: '/api/v1/review-campaigns' },
  { method: 'POST', path: '/api/v1/review-campaigns', body: {} },
  { method: 'GET', path: '/api/v1/review-campaigns/RC-1' },
  { method: 'PATCH', path: '/api/v1/review-campaigns/RC-1', body: {} },
  { method: 'POST', path: '/api/v1/review-campaigns/RC-1/reviews', body: {} },
  { method: 'GET', path: '/api/v1/review-campaigns/RC-1/reviews' },
  { method: 'PATCH', path: '/api/v1/reviews/RV-1', body: {} },
  { method: 'POST', path: '/api/v1/reviews/RV-1/findings', body: {} },
  { method: 'GET', path: '/api/v1/reviews/RV-1/findings' },
  { method: 'GET', path: '/api/v1/inspections' },
  { method: 'POST', path: '/api/v1/inspections', body: {} },
  { method: 'GET', path: '/api/v1/inspections/IC001' },
  { method: 'PATCH', path: '/api/v1/inspections/IC001', body: {} },
  { method: 'POST', path: '/api/v1/inspections/IC001/findings', body: {} },
  { method: 'GET', path: '/api/v1/inspections/IC001/findings' },
  { method: 'PATCH', path: '/api/v1/inspections/IC001/findings/1', body: {} },
  { method: 'GET', path: '/api/v1/meetings' },
  { method: 'POST', path: '/api/v1/meetings', body: {} },
  { method: 'GET', path: '/api/v1/meetings/MT001' },
  { method: 'PATCH', path: '/api/v1/meetings/MT001', body: {} },
  { method: 'POST', path: '/api/v1/meetings/MT001/actions', body: {} },
  { method: 'GET', path: '/api/v1/meetings/MT001/actions' },
  { method: 'PATCH', path: '/api/v1/meetings/MT001/actions/1', body: {} },
  { method: 'POST', path: '/api/v1/meetings/MT001/pack', body: {} },
  { method: 'GET', path: '/api/v1/meetings/MT001/pack' },
  { method: 'POST', path: '/api/v1/briefings', body: {} },
  { method: 'GET', path: '/api/v1/settings' },
  { method: 'PATCH', path: '/api/v1/settings', body: {} },
  { method: 'GET', path: '/api/v1/users' },
  { method: 'POST', path: '/api/v1/users', body: {} },
  { method: 'PATCH', path: '/api/v1/users/1', body: {} },
  { method: 'POST', path: '/api/v1/users/1/unlock' },
  { method: 'POST', path: '/api/v1/users/1/password', body: {} },
  { method: 'POST', path: '/api/v1/users/1/totp' },
  { method: 'DELETE', path: '/api/v1/users/1/totp' },
  { method: 'POST', path: '/api/v1/users/1/sessions/revoke' },
  { method: 'GET', path: '/api/v1/audit' },
];

// api.md's role rules: admin-only, auditor-only, and what admin and auditor may not read
// matched against `METHOD /path`
const ADMIN_ONLY = /^\w+ \/api\/v1\/(ingest|batches|settings|users)/;
const WRONG_ROLE: { role: string; routes: RegExp }[] = [
  { role: 'city1', routes: ADMIN_ONLY },
  { role: 'chaoyang', routes: ADMIN_ONLY },
  { role: 'auditor1', routes: ADMIN_ONLY },
  { role: 'city1', routes: /^GET \/api\/v1\/audit/ },
  { role: 'admin1', routes: /^\w+ \/api\/v1\/(audit|cases|queries\/pending-cases|briefings)/ },
  // (an auditor's module list is empty: a module name is 404 for them, as for a module that does not exist)
  { role: 'auditor1', routes: /^\w+ \/api\/v1\/(cases|briefings)/ },
  // 评查活动 and 专项检查 are created and changed by the city office
  { role: 'chaoyang', routes: /^POST \/api\/v1\/(review-campaigns|inspections)$/ },
];

// `at ` as a stack frame prints it ("    at fn (file:line)"): a bare 'at ' would match the word format
const LEAKS = [/SELECT/, /(^|\n|\\n)\s*at |\bat [\w.<>$]+ \(/, /\/work\//, /\.ts:/];

function send(s: TestServer, r: Route, cookie?: string): Promise<Response> {
  return s.fetch(r.path, {
    method: r.method,
    cookie,
    headers: r.body === undefined ? {} : { 'content-type': 'application/json' },
    body: r.body === undefined ? undefined : JSON.stringify(r.body),
  });
}

async function bodyOf(res: Response, where: string): Promise<{ error?: { code: string; message: string } }> {
  const text = await res.text();
  for (const leak of LEAKS) expect(text, `${where}: ${text.slice(0, 300)}`).not.toMatch(leak);
  return text ? (JSON.parse(text) as { error?: { code: string; message: string } }) : {};
}

const prepare = async (db: Parameters<typeof loadModuleFixture>[0]) => {
  await loadModuleFixture(db, 'test/fixtures/modules/pending', '2025-06-30');
  for (const u of [
    { username: 'city1', role: 'city', agency: '检察' },
    { username: 'chaoyang', role: 'district', agency: '检察', districts: ['110105'] },
    { username: 'admin1', role: 'admin' },
    { username: 'auditor1', role: 'auditor' },
  ] as const)
    await addUser(db.conn, { ...u, password: PASSWORD });
};

describe('route matrix (spec/api.md rules for every endpoint)', () => {
  it('no session → 401, wrong role → 403, bad parameters → 400; no error leaks SQL, stacks or paths', async () => {
    await withServer(
      async (s) => {
        expect(ROUTES.length).toBeGreaterThanOrEqual(45);
        for (const r of ROUTES) {
          const where = `${r.method} ${r.path} without a session`;
          const res = await send(s, r);
          expect(res.status, where).toBe(401);
          expect((await bodyOf(res, where)).error?.code, where).toBe('unauthenticated');
          // a cookie that names no live session is the same
          const forged = await send(s, r, 'zj_session=' + 'a'.repeat(43));
          expect(forged.status, `${where} (forged cookie)`).toBe(401);
          await bodyOf(forged, where);
        }
        const cookies: Record<string, string> = {};
        for (const u of ['city1', 'chaoyang', 'admin1', 'auditor1']) cookies[u] = await s.login(u);
        let checked = 0;
        for (const { role, routes } of WRONG_ROLE)
          for (const r of ROUTES.filter((x) => routes.test(`${x.method} ${x.path.split('?')[0]!}`))) {
            const where = `${r.method} ${r.path} as ${role}`;
            const res = await send(s, r, cookies[role]);
            expect(res.status, where).toBe(403);
            expect((await bodyOf(res, where)).error?.message, where).toMatch(/[\u4e00-\u9fff]/);
            checked++;
          }
        expect(checked).toBeGreaterThan(40);
        const auditorRun = await s.fetch('/api/v1/queries/pending-cases', { cookie: cookies.auditor1 });
        expect(auditorRun.status).toBe(404);
        await bodyOf(auditorRun, 'auditor runs a module');

        // bad parameters: 400 with a Chinese message naming what is wrong
        const city = cookies.city1!;
        const bad: [Route, RegExp][] = [
          [{ method: 'GET', path: '/api/v1/queries/pending-cases?as_of=2025-13-01' }, /as_of/],
          [{ method: 'GET', path: '/api/v1/queries/pending-cases?nope=1' }, /nope/],
          [{ method: 'GET', path: '/api/v1/queries/pending-cases?format=pdf' }, /format/],
          [{ method: 'GET', path: '/api/v1/queries/pending-cases?limit=0' }, /limit/],
          [{ method: 'GET', path: '/api/v1/cases/P1' }, /查询事由/],
          [{ method: 'GET', path: '/api/v1/cases/P1?purpose=%E9%9A%8F%E4%BE%BF' }, /查询事由/],
          [{ method: 'GET', path: "/api/v1/cases/P1'--?purpose=%E5%85%B6%E4%BB%96%EF%BC%9Ax" }, /案件编号/],
          [
            { method: 'POST', path: '/api/v1/review-campaigns', body: { name: 1, extra: true } },
            /[\u4e00-\u9fff]/,
          ],
          [{ method: 'POST', path: '/api/v1/inspections', body: [] }, /[\u4e00-\u9fff]/],
          [{ method: 'POST', path: '/api/v1/meetings', body: { level: '省级' } }, /[\u4e00-\u9fff]/],
          [{ method: 'POST', path: '/api/v1/briefings', body: { period: 'soon' } }, /[\u4e00-\u9fff]/],
        ];
        for (const [r, named] of bad) {
          const where = `${r.method} ${r.path} ${JSON.stringify(r.body ?? '')}`;
          const res = await send(s, r, city);
          expect(res.status, where).toBe(400);
          expect((await bodyOf(res, where)).error?.message, where).toMatch(named);
        }
        const adminBad = await send(
          s,
          { method: 'PATCH', path: '/api/v1/settings', body: { nope: 1 } },
          cookies.admin1,
        );
        expect(adminBad.status).toBe(400);
        await bodyOf(adminBad, 'PATCH /settings');
        const loginBad = await send(s, { method: 'POST', path: '/api/v1/session', body: { username: 1 } });
        expect(loginBad.status).toBe(400);
        await bodyOf(loginBad, 'POST /session');
        const notJson = await s.fetch('/api/v1/meetings', {
          method: 'POST',
          cookie: city,
          headers: { 'content-type': 'application/json' },
          body: '{"level": ',
        });
        expect(notJson.status).toBe(400);
        expect((await bodyOf(notJson, 'bad JSON')).error?.code).toBe('bad_json');
      },
      { prepare },
    );
  });

  it('an id or district outside the scope is 404 with exactly the body of one that does not exist', async () => {
    await withServer(
      async (s) => {
        const chaoyang = await s.login('chaoyang');
        const purpose = `purpose=${encodeURIComponent('监督核查')}`;
        const read = async (path: string) => {
          const res = await s.fetch(path, { cookie: chaoyang });
          return { status: res.status, body: await bodyOf(res, path) };
        };
        expect((await read(`/api/v1/cases/P1?${purpose}`)).status).toBe(200);
        const absent = await read(`/api/v1/cases/NOPE?${purpose}`);
        expect(absent.status).toBe(404);
        // P8 exists, in 海淀
        expect(await read(`/api/v1/cases/P8?${purpose}`)).toEqual(absent);
        expect(await read('/api/v1/queries/pending-cases?district=110108')).toEqual(absent);
        expect(await read('/api/v1/queries/case-filings?district=110108')).toEqual(absent);
        expect(await read('/api/v1/queries/no-such-module')).toEqual(absent);
        for (const path of [
          '/api/v1/review-campaigns/RC-none',
          '/api/v1/inspections/IC999',
          '/api/v1/meetings/MT999',
          '/api/v1/no-such-route',
        ])
          expect(await read(path), path).toEqual(absent);
      },
      { prepare },
    );
  });

  it('rate limits: sign-in attempts per client address and case reads per user → 429 with Retry-After, audited', async () => {
    await withServer(
      async (s) => {
        // three sign-ins a minute from this address: two good ones and a wrong password use them up
        const chaoyang = await s.login('chaoyang');
        const city = await s.login('city1');
        const attempt = (password: string) =>
          send(s, { method: 'POST', path: '/api/v1/session', body: { username: 'city1', password } });
        expect((await attempt('wrong password here')).status).toBe(401);
        for (const password of ['wrong password again', PASSWORD]) {
          const res = await attempt(password);
          expect(res.status, password).toBe(429);
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          const body = await bodyOf(res, 'POST /session');
          expect(body.error?.code).toBe('rate_limited');
          expect(body.error?.message).toMatch(/请求过于频繁/);
        }
        // case-level reads share one budget of three a minute per user: case detail and case-level lists
        const purpose = `purpose=${encodeURIComponent('监督核查')}`;
        expect((await s.fetch(`/api/v1/cases/P1?${purpose}`, { cookie: chaoyang })).status).toBe(200);
        expect((await s.fetch('/api/v1/queries/pending-cases', { cookie: chaoyang })).status).toBe(200);
        expect((await s.fetch(`/api/v1/cases/P2?${purpose}`, { cookie: chaoyang })).status).toBe(200);
        for (const path of [`/api/v1/cases/P3?${purpose}`, '/api/v1/queries/pending-cases']) {
          const res = await s.fetch(path, { cookie: chaoyang });
          expect(res.status, path).toBe(429);
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          expect((await bodyOf(res, path)).error?.code).toBe('rate_limited');
        }
        // aggregates are not case reads; another user has a budget of their own
        expect((await s.fetch('/api/v1/queries/case-filings', { cookie: chaoyang })).status).toBe(200);
        expect((await s.fetch(`/api/v1/cases/P3?${purpose}`, { cookie: city })).status).toBe(200);
        const trail = readFileSync(auditPath(s.server.ctx.db.path), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { event: string; outcome: string; detail?: string; user?: string });
        const limited = trail.filter((e) => e.event === 'rate_limited');
        expect(limited.map((e) => [e.outcome, e.detail])).toEqual([
          ['denied', 'login'],
          ['denied', 'login'],
          ['denied', 'case_detail'],
          ['denied', 'query'],
        ]);
      },
      { prepare, start: { config: { loginsPerMinute: 3, caseReadsPerMinute: 3 } } },
    );
  });
});
