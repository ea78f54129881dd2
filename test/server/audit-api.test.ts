import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesFromEnd } from '../../src/server/admin/audit-read.ts';
import { tempDir } from '../helpers/db.ts';
import { withServer, type TestServer } from '../helpers/server.ts';

type Rec = Record<string, unknown>;

async function setup(s: TestServer) {
  await s.addUser({ username: 'audit1', role: 'auditor' });
  await s.addUser({ username: 'city1', role: 'city', agency: '公安' });
  const auditor = await s.login('audit1');
  const admin = await s.login('admin', s.server.initialAdmin!.password);
  const get = async (q: string, cookie = auditor) => {
    const res = await s.fetch(`/api/v1/audit${q}`, { cookie });
    return { status: res.status, body: await res.json() };
  };
  return { auditor, admin, get };
}

describe('GET /api/v1/audit (auditor only)', () => {
  it('answers the auditor newest first, refuses the admin with 403, and audits both the read and the refusal', async () => {
    await withServer(async (s) => {
      const { admin, get } = await setup(s);
      // so far: login audit1 (seq 1), login admin (seq 2)
      const denied = await get('', admin);
      expect(denied.status).toBe(403);
      const first = await get('');
      expect(first.status).toBe(200);
      expect(first.body.records.map((r: Rec) => [r.seq, r.event, r.user, r.outcome])).toEqual([
        [3, 'audit_read', 'admin', 'denied'],
        [2, 'login', 'admin', 'ok'],
        [1, 'login', 'audit1', 'ok'],
      ]);
      expect(first.body).toMatchObject({ limit: 100, offset: 0, has_more: false });
      // the first read is itself on the trail, with its filters and row count
      const second = await get('?limit=1');
      expect(second.body.records[0]).toMatchObject({
        seq: 4,
        event: 'audit_read',
        outcome: 'ok',
        user: 'audit1',
        role: 'auditor',
        rows: 3,
        params: { limit: 100, offset: 0 },
      });
      expect(second.body.has_more).toBe(true);
    });
  });

  it('filters by user, event, outcome, case id and dates, and pages with limit and offset', async () => {
    await withServer(async (s) => {
      const { get } = await setup(s);
      const audit = s.server.ctx.audit;
      await audit.write({ event: 'case_detail', outcome: 'ok', user: 'city1', case_ids: ['A1'] });
      await audit.write({ event: 'case_detail', outcome: 'denied', user: 'city1', case_ids: ['B2'] });
      await audit.write({ event: 'export', outcome: 'ok', user: 'city1', case_ids: ['A1', 'B2'] });
      // seq 1–2 logins, 3–5 above
      const seqs = async (q: string) => (await get(q)).body.records.map((r: Rec) => r.seq);
      expect(await seqs('?user=city1')).toEqual([5, 4, 3]);
      expect(await seqs('?case_id=A1')).toEqual([5, 3]);
      expect(await seqs('?event=case_detail&outcome=denied')).toEqual([4]);
      expect(await seqs('?event=login')).toEqual([2, 1]);
      // the four reads just made are seq 6–9: newest first 9, 8, 7 …; offset 1 skips 9 (this read becomes 10)
      expect(await seqs('?limit=2&offset=1')).toEqual([8, 7]);
      const page = await get('?limit=3&offset=8');
      // at the time of this read: seq 10 … 1; skipping 8 leaves 2 and 1 — fewer than the limit, so no more
      expect(page.body.records.map((r: Rec) => r.seq)).toEqual([2, 1]);
      expect(page.body.has_more).toBe(false);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const d = new Date(`${today}T00:00:00Z`);
      const shift = (days: number) => new Date(d.getTime() + days * 86_400_000).toISOString().slice(0, 10);
      expect(await seqs(`?from=${shift(1)}`)).toEqual([]);
      expect(await seqs(`?to=${shift(-1)}`)).toEqual([]);
      expect((await seqs(`?from=${today}&to=${today}&event=login`)).length).toBe(2);
    });
  });

  it('refuses bad filters with 400 naming the parameter; other roles get 403', async () => {
    await withServer(async (s) => {
      const { get } = await setup(s);
      const bad = async (q: string) => {
        const r = await get(q);
        expect(r.status).toBe(400);
        return r.body.error.message as string;
      };
      expect(await bad('?limit=1001')).toContain('limit：limit应在 1–1000 之间');
      expect(await bad('?limit=0')).toContain('limit');
      expect(await bad('?from=2025-02-30')).toContain('from（起始日期）不是有效日期');
      expect(await bad('?from=2025-03-02&to=2025-03-01')).toContain('from 不能晚于 to');
      expect(await bad('?outcome=maybe')).toContain('outcome 应为');
      expect(await bad('?who=me')).toContain('未知参数 who');
      expect((await get('', await s.login('city1'))).status).toBe(403);
    });
  });
});

describe('linesFromEnd', () => {
  it('yields complete lines last first across chunk borders, multi-byte text intact, an unfinished tail skipped', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'a.jsonl');
      const lines = ['{"a":1}', '{"b":"朝阳区人民检察院"}', '', '{"c":"海淀"}', 'x'.repeat(40)];
      writeFileSync(path, `${lines.join('\n')}\n{"half":`);
      for (const size of [1, 3, 7, 64, 4096]) {
        const got: string[] = [];
        for await (const l of linesFromEnd(path, size)) got.push(l);
        // the empty line is skipped; the tail without a newline is a record being written
        expect(got).toEqual(['x'.repeat(40), '{"c":"海淀"}', '{"b":"朝阳区人民检察院"}', '{"a":1}']);
      }
      writeFileSync(path, '');
      const none: string[] = [];
      for await (const l of linesFromEnd(path)) none.push(l);
      expect(none).toEqual([]);
    } finally {
      cleanup();
    }
  });
});
