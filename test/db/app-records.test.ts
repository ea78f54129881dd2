import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/db/errors.ts';
import { all } from '../../src/db/sql.ts';
import { importAppRecords } from '../../src/records/store.ts';
import { withDatabase } from '../helpers/db.ts';

const RECORDS = {
  review_campaigns: [
    {
      review_campaign_id: 'RC1',
      name: '2024年第一季度不捕不诉案件联合评查',
      mode: '联合评查',
      population: { module: 'review-sample', params: { from: '2024-01-01', to: '2024-03-31' } },
      seed: 7,
      population_count: 120,
      size: 2,
      created_by: 'city01',
      created_at: '2024-04-02 09:00:00',
      sample: ['D1', 'D2'],
    },
  ],
  reviews: [
    {
      review_id: 'RV1',
      review_campaign_id: 'RC1',
      decision_id: 'D1',
      reviewer: 'R01',
      reviewed_on: '2024-04-10',
      grade: '瑕疵',
    },
    {
      review_id: 'RV2',
      review_campaign_id: 'RC1',
      decision_id: 'D2',
      reviewer: 'R02',
      reviewed_on: '2024-04-11',
      grade: '优质',
    },
  ],
  review_findings: [
    {
      review_finding_id: 'RF1',
      review_id: 'RV1',
      dimension: '证据采信',
      responsible: '公安',
      text: '关键证据未随案移送',
    },
  ],
  meetings: [
    {
      meeting_id: 'MT1',
      level: '市级',
      held_on: '2024-04-15',
      kind: '定期',
      topics: ['挂案清理'],
      has_minutes: true,
    },
  ],
  meeting_actions: [
    {
      action_id: 'MA1',
      meeting_id: 'MT1',
      text: '30日内完成挂案清理',
      owner: '公安 朝阳分局',
      due_on: '2024-05-15',
    },
  ],
};

describe('app-kept records', () => {
  it('imports through the API schemas, maps 瑕疵 to 基本合格, and is idempotent by key', async () => {
    await withDatabase(async (db) => {
      const added = await importAppRecords(db.conn, RECORDS);
      expect(added).toMatchObject({
        review_campaigns: 1,
        reviews: 2,
        review_findings: 1,
        meetings: 1,
        meeting_actions: 1,
      });
      expect(await all(db.conn, 'SELECT review_id, grade FROM reviews ORDER BY 1')).toEqual([
        { review_id: 'RV1', grade: '基本合格' },
        { review_id: 'RV2', grade: '优质' },
      ]);
      const [c] = await all<{ sample: string }>(db.conn, 'SELECT sample FROM review_campaigns');
      expect(JSON.parse(c!.sample)).toEqual(['D1', 'D2']);
      const again = await importAppRecords(db.conn, RECORDS);
      expect(Object.values(again).every((n) => n === 0)).toBe(true);
    });
  });

  it('refuses an unknown field or grade with a Chinese message, writing nothing', async () => {
    await withDatabase(async (db) => {
      const bad = { ...RECORDS, reviews: [{ ...RECORDS.reviews[0], grade: '良好' }] };
      await expect(importAppRecords(db.conn, bad)).rejects.toBeInstanceOf(UserError);
      expect(await all(db.conn, 'SELECT count(*) n FROM review_campaigns')).toEqual([{ n: 0 }]);
    });
  });
});
