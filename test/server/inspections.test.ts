import { describe, expect, it } from 'vitest';
import { beijingToday } from '../../src/server/resources/common.ts';
import { loadModuleFixture } from '../helpers/modules.ts';
import { withServer, type TestServer } from '../helpers/server.ts';
import { auditRecords, call } from './records-helpers.ts';

// Fixture `pending` (worked in test/queries/pending-cases.test.ts): the 挂案 at 2025-06-30 are P6, P1, P5, P2, P9, P3
// in 朝阳 (110105) and P8 in 海淀 (110108) — 7 cases. P7 (朝阳) is not a 挂案 then.
const prepare = {
  prepare: (db: Parameters<typeof loadModuleFixture>[0]) =>
    loadModuleFixture(db, 'test/fixtures/modules/pending', '2025-06-30'),
};
const CRITERIA = { module: 'pending-cases', params: { as_of: '2025-06-30' } };

async function users(s: TestServer) {
  await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
  await s.addUser({ username: 'chaoyang', role: 'district', agency: '公安', districts: ['110105'] });
  await s.addUser({ username: 'haidian', role: 'district', agency: '公安', districts: ['110108'] });
  await s.addUser({ username: 'fengtai', role: 'district', agency: '检察', districts: ['110106'] });
  return {
    city: await s.login('city1'),
    chaoyang: await s.login('chaoyang'),
    haidian: await s.login('haidian'),
    fengtai: await s.login('fengtai'),
  };
}

const PROGRESS = [
  'matched',
  'checked',
  'no_problem',
  'with_problem',
  'police_problem',
  'procuratorate_problem',
];
const figures = (row: Record<string, unknown>) =>
  Object.fromEntries(
    [
      ...PROGRESS,
      'unattributed_problem',
      'rectified',
      'open_problem',
      'checked_share',
      'problem_share',
      'rectified_share',
    ].map((k) => [k, row[k]]),
  );

