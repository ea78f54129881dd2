import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditPath } from '../../src/server/audit/log.ts';
import { loadModuleFixture } from '../helpers/modules.ts';
import { withServer } from '../helpers/server.ts';

const prepare = {
  prepare: (db: Parameters<typeof loadModuleFixture>[0]) =>
    loadModuleFixture(db, 'test/fixtures/modules/pending', '2025-06-30'),
};
const purpose = encodeURIComponent('监督核查：核对挂案');

describe('GET /api/v1/cases/:id', () => {
  it('shows a case in scope with its suspects and timeline, needs a purpose, and 404s alike outside scope and absent', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'haidian', role: 'district', agency: '公安', districts: ['110108'] });
      await s.addUser({ username: 'chaoyang', role: 'district', agency: '检察', districts: ['110105'] });
      const haidian = await s.login('haidian');
      const noPurpose = await s.fetch('/api/v1/cases/P8', { cookie: haidian });
      expect(noPurpose.status).toBe(400);
      const ok = await s.fetch(`/api/v1/cases/P8?purpose=${purpose}`, { cookie: haidian });
      expect(ok.status).toBe(200);
      const body = await ok.json();
      expect(body.case).toMatchObject({
        case_id: 'P8',
        district_code: '110108',
        district_name: '海淀区',
        filed_on: '2023-05-01',
      });
      // P8 has no suspects rows (rules.md §2: Rule C on the case); its 挂案 deadline is 2023-05-01 + 24 months
      expect(body.suspects).toEqual([]);
      expect(body.timeline.rows.length).toBeGreaterThan(0);
      expect(body.timeline.rows.every((r: { case_id: string }) => r.case_id === 'P8')).toBe(true);

      const chaoyang = await s.login('chaoyang');
      const outside = await s.fetch(`/api/v1/cases/P8?purpose=${purpose}`, { cookie: chaoyang });
      const absent = await s.fetch(`/api/v1/cases/NOPE?purpose=${purpose}`, { cookie: chaoyang });
      expect(outside.status).toBe(404);
      expect(absent.status).toBe(404);
      expect(await outside.json()).toEqual(await absent.json());

      const records = readFileSync(auditPath(s.server.ctx.db.path), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((r) => r.event === 'case_detail');
      expect(records.map((r) => [r.user, r.case_ids[0], r.outcome, r.detail ?? null, r.purpose])).toEqual([
        ['haidian', 'P8', 'ok', null, '监督核查：核对挂案'],
        ['chaoyang', 'P8', 'denied', 'out_of_scope', '监督核查：核对挂案'],
        ['chaoyang', 'NOPE', 'failed', 'not_found', '监督核查：核对挂案'],
      ]);
    }, prepare);
  });

  it('refuses admin and auditor case detail; refuses a purpose outside the list or 其他 without a note', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'audit1', role: 'auditor' });
      await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
      expect(
        (await s.fetch(`/api/v1/cases/P8?purpose=${purpose}`, { cookie: await s.login('audit1') })).status,
      ).toBe(403);
      const city = await s.login('city1');
      const other = await s.fetch(`/api/v1/cases/P8?purpose=${encodeURIComponent('其他')}`, { cookie: city });
      expect(other.status).toBe(400);
      expect((await other.json()).error.message).toContain('写明具体事由');
      const bogus = await s.fetch(`/api/v1/cases/P8?purpose=${encodeURIComponent('好奇')}`, { cookie: city });
      expect(bogus.status).toBe(400);
      const header = await s.fetch('/api/v1/cases/P8', {
        cookie: city,
        headers: { 'x-purpose': encodeURIComponent('联席会议') },
      });
      expect(header.status).toBe(200);
    }, prepare);
  });
});
