import { describe, expect, it } from 'vitest';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { reviewResults } from '../../../queries/review-results.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture, pick, rowsOf } from './load.ts';

const M = 'review-results';

// Fixture `review` (as_of 2024-06-30). Decisions V1 V2 V3 V6 in 110105 (case K5), V4 V5 V7 in 110108 (K8).
// RCA 联合评查, sample V1 V2 V3 V4: RA1 V1 优质 (03-10); RA2 V2 不合格 (03-31) with 证据采信/公安 twice and 释法说理/检察;
//   RA3 V4 基本合格 (04-01) with 涉案财物/公安; V3 not reviewed.
// RCB 专项评查, sample V5 V6 V7: RB1 V5 瑕疵 (stored 基本合格, 04-15) with 文书制作/检察; RB2 V6 合格 (05-20); RB3 V7 不合格
//   on 07-05, after as_of, with 事实认定/检察.
// RCC 常规抽查 (created 06-01), sample V3: nothing reviewed.
const GRADES = [
  'review_campaign_id',
  'sample_size',
  'reviewed',
  'progress',
  'grade_excellent',
  'grade_pass',
  'grade_basic_pass',
  'grade_fail',
  'fail_rate',
  'police_issue',
  'police_issue_rate',
  'procuratorate_issue_rate',
  'findings',
];

describe('review-results (M-21 … M-23b), worked by hand', () => {
  it('gives each campaign its progress, grade distribution, 不合格率 and police-side issue rate', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'review', '2024-06-30');
      const rows = await rowsOf(db, M);
      expect(pick(rows, GRADES)).toEqual([
        // 3 of 4 reviewed; 不合格 1 / 3; police issues RA2 and RA3 = 2 / 3, procuratorate RA2 = 1 / 3; 4 findings
        ['RCA', 4, 3, 0.75, 1, 0, 1, 1, 1 / 3, 2, 2 / 3, 1 / 3, 4],
        // RB3 (07-05) is after as_of: 2 of 3; 瑕疵 counts as 基本合格; 不合格 0 / 2 is 0, not NULL
        ['RCB', 3, 2, 2 / 3, 0, 1, 1, 0, 0, 0, 0, 0.5, 1],
        // nothing reviewed: progress 0, every rate NULL
        ['RCC', 1, 0, 0, 0, 0, 0, 0, null, 0, null, null, 0],
      ]);
      expect(rows[0]).toMatchObject({ campaign_name: '2024年一季度不捕不诉案件联合评查', mode: '联合评查' });
      // later, RB3 counts: 3 of 3, 不合格 1 / 3
      const later = await rowsOf(db, M, { as_of: '2024-07-31', campaign: 'RCB' });
      expect(pick(later, ['review_campaign_id', 'reviewed', 'progress', 'grade_fail', 'fail_rate'])).toEqual([
        ['RCB', 3, 1, 1, 1 / 3],
      ]);
    });
  });

  it('counts issues by dimension and responsible agency, per review and per finding', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'review', '2024-06-30');
      const rows = await rowsOf(db, M, { view: 'issues', group_by: 'all' });
      // 5 reviews at as_of (RA1 RA2 RA3 RB1 RB2); RA2's two 证据采信 findings are one review with that issue
      expect(
        pick(rows, [
          'dimension',
          'responsible',
          'findings',
          'reviews_with_issue',
          'reviewed',
          'dimension_issue_rate',
        ]),
      ).toEqual([
        ['证据采信', '公安', 2, 1, 5, 0.2],
        ['文书制作', '检察', 1, 1, 5, 0.2],
        ['涉案财物', '公安', 1, 1, 5, 0.2],
        ['释法说理', '检察', 1, 1, 5, 0.2],
      ]);
      expect(rows.every((r) => r.grade_fail === null && r.sample_size === null)).toBe(true);
    });
  });

  it('groups by period and by district, and filters the review dates', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'review', '2024-06-30');
      expect(pick(await rowsOf(db, M, { group_by: 'month' }), ['period', 'reviewed', 'grade_fail'])).toEqual([
        ['2024-03', 2, 1],
        ['2024-04', 2, 0],
        ['2024-05', 1, 0],
      ]);
      expect(
        pick(await rowsOf(db, M, { group_by: 'quarter', as_of: '2024-07-31' }), ['period', 'reviewed']),
      ).toEqual([
        ['2024-Q1', 2],
        ['2024-Q2', 3],
        ['2024-Q3', 1],
      ]);
      // by the reviewed decision's district: 110105 RA1 RA2 RB2, 110108 RA3 RB1
      expect(
        pick(await rowsOf(db, M, { group_by: 'district' }), ['district_code', 'reviewed', 'with_issue']),
      ).toEqual([
        ['110105', 3, 1],
        ['110108', 2, 2],
      ]);
      // [from, to] on reviewed_on, both ends included: RA2 (03-31) and RA3 (04-01)
      const cut = await rowsOf(db, M, { group_by: 'all', from: '2024-03-31', to: '2024-04-01' });
      expect(pick(cut, ['reviewed', 'grade_fail', 'grade_basic_pass'])).toEqual([[2, 1, 1]]);
    });
  });

  it('binds the caller scope through the reviewed decision case, and an empty scope gives no rows', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'review', '2024-06-30');
      // 110108 sees V4 of RCA's sample (RA3) and V5 V7 of RCB's (RB1); RCC's V3 is 110105's: no row
      expect(
        pick(await rowsOf(db, M, {}, ['110108']), ['review_campaign_id', 'sample_size', 'reviewed']),
      ).toEqual([
        ['RCA', 1, 1],
        ['RCB', 2, 1],
      ]);
      expect(await rowsOf(db, M, {}, [])).toEqual([]);
      expect(await rowsOf(db, M, { view: 'issues' }, [])).toEqual([]);
    });
  });

  it('returns exactly the declared columns, and rejects bad parameters in Chinese', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'review', '2024-06-30');
      const r = await runModule(db.conn, M, {}, { districts: ALL_DISTRICTS });
      expect(r.columns.map((c) => c.name)).toEqual(reviewResults.columns.map((c) => c.name));
      await expect(rowsOf(db, M, { view: 'cases' })).rejects.toThrow(/view（视图）/);
      await expect(rowsOf(db, M, { group_by: 'reviewer' })).rejects.toThrow(/group_by（分组）/);
    });
  });
});
