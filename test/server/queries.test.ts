import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { auditPath, verifyAuditLog } from '../../src/server/audit/log.ts';
import { withServer, type TestServer } from '../helpers/server.ts';
import { loadModuleFixture } from '../helpers/modules.ts';

const FIXTURE = 'test/fixtures/modules/pending';
const prepare = {
  prepare: (db: Parameters<typeof loadModuleFixture>[0]) => loadModuleFixture(db, FIXTURE, '2025-06-30'),
};

async function users(s: TestServer) {
  await s.addUser({ username: 'chaoyang', role: 'district', agency: '检察', districts: ['110105'] });
  await s.addUser({ username: 'haidian', role: 'district', agency: '公安', districts: ['110108'] });
  await s.addUser({ username: 'city1', role: 'city', agency: '公安' });
  await s.addUser({ username: 'audit1', role: 'auditor' });
}
const audit = (s: TestServer) =>
  readFileSync(auditPath(s.server.ctx.db.path), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

// The fixture's 挂案 at as_of 2025-06-30 (worked in test/queries/pending-cases.test.ts): P6, P1, P5, P2, P9, P3 in
// 朝阳 (110105) and P8 in 海淀 (110108).
describe('GET /api/v1/queries/:name within the session scope', () => {
  it('gives each user only their districts rows, and the city all of them', async () => {
    await withServer(async (s) => {
      await users(s);
      const ids = async (user: string) => {
        const res = await s.fetch('/api/v1/queries/pending-cases', { cookie: await s.login(user) });
        expect(res.status).toBe(200);
        const body = await res.json();
        expect(body.meta.as_of).toBe('2025-06-30');
        return body.rows.map((r: { case_id: string }) => r.case_id);
      };
      expect(await ids('chaoyang')).toEqual(['P6', 'P1', 'P5', 'P2', 'P9', 'P3']);
      expect(await ids('haidian')).toEqual(['P8']);
      expect(await ids('city1')).toEqual(['P6', 'P1', 'P5', 'P2', 'P9', 'P8', 'P3']);
    }, prepare);
  });

  it('drills down: district narrows the scope (never widens it), police_unit keeps one unit', async () => {
    await withServer(async (s) => {
      await users(s);
      const city = await s.login('city1');
      const ids = async (q: string, cookie = city) => {
        const res = await s.fetch(`/api/v1/queries/pending-cases${q}`, { cookie });
        return res.status === 200
          ? (await res.json()).rows.map((r: { case_id: string }) => r.case_id)
          : res.status;
      };
      expect(await ids('?district=110108')).toEqual(['P8']);
      // 三里屯派出所's flagged cases: P9 (Rule C, 2025-03-01) and P3 (2025-06-29); P4, P10, P11 are not past due
      expect(await ids(`?district=110105&police_unit=${encodeURIComponent('三里屯派出所')}`)).toEqual([
        'P9',
        'P3',
      ]);
      expect(await ids('?district=110105', await s.login('haidian'))).toBe(404);
    }, prepare);
  });

  it('ignores scope-like request parameters, 404s a district outside the scope, 400s unknown or bad ones', async () => {
    await withServer(async (s) => {
      await users(s);
      const cookie = await s.login('haidian');
      const smuggled = await s.fetch('/api/v1/queries/pending-cases?districts=110105', { cookie });
      expect(smuggled.status).toBe(400);
      expect((await smuggled.json()).error.message).toContain('没有参数 districts');
      const bad = await s.fetch('/api/v1/queries/pending-cases?as_of=2025-02-30', { cookie });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.message).toContain('as_of');
      const twice = await s.fetch('/api/v1/queries/pending-cases?as_of=2025-06-30&as_of=2025-06-29', {
        cookie,
      });
      expect(twice.status).toBe(400);
      const outside = await s.fetch(
        '/api/v1/queries/joint-meeting-pack?period=2025&level=区级&district=110105',
        {
          cookie,
        },
      );
      expect(outside.status).toBe(404);
      const last = audit(s).at(-1)!;
      expect(last).toMatchObject({
        event: 'query',
        outcome: 'denied',
        user: 'haidian',
        detail: 'district_out_of_scope',
      });
      expect((await s.fetch('/api/v1/queries/no-such-module', { cookie })).status).toBe(404);
      // case-timeline is served only through /cases/:id
      expect((await s.fetch('/api/v1/queries/case-timeline?case_id=P8', { cookie })).status).toBe(404);
    }, prepare);
  });

  it('lists per role: auditor none, admin none with case-level rows, district users all but case-timeline', async () => {
    await withServer(async (s) => {
      await users(s);
      const names = async (cookie: string) =>
        ((await (await s.fetch('/api/v1/queries', { cookie })).json()).queries as { name: string }[]).map(
          (q) => q.name,
        );
      expect(await names(await s.login('audit1'))).toEqual([]);
      const admin = await names(await s.login('admin', s.server.initialAdmin!.password));
      expect(admin).not.toContain('pending-cases');
      expect(admin).toContain('decision-rates');
      const district = await names(await s.login('chaoyang'));
      expect(district).toContain('pending-cases');
      expect(district).not.toContain('case-timeline');
      const adminRun = await s.fetch('/api/v1/queries/pending-cases', {
        cookie: await s.login('admin', s.server.initialAdmin!.password),
      });
      expect(adminRun.status).toBe(403);
    }, prepare);
  });

  it('audits a case-level list with the case ids; not an aggregate', async () => {
    await withServer(async (s) => {
      await users(s);
      const cookie = await s.login('haidian');
      await s.fetch('/api/v1/queries/pending-cases', { cookie });
      const rec = audit(s).at(-1)!;
      expect(rec).toMatchObject({
        event: 'query',
        outcome: 'ok',
        user: 'haidian',
        role: 'district',
        agency: '公安',
      });
      expect(rec).toMatchObject({ query: 'pending-cases', rows: 1, case_ids: ['P8'] });
      expect(rec.session).toMatch(/^[0-9a-f]{16}$/);
      const before = audit(s).length;
      await s.fetch('/api/v1/queries/case-filings', { cookie });
      expect(audit(s).length).toBe(before);
      expect((await verifyAuditLog(auditPath(s.server.ctx.db.path))).ok).toBe(true);
    }, prepare);
  });

  it('serves Arrow IPC for the same rows, with meta in the schema metadata', async () => {
    await withServer(async (s) => {
      await users(s);
      const res = await s.fetch('/api/v1/queries/pending-cases', {
        cookie: await s.login('chaoyang'),
        headers: { accept: 'application/vnd.apache.arrow.stream' },
      });
      expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
      const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
      expect(table.numRows).toBe(6);
      expect(table.getChild('case_id')!.toArray()).toEqual(['P6', 'P1', 'P5', 'P2', 'P9', 'P3']);
      expect(table.getChild('days_over')!.get(0)).toBe(546);
      expect(JSON.parse(table.schema.metadata.get('zhenjian')!).as_of).toBe('2025-06-30');
    }, prepare);
  });

  it('exports case-level CSV (BOM, Chinese headers) only with a purpose, audited as an export', async () => {
    await withServer(async (s) => {
      await users(s);
      const cookie = await s.login('chaoyang');
      const refused = await s.fetch('/api/v1/queries/pending-cases?format=csv', { cookie });
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.message).toContain('查询事由');
      const res = await s.fetch(
        `/api/v1/queries/pending-cases?format=csv&purpose=${encodeURIComponent('监督核查')}`,
        {
          cookie,
        },
      );
      expect(res.status).toBe(200);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes.slice(3));
      expect(text.split('\r\n')[0]).toContain('案件编号');
      expect(text.trim().split('\r\n')).toHaveLength(7);
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
      expect(audit(s).at(-1)).toMatchObject({
        event: 'export',
        purpose: '监督核查',
        rows: 6,
        detail: 'format=csv',
      });
    }, prepare);
  });
});