describe('special inspections (专项检查)', () => {
  it('stores the cases its module matches city-wide; district users record checks on theirs; progress counts them', async () => {
    await withServer(async (s) => {
      const u = await users(s);
      const created = await call(s, u.city, 'POST', '/inspections', {
        name: '挂案专项清理检查',
        topic: '挂案',
        start_on: '2025-07-01',
        end_on: '2025-09-30',
        criteria: CRITERIA,
      });
      expect(created.status).toBe(201);
      expect(created.body.inspection).toMatchObject({
        status: '进行中',
        matched_in_scope: 7,
        created_by: 'city1',
        criteria: { module: 'pending-cases', params: { as_of: '2025-06-30' } },
      });
      expect(created.body.cases.map((c: Record<string, unknown>) => c.case_id)).toEqual([
        'P6',
        'P1',
        'P5',
        'P2',
        'P9',
        'P3',
        'P8',
      ]);
      const id = created.body.inspection.inspection_campaign_id as string;

      // 朝阳 sees its 6 cases; 丰台 has none, so the inspection is not there for it
      const mine = await call(s, u.chaoyang, 'GET', `/inspections/${id}`);
      expect(mine.body.cases.map((c: Record<string, unknown>) => c.case_id)).toEqual([
        'P6',
        'P1',
        'P5',
        'P2',
        'P9',
        'P3',
      ]);
      expect((await call(s, u.fengtai, 'GET', '/inspections')).body.inspections).toEqual([]);
      expect((await call(s, u.fengtai, 'GET', `/inspections/${id}`)).status).toBe(404);

      const check = (cookie: string, body: Record<string, unknown>) =>
        call(s, cookie, 'POST', `/inspections/${id}/findings`, body);
      const p1 = await check(u.chaoyang, {
        case_id: 'P1',
        checked_on: '2025-07-01',
        result: '有问题',
        responsible: '公安',
        text: '立案后长期未采取实质性侦查措施',
        rectified_on: '2025-07-20',
      });
      expect(p1.status).toBe(201);
      expect(
        (await check(u.chaoyang, { case_id: 'P2', checked_on: '2025-07-02', result: '无问题' })).status,
      ).toBe(201);
      const p5 = await check(u.chaoyang, {
        case_id: 'P5',
        checked_on: '2025-07-03',
        result: '有问题',
        responsible: '检察',
      });
      expect(p5.status).toBe(201);
      // 海淀's case, and a 朝阳 case the inspection did not match: 404 alike; a second check of P1: 409
      const outside = await check(u.chaoyang, { case_id: 'P8', result: '无问题' });
      const unmatched = await check(u.chaoyang, { case_id: 'P7', result: '无问题' });
      expect([outside.status, unmatched.status]).toEqual([404, 404]);
      expect((await check(u.chaoyang, { case_id: 'P1', result: '无问题' })).status).toBe(409);
      const inconsistent = await check(u.chaoyang, { case_id: 'P9', result: '无问题', responsible: '公安' });
      expect(inconsistent.status).toBe(400);
      const early = await check(u.chaoyang, {
        case_id: 'P9',
        result: '有问题',
        checked_on: '2025-07-10',
        rectified_on: '2025-07-09',
      });
      expect(early.body.error.message).toContain('不能早于');
      expect(
        (await check(u.haidian, { case_id: 'P8', checked_on: '2025-07-05', result: '有问题' })).status,
      ).toBe(201);

      // P5 rectified later; 海淀 cannot reach 朝阳's finding
      const p5id = p5.body.finding.inspection_finding_id as string;
      const later = await call(s, u.chaoyang, 'PATCH', `/inspections/${id}/findings/${p5id}`, {
        rectified_on: '2025-08-01',
      });
      expect(later.status).toBe(200);
      expect(later.body.finding).toMatchObject({
        result: '有问题',
        responsible: '检察',
        rectified_on: '2025-08-01',
      });
      expect(
        (
          await call(s, u.haidian, 'PATCH', `/inspections/${id}/findings/${p5id}`, {
            rectified_on: '2025-08-02',
          })
        ).status,
      ).toBe(404);

      // city: 7 matched, 4 checked (P1 P2 P5 P8), 1 无问题, 3 有问题 — P1 公安, P5 检察, P8 unattributed; P1 and P5
      // rectified, P8 open: 4/7 checked, 3/4 with a problem, 2/3 rectified
      const city = {
        matched: 7,
        checked: 4,
        no_problem: 1,
        with_problem: 3,
        police_problem: 1,
        procuratorate_problem: 1,
        unattributed_problem: 1,
        rectified: 2,
        open_problem: 1,
        checked_share: 4 / 7,
        problem_share: 0.75,
        rectified_share: 2 / 3,
      };
      const detail = await call(s, u.city, 'GET', `/inspections/${id}`);
      expect(figures(detail.body.progress)).toEqual(city);
      expect(
        detail.body.by_district.map((d: Record<string, unknown>) => [d.district_code, d.matched, d.checked]),
      ).toEqual([
        ['110105', 6, 3],
        ['110108', 1, 1],
      ]);
      // the module counts exactly what was stored
      const today = beijingToday();
      const moduleRow = async (cookie: string, asOf: string) =>
        (
          await (
            await s.fetch(`/api/v1/queries/inspection-results?campaign=${id}&as_of=${asOf}`, { cookie })
          ).json()
        ).rows[0];
      expect(figures(await moduleRow(u.city, today))).toEqual(city);
      // as of 2025-07-02: P1 (07-01) and P2 (07-02, the last day counted) checked; P1's rectification (07-20) not yet
      expect(await moduleRow(u.city, '2025-07-02')).toMatchObject({
        checked: 2,
        with_problem: 1,
        rectified: 0,
      });
      // 朝阳: 6 matched, 3 checked, 2 with a problem, both rectified; 海淀: 1 matched, checked, open
      expect((await call(s, u.chaoyang, 'GET', `/inspections/${id}`)).body.progress).toMatchObject({
        matched: 6,
        checked: 3,
        with_problem: 2,
        rectified: 2,
        open_problem: 0,
      });
      expect((await call(s, u.haidian, 'GET', '/inspections')).body.inspections[0].progress).toMatchObject({
        matched: 1,
        checked: 1,
        unattributed_problem: 1,
        rectified: 0,
      });
      const findings = await call(s, u.chaoyang, 'GET', `/inspections/${id}/findings`);
      expect(findings.body.findings.map((f: Record<string, unknown>) => f.case_id)).toEqual([
        'P1',
        'P2',
        'P5',
      ]);

      // the matched list is fixed; finishing the inspection closes it to new checks; only the city edits it
      const fixed = await call(s, u.city, 'PATCH', `/inspections/${id}`, { matched: ['P7'] });
      expect(fixed.status).toBe(400);
      expect(fixed.body.error.message).toContain('固定');
      expect((await call(s, u.chaoyang, 'PATCH', `/inspections/${id}`, { status: '已完成' })).status).toBe(
        403,
      );
      const badDates = await call(s, u.city, 'PATCH', `/inspections/${id}`, { end_on: '2025-06-01' });
      expect(badDates.status).toBe(400);
      const done = await call(s, u.city, 'PATCH', `/inspections/${id}`, { status: '已完成' });
      expect(done.body.inspection).toMatchObject({ status: '已完成', end_on: '2025-09-30' });
      expect((await check(u.chaoyang, { case_id: 'P9', result: '无问题' })).status).toBe(409);

      const trail = auditRecords(s);
      expect(trail.find((r) => r.event === 'inspection_read' && r.user === 'chaoyang')).toMatchObject({
        outcome: 'ok',
        case_ids: ['P1', 'P2', 'P3', 'P5', 'P6', 'P9'],
      });
      expect(
        trail
          .filter((r) => r.event === 'inspection_finding_create' && r.outcome !== 'ok')
          .map((r) => [r.outcome, r.case_ids]),
      ).toEqual([
        ['denied', ['P8']],
        ['failed', ['P7']],
      ]);
      expect(trail.find((r) => r.event === 'inspection_read' && r.user === 'fengtai')).toMatchObject({
        outcome: 'denied',
        detail: 'out_of_scope',
      });
    }, prepare);
  });

  it('accepts only modules that list cases, with their own parameter checks', async () => {
    await withServer(async (s) => {
      const u = await users(s);
      const notCases = await call(s, u.city, 'POST', '/inspections', {
        name: 'x',
        criteria: { module: 'decision-rates', params: {} },
      });
      expect(notCases.status).toBe(400);
      expect(notCases.body.error.message).toContain('pending-cases');
      const badParam = await call(s, u.city, 'POST', '/inspections', {
        name: 'x',
        criteria: { module: 'pending-cases', params: { as_of: '2025-02-30' } },
      });
      expect(badParam.status).toBe(400);
      expect(badParam.body.error.message).toContain('as_of');
      const byDistrict = await call(s, u.chaoyang, 'POST', '/inspections', { name: 'x', criteria: CRITERIA });
      expect(byDistrict.status).toBe(403);
    }, prepare);
  });
});
