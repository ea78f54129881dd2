import { describe, expect, it } from 'vitest';
import { beijingToday } from '../../src/server/resources/common.ts';
import { loadModuleFixture } from '../helpers/modules.ts';
import { withServer, type TestServer } from '../helpers/server.ts';
import { auditRecords, call } from './records-helpers.ts';

// Fixture `decisions/sample` (worked in test/queries/decisions/review-sample.test.ts): 15 不捕/不诉 decisions in 2024
// in five districts — 110101: R01; 110102: R02 R03; 110105 (case C05): R04…R09; 110106 (C06): R10 R11 R12; 110108:
// R13 R14 R15. With seed 42 and size 7 every district gets one and the two left go to 110105 and 110106:
// R01, R03, R05, R04, R10, R11, R13.
const prepare = {
  prepare: (db: Parameters<typeof loadModuleFixture>[0]) =>
    loadModuleFixture(db, 'test/fixtures/modules/decisions/sample', '2024-12-31'),
};
const PARAMS = { from: '2024-01-01', to: '2024-12-31', size: 7, seed: 42 };
const DRAWN = ['R01', 'R03', 'R05', 'R04', 'R10', 'R11', 'R13'];

async function users(s: TestServer) {
  await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
  await s.addUser({ username: 'chaoyang', role: 'district', agency: '检察', districts: ['110105'] });
  await s.addUser({ username: 'fengtai', role: 'district', agency: '公安', districts: ['110106'] });
  await s.addUser({ username: 'admin1', role: 'admin' });
  await s.addUser({ username: 'audit1', role: 'auditor' });
  return {
    city: await s.login('city1'),
    chaoyang: await s.login('chaoyang'),
    fengtai: await s.login('fengtai'),
    admin: await s.login('admin1'),
    auditor: await s.login('audit1'),
  };
}

const ids = (rows: { decision_id: string }[]) => rows.map((r) => r.decision_id);

