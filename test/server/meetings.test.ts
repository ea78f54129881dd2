import { describe, expect, it } from 'vitest';
import { writeCsv } from '../helpers/files.ts';
import { ingest } from '../helpers/ingest.ts';
import { loadModuleFixture } from '../helpers/modules.ts';
import { withServer, type TestServer } from '../helpers/server.ts';
import { auditRecords, call } from './records-helpers.ts';

// Fixture `pack` (worked in test/queries/joint-meeting-pack.test.ts): filed in 2025Q2 are K1, K2 (朝阳 110105) and
// K3 (海淀 110108, on 06-30), so the 市级 立案数 is 3 and 朝阳's 2; data as of 2025-06-30.
const prepare = {
  prepare: (db: Parameters<typeof loadModuleFixture>[0]) =>
    loadModuleFixture(db, 'test/fixtures/modules/pack', '2025-06-30'),
};

async function users(s: TestServer) {
  await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
  await s.addUser({ username: 'chaoyang', role: 'district', agency: '公安', districts: ['110105'] });
  await s.addUser({ username: 'haidian', role: 'district', agency: '检察', districts: ['110108'] });
  return {
    city: await s.login('city1'),
    chaoyang: await s.login('chaoyang'),
    haidian: await s.login('haidian'),
  };
}

const texts = (rows: { text: string }[]) => rows.map((r) => r.text);
const filings = (rows: { metric: string; value: number }[]) =>
  rows.find((r) => r.metric === 'filings')!.value;