describe('review campaigns (京检发〔2022〕169号 第9条)', () => {
  it('draws and stores the sample with the review-sample module: same seed, same items', async () => {
    await withServer(async (s) => {
      const u = await users(s);
      const created = await call(s, u.city, 'POST', '/review-campaigns', {
        name: '2024年不捕不诉案件联合评查',
        mode: '联合评查',
        params: PARAMS,
      });
      expect(created.status).toBe(201);
      expect(created.body.review_campaign).toMatchObject({
        mode: '联合评查',
        status: '进行中',
        seed: 42,
        population_count: 15,
        size: 7,
        created_by: 'city1',
        sample_in_scope: 7,
        population: { module: 'review-sample', params: { ...PARAMS, as_of: '2024-12-31' } },
      });
      expect(ids(created.body.sample)).toEqual(DRAWN);
      expect(created.body.sample[2]).toMatchObject({
        decision_id: 'R05',
        case_id: 'C05',
        district_code: '110105',
      });
      expect(created.body.progress).toMatchObject({ sample_size: 7, reviewed: 0, progress: 0 });

      // the module run through the API with the same parameters draws the same decisions
      const q = new URLSearchParams(Object.entries(PARAMS).map(([k, v]) => [k, String(v)]));
      const viaModule = await s.fetch(`/api/v1/queries/review-sample?${q}`, { cookie: u.city });
      expect(ids((await viaModule.json()).rows)).toEqual(DRAWN);

      // without a seed one is drawn and stored: redrawing with it gives the stored sample
      const unseeded = await call(s, u.city, 'POST', '/review-campaigns', {
        name: '随机种子',
        mode: '常规抽查',
        params: { from: '2024-01-01', to: '2024-12-31', size: 3 },
      });
      expect(unseeded.status).toBe(201);
      const seed = unseeded.body.review_campaign.seed as number;
      expect(Number.isInteger(seed) && seed > 0).toBe(true);
      const again = await s.fetch(
        `/api/v1/queries/review-sample?from=2024-01-01&to=2024-12-31&size=3&seed=${seed}`,
        { cookie: u.city },
      );
      expect(ids((await again.json()).rows)).toEqual(ids(unseeded.body.sample));

      // the sample is the audit record of the draw: never redrawn or edited
      const id = created.body.review_campaign.review_campaign_id as string;
      const redraw = await call(s, u.city, 'PATCH', `/review-campaigns/${id}`, { sample: ['R02'] });
      expect(redraw.status).toBe(400);
      expect(redraw.body.error.message).toContain('不再重抽');
      const renamed = await call(s, u.city, 'PATCH', `/review-campaigns/${id}`, { name: '更名' });
      expect(renamed.body.review_campaign).toMatchObject({ name: '更名', seed: 42, size: 7 });
      expect(ids((await call(s, u.city, 'GET', `/review-campaigns/${id}`)).body.sample)).toEqual(DRAWN);

      // creation is the city's; bad bodies are 400 with the field named; empty populations are refused
      expect(
        (await call(s, u.chaoyang, 'POST', '/review-campaigns', { name: 'x', mode: '联合评查' })).status,
      ).toBe(403);
      const unknown = await call(s, u.city, 'POST', '/review-campaigns', {
        name: 'x',
        mode: '联合评查',
        foo: 1,
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('不认识的字段：foo');
      const badMode = await call(s, u.city, 'POST', '/review-campaigns', { name: 'x', mode: '抽查' });
      expect(badMode.body.error.message).toContain('mode（评查方式）');
      const badSize = await call(s, u.city, 'POST', '/review-campaigns', {
        name: 'x',
        mode: '联合评查',
        params: { ...PARAMS, size: 0 },
      });
      expect(badSize.status).toBe(400);
      expect(badSize.body.error.message).toContain('size');
      const empty = await call(s, u.city, 'POST', '/review-campaigns', {
        name: 'x',
        mode: '联合评查',
        params: { from: '2023-01-01', to: '2023-06-30', seed: 1 },
      });
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toContain('无法抽样');
    }, prepare);
  });

  it('lets district users see and review only their items; review-results counts what was recorded', async () => {
    await withServer(async (s) => {
      const u = await users(s);
      const created = await call(s, u.city, 'POST', '/review-campaigns', {
        name: '2024年不捕不诉案件联合评查',
        mode: '联合评查',
        params: PARAMS,
      });
      const id = created.body.review_campaign.review_campaign_id as string;

      // a cross-district campaign: 朝阳 sees its two items (R05, R04 of case C05), 丰台 its two (R10, R11)
      const list = await call(s, u.chaoyang, 'GET', '/review-campaigns');
      expect(
        list.body.review_campaigns.map((c: Record<string, unknown>) => [
          c.review_campaign_id,
          c.sample_in_scope,
        ]),
      ).toEqual([[id, 2]]);
      const mine = await call(s, u.chaoyang, 'GET', `/review-campaigns/${id}`);
      expect(ids(mine.body.sample)).toEqual(['R05', 'R04']);
      expect(ids((await call(s, u.fengtai, 'GET', `/review-campaigns/${id}`)).body.sample)).toEqual([
        'R10',
        'R11',
      ]);

      const post = (cookie: string, body: Record<string, unknown>) =>
        call(s, cookie, 'POST', `/review-campaigns/${id}/reviews`, body);
      const r05 = await post(u.chaoyang, { decision_id: 'R05', grade: '不合格', reviewed_on: '2025-01-10' });
      expect(r05.status).toBe(201);
      expect(r05.body.review).toMatchObject({
        decision_id: 'R05',
        grade: '不合格',
        reviewer: 'chaoyang',
        case_id: 'C05',
      });
      // outside the user's districts, and not in the sample: both 404 like absent
      const outside = await post(u.chaoyang, { decision_id: 'R10', grade: '合格' });
      const notSampled = await post(u.chaoyang, { decision_id: 'R06', grade: '合格' });
      expect([outside.status, notSampled.status]).toEqual([404, 404]);
      expect(outside.body).toEqual(notSampled.body);
      const twice = await post(u.chaoyang, { decision_id: 'R05', grade: '合格' });
      expect(twice.status).toBe(409);
      const future = await post(u.chaoyang, { decision_id: 'R04', grade: '合格', reviewed_on: '2999-01-01' });
      expect(future.status).toBe(400);
      expect(future.body.error.message).toContain('reviewed_on');

      expect(
        (await post(u.fengtai, { decision_id: 'R10', grade: '合格', reviewed_on: '2025-01-12' })).status,
      ).toBe(201);
      const r01 = await post(u.city, { decision_id: 'R01', grade: '优质', reviewed_on: '2025-01-15' });
      const r04 = await post(u.city, { decision_id: 'R04', grade: '瑕疵', reviewed_on: '2025-01-16' });
      expect(r04.body.review.grade).toBe('基本合格');

      const finding = (cookie: string, review: string, body: Record<string, unknown>) =>
        call(s, cookie, 'POST', `/reviews/${review}/findings`, body);
      const r05id = r05.body.review.review_id as string;
      expect(
        (
          await finding(u.chaoyang, r05id, {
            dimension: '证据采信',
            responsible: '公安',
            text: '关键证据未随案移送',
          })
        ).status,
      ).toBe(201);
      expect((await finding(u.chaoyang, r05id, { dimension: '释法说理', responsible: '检察' })).status).toBe(
        201,
      );
      expect(
        (await finding(u.city, r04.body.review.review_id, { dimension: '文书制作', responsible: '检察' }))
          .status,
      ).toBe(201);
      // 丰台 cannot touch 朝阳's review; a dimension outside REVIEW_DIMENSIONS is refused
      expect((await finding(u.fengtai, r05id, { dimension: '其他', responsible: '公安' })).status).toBe(404);
      expect((await call(s, u.fengtai, 'GET', `/reviews/${r05id}/findings`)).status).toBe(404);
      const badDim = await finding(u.chaoyang, r05id, { dimension: '态度', responsible: '公安' });
      expect(badDim.status).toBe(400);
      expect(badDim.body.error.message).toContain('dimension（问题类别）');
      const f = await call(s, u.chaoyang, 'GET', `/reviews/${r05id}/findings`);
      expect(f.body.findings.map((x: Record<string, unknown>) => x.dimension).sort()).toEqual([
        '证据采信',
        '释法说理',
      ]);

      // city: 4 of 7 reviewed — R01 优质, R10 合格, R04 基本合格, R05 不合格; issues on R05 (公安 and 检察) and R04 (检察):
      // fail 1/4, with issue 2/4, 公安 1/4, 检察 2/4, 3 findings
      const today = beijingToday();
      const results = async (cookie: string) =>
        (
          await (
            await s.fetch(`/api/v1/queries/review-results?campaign=${id}&as_of=${today}`, { cookie })
          ).json()
        ).rows[0];
      expect(await results(u.city)).toMatchObject({
        sample_size: 7,
        reviewed: 4,
        progress: 4 / 7,
        grade_excellent: 1,
        grade_pass: 1,
        grade_basic_pass: 1,
        grade_fail: 1,
        fail_rate: 0.25,
        with_issue: 2,
        issue_rate: 0.5,
        police_issue: 1,
        police_issue_rate: 0.25,
        procuratorate_issue: 2,
        procuratorate_issue_rate: 0.5,
        findings: 3,
      });
      // 朝阳: its 2 items, both reviewed: R05 不合格, R04 基本合格, both with an issue; 1 with a 公安 one
      const chaoyangFigures = {
        sample_size: 2,
        reviewed: 2,
        progress: 1,
        grade_fail: 1,
        grade_basic_pass: 1,
        fail_rate: 0.5,
        with_issue: 2,
        police_issue: 1,
        procuratorate_issue: 2,
        findings: 3,
      };
      expect(await results(u.chaoyang)).toMatchObject(chaoyangFigures);
      // the campaign page shows the module's figures for the same scope
      expect((await call(s, u.chaoyang, 'GET', `/review-campaigns/${id}`)).body.progress).toMatchObject(
        chaoyangFigures,
      );
      expect((await call(s, u.city, 'GET', `/review-campaigns/${id}`)).body.progress).toMatchObject({
        sample_size: 7,
        reviewed: 4,
      });
      const reviews = await call(s, u.chaoyang, 'GET', `/review-campaigns/${id}/reviews`);
      expect(
        reviews.body.reviews.map((r: Record<string, unknown>) => [r.decision_id, r.grade, r.findings]),
      ).toEqual([
        ['R05', '不合格', 2],
        ['R04', '基本合格', 1],
      ]);

      // a grade is corrected by PATCH (瑕疵 stored as 基本合格); 丰台 cannot reach 朝阳's review
      const fixed = await call(s, u.chaoyang, 'PATCH', `/reviews/${r05id}`, { grade: '瑕疵' });
      expect(fixed.body.review.grade).toBe('基本合格');
      expect((await call(s, u.fengtai, 'PATCH', `/reviews/${r05id}`, { grade: '合格' })).status).toBe(404);
      expect(r01.status).toBe(201);

      // district users do not edit campaigns; a finished campaign takes no more results
      expect(
        (await call(s, u.chaoyang, 'PATCH', `/review-campaigns/${id}`, { status: '已完成' })).status,
      ).toBe(403);
      expect((await call(s, u.city, 'PATCH', `/review-campaigns/${id}`, { status: '已完成' })).status).toBe(
        200,
      );
      const closed = await finding(u.chaoyang, r05id, { dimension: '其他', responsible: '公安' });
      expect(closed.status).toBe(409);
      expect(closed.body.error.message).toContain('已完成');

      // admin and auditor keep none of these
      for (const cookie of [u.admin, u.auditor]) {
        expect((await call(s, cookie, 'GET', '/review-campaigns')).status).toBe(403);
        expect((await call(s, cookie, 'GET', `/review-campaigns/${id}`)).status).toBe(403);
      }

      // reads with case ids and every write are in the trail; the refused review names the case it tried
      const trail = auditRecords(s);
      const read = trail.find((r) => r.event === 'review_campaign_read' && r.user === 'chaoyang')!;
      expect([read.outcome, read.case_ids, read.rows]).toEqual(['ok', ['C05'], 2]);
      const denied = trail.filter((r) => r.event === 'review_create' && r.outcome !== 'ok');
      expect(denied.map((r) => [r.user, r.outcome, r.detail, r.case_ids ?? null])).toEqual([
        ['chaoyang', 'denied', 'out_of_scope', ['C06']],
        ['chaoyang', 'failed', 'not_found', null],
      ]);
      expect(trail.filter((r) => r.event === 'review_create' && r.outcome === 'ok')).toHaveLength(4);
      expect(trail.find((r) => r.event === 'review_campaign_create')).toMatchObject({
        user: 'city1',
        outcome: 'ok',
        rows: 7,
        case_ids: ['C01', 'C02', 'C05', 'C06', 'C08'],
      });
      expect(trail.filter((r) => r.event === 'review_campaign_list' && r.outcome === 'denied')).toHaveLength(
        2,
      );
    }, prepare);
  });
});