describe('joint meetings (联席会议, 京检发〔2022〕169号 第22条)', () => {
  it('carries open actions to the next meetings of the same series until they are closed', async () => {
    await withServer(async (s) => {
      const u = await users(s);
      const meeting = async (cookie: string, body: Record<string, unknown>) => {
        const r = await call(s, cookie, 'POST', '/meetings', { kind: '定期', ...body });
        expect(r.status).toBe(201);
        return r.body.meeting.meeting_id as string;
      };
      const action = async (cookie: string, m: string, body: Record<string, unknown>) => {
        const r = await call(s, cookie, 'POST', `/meetings/${m}/actions`, { owner_agency: '公安', ...body });
        expect(r.status).toBe(201);
        return r.body.action.action_id as string;
      };
      const m1 = await meeting(u.city, { level: '市级', held_on: '2025-01-15', topics: ['挂案清理'] });
      const m2 = await meeting(u.city, { level: '市级', held_on: '2025-04-15' });
      const m3 = await meeting(u.city, { level: '市级', held_on: '2025-07-15' });
      const a = await action(u.city, m1, {
        text: 'A 涉企挂案专项清理',
        owner_unit: '市公安局法制总队',
        due_on: '2025-03-31',
      });
      await action(u.city, m1, { text: 'B 规范取保候审期限', closed_on: '2025-03-01' });
      await action(u.city, m1, { text: 'C 完善信息共享', owner_agency: '检察', closed_on: '2025-05-01' });
      await action(u.city, m2, { text: 'D 加强不捕说理', owner_agency: '检察' });
      const carried = async (cookie: string, m: string) =>
        texts((await call(s, cookie, 'GET', `/meetings/${m}/actions`)).body.carried_actions);

      // at M2 (04-15): A open, B closed 03-01, C closed 05-01 — still open on 04-15
      expect(await carried(u.city, m2)).toEqual(['A 涉企挂案专项清理', 'C 完善信息共享']);
      // at M3 (07-15): A still open, C closed before; D of M2 open
      expect(await carried(u.city, m3)).toEqual(['A 涉企挂案专项清理', 'D 加强不捕说理']);
      // A closed on M3's day is closed at M3: no longer carried there, but M2 still shows it open then
      const closed = await call(s, u.city, 'PATCH', `/meetings/${m1}/actions/${a}`, {
        closed_on: '2025-07-15',
      });
      expect(closed.body.action).toMatchObject({
        owner: '公安 市公安局法制总队',
        owner_agency: '公安',
        owner_unit: '市公安局法制总队',
        closed_on: '2025-07-15',
      });
      expect(await carried(u.city, m3)).toEqual(['D 加强不捕说理']);
      expect(await carried(u.city, m2)).toEqual(['A 涉企挂案专项清理', 'C 完善信息共享']);
      const detail = await call(s, u.city, 'GET', `/meetings/${m1}`);
      // ids sort in the order actions were recorded
      expect(texts(detail.body.actions)).toEqual([
        'A 涉企挂案专项清理',
        'B 规范取保候审期限',
        'C 完善信息共享',
      ]);
      expect(detail.body.carried_actions).toEqual([]);

      // 区级 meetings are kept by the district's users and carry only their own series
      const z1 = await meeting(u.chaoyang, {
        level: '区级',
        district_code: '110105',
        held_on: '2025-02-01',
        kind: '专题',
      });
      const z2 = await meeting(u.chaoyang, { level: '区级', district_code: '110105', held_on: '2025-05-01' });
      await action(u.chaoyang, z1, { text: 'E 朝阳取保候审清理', owner_unit: '朝阳分局' });
      expect(await carried(u.chaoyang, z2)).toEqual(['E 朝阳取保候审清理']);
      expect(await carried(u.city, m2)).not.toContain('E 朝阳取保候审清理');

      // who keeps what: 市级 the city, 区级 the district's users; another district's meeting is not there at all
      expect(
        (
          await call(s, u.chaoyang, 'POST', '/meetings', {
            level: '市级',
            kind: '定期',
            held_on: '2025-08-01',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await call(s, u.city, 'POST', '/meetings', {
            level: '区级',
            district_code: '110105',
            kind: '定期',
            held_on: '2025-08-01',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await call(s, u.chaoyang, 'POST', '/meetings', {
            level: '区级',
            district_code: '110108',
            kind: '定期',
            held_on: '2025-08-01',
          })
        ).status,
      ).toBe(404);
      const noDistrict = await call(s, u.chaoyang, 'POST', '/meetings', {
        level: '区级',
        kind: '定期',
        held_on: '2025-08-01',
      });
      expect(noDistrict.status).toBe(400);
      expect(noDistrict.body.error.message).toContain('district_code');
      expect((await call(s, u.chaoyang, 'PATCH', `/meetings/${m1}`, { has_minutes: true })).status).toBe(403);
      expect(
        (await call(s, u.chaoyang, 'POST', `/meetings/${m1}/actions`, { text: 'x', owner_agency: '公安' }))
          .status,
      ).toBe(403);
      expect((await call(s, u.haidian, 'GET', `/meetings/${z1}`)).status).toBe(404);
      const seen = async (cookie: string) =>
        (await call(s, cookie, 'GET', '/meetings')).body.meetings
          .map((m: Record<string, unknown>) => m.meeting_id)
          .sort();
      expect(await seen(u.haidian)).toEqual([m1, m2, m3].sort());
      expect(await seen(u.chaoyang)).toEqual([m1, m2, m3, z1, z2].sort());
      expect(await seen(u.city)).toEqual([m1, m2, m3, z1, z2].sort());
      const list = (await call(s, u.city, 'GET', '/meetings')).body.meetings;
      expect(list.find((m: Record<string, unknown>) => m.meeting_id === m1)).toMatchObject({
        actions: 3,
        open_actions: 0,
      });
      expect(list.find((m: Record<string, unknown>) => m.meeting_id === m2)).toMatchObject({
        actions: 1,
        open_actions: 1,
      });

      const trail = auditRecords(s);
      expect(trail.filter((r) => r.event === 'meeting_create' && r.outcome === 'ok')).toHaveLength(5);
      expect(trail.find((r) => r.event === 'meeting_read' && r.user === 'haidian')).toMatchObject({
        outcome: 'denied',
        detail: 'out_of_scope',
      });
    }, prepare);
  });

  it('freezes the pack: later loads change the live figures, never the frozen ones', async () => {
    await withServer(async (s) => {
      const u = await users(s);
      const city = await call(s, u.city, 'POST', '/meetings', {
        level: '市级',
        kind: '定期',
        held_on: '2025-07-15',
        period: '2025Q2',
      });
      const m = city.body.meeting.meeting_id as string;
      const district = await call(s, u.chaoyang, 'POST', '/meetings', {
        level: '区级',
        district_code: '110105',
        kind: '专题',
        held_on: '2025-07-20',
        period: '2025Q2',
      });
      const z = district.body.meeting.meeting_id as string;

      expect((await call(s, u.city, 'GET', `/meetings/${m}/pack`)).body.error.code).toBe('not_frozen');
      const frozen = await call(s, u.city, 'POST', `/meetings/${m}/pack`);
      expect(frozen.status).toBe(201);
      expect(frozen.body).toMatchObject({
        meeting_id: m,
        level: '市级',
        period: '2025Q2',
        query: 'joint-meeting-pack',
        params: { period: '2025Q2', level: '市级', as_of: '2025-06-30' },
        meta: { as_of: '2025-06-30' },
        frozen_by: 'city1',
      });
      expect(filings(frozen.body.rows)).toBe(3);
      const districtPack = await call(s, u.chaoyang, 'POST', `/meetings/${z}/pack`, {});
      expect(filings(districtPack.body.rows)).toBe(2);
      const before = await call(s, u.city, 'GET', `/meetings/${m}/pack`);
      expect(before.body).toEqual(frozen.body);

      // a new case file: K8 filed 2025-05-05 in 朝阳 — the live Q2 figure becomes 4 (朝阳 3)
      const file = writeCsv(s.dir, 'cases-k8.csv', [
        ['case_id', 'district_code', 'police_unit', 'charge', 'filed_on', 'status', 'closed_on'],
        ['K8', '110105', '朝阳分局刑侦支队', '盗窃罪', '2025-05-05', '侦查中', ''],
      ]);
      await ingest(s.server.ctx.db, [file]);
      const live = await s.fetch('/api/v1/queries/joint-meeting-pack?period=2025Q2', { cookie: u.city });
      expect(filings((await live.json()).rows)).toBe(4);
      const after = await call(s, u.city, 'GET', `/meetings/${m}/pack`);
      expect(after.body).toEqual(before.body);
      expect(filings((await call(s, u.chaoyang, 'GET', `/meetings/${z}/pack`)).body.rows)).toBe(2);

      // frozen once: no refreezing, no change of period
      expect((await call(s, u.city, 'POST', `/meetings/${m}/pack`)).status).toBe(409);
      expect((await call(s, u.city, 'PATCH', `/meetings/${m}`, { period: '2025Q3' })).status).toBe(409);
      expect(
        (await call(s, u.city, 'PATCH', `/meetings/${m}`, { has_minutes: true })).body.meeting,
      ).toMatchObject({
        has_minutes: true,
        pack: { as_of: '2025-06-30', frozen_by: 'city1' },
      });

      // a pack is for the level and districts it was made for: the 市级 one for the city, 朝阳's for 朝阳 (and the city)
      expect((await call(s, u.chaoyang, 'GET', `/meetings/${m}/pack`)).status).toBe(404);
      expect((await call(s, u.haidian, 'GET', `/meetings/${z}/pack`)).status).toBe(404);
      expect(filings((await call(s, u.city, 'GET', `/meetings/${z}/pack`)).body.rows)).toBe(2);
      // district users cannot freeze the 市级 pack
      expect((await call(s, u.chaoyang, 'POST', `/meetings/${m}/pack`)).status).toBe(403);

      // no period, no pack
      const bare = await call(s, u.city, 'POST', '/meetings', {
        level: '市级',
        kind: '专题',
        held_on: '2025-08-01',
      });
      const noPeriod = await call(s, u.city, 'POST', `/meetings/${bare.body.meeting.meeting_id}/pack`);
      expect(noPeriod.status).toBe(400);
      expect(noPeriod.body.error.message).toContain('period');

      const trail = auditRecords(s);
      expect(
        trail.filter((r) => r.event === 'meeting_pack_freeze' && r.outcome === 'ok').map((r) => r.user),
      ).toEqual(['city1', 'chaoyang']);
      expect(trail.find((r) => r.event === 'meeting_pack_read' && r.user === 'chaoyang')).toMatchObject({
        outcome: 'denied',
      });
    }, prepare);
  });
});
