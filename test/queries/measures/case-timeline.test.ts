import { describe, expect, it } from 'vitest';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import type { Database } from '../../../src/db/open.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture } from './load.ts';

const run = (db: Database, params: Record<string, unknown>, districts: readonly string[] = ALL_DISTRICTS) =>
  runModule(db.conn, 'case-timeline', params, { districts });
const pick = (rows: Record<string, unknown>[]) =>
  rows.map((r) => [
    r.occurred_on,
    r.kind,
    r.item_id,
    r.deadline,
    r.done_on,
    r.status,
    r.days_over,
    r.push_status,
  ]);

describe('case-timeline, worked by hand at as_of 2025-06-30', () => {
  it('lists one case in date order with each deadline and whether it was met', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'timeline', '2025-06-30');
      const r = await run(db, { case_id: 'T1' });
      expect(pick(r.rows)).toEqual([
        ['2024-01-20', '案件', 'T1', null, null, null, null, null],
        ['2024-01-22', '案件', 'T1', null, null, null, null, null],
        ['2024-01-22', '节点', 'TE1', null, null, null, null, '按时'], // pushed after 1 h
        ['2024-01-23', '嫌疑人', 'T1S1', null, null, null, null, null], // dated by the first measure
        // 刑事拘留 2024-01-23 + 37 days = 2024-02-29, turned into 逮捕 that day: met
        ['2024-01-23', '强制措施', 'TM1', '2024-02-29', '2024-02-29', '按期', null, null],
        ['2024-01-23', '节点', 'TE2', null, null, null, null, '迟延'], // pushed 24 h + 1 s later
        ['2024-01-24', '涉案财物', 'TP1', null, null, null, null, null], // its transfer (2025-07-05) is after as_of
        // 要求说明理由 7 days from 2024-02-05 = 02-12 (春节) → the 调休 working Sunday 02-18; replied 02-18
        ['2024-02-05', '监督', 'TS1', '2024-02-18', '2024-02-18', '按期', null, '按时'],
        ['2024-02-29', '强制措施', 'TM1', null, null, null, null, null], // lifted (转逮捕)
        // 逮捕 2024-02-29 + 2 months = 04-30 (month end), + 1 month (TE3) = 05-31; lifted 06-01: 1 day over
        ['2024-02-29', '强制措施', 'TM2', '2024-05-31', '2024-06-01', '逾期', 1, null],
        ['2024-02-29', '决定', 'TD1', null, null, null, null, '按时'],
        ['2024-04-20', '节点', 'TE3', null, null, null, null, '未推送'],
        ['2024-06-01', '强制措施', 'TM2', null, null, null, null, null],
        // 取保候审 2024-06-01 + 12 months = 2025-06-01, never lifted: 29 days over at as_of
        ['2024-06-01', '强制措施', 'TM3', '2025-06-01', null, '逾期', 29, null],
        ['2024-08-25', '嫌疑人', 'T1S2', null, null, null, null, null], // dated by the decision's receipt
        ['2024-08-30', '决定', 'TD2', null, null, null, null, '迟延'], // recorded 09-02: 3 days
        // 取保候审 2024-08-31 (month end) + 12 months = 2025-08-31: not yet due
        ['2024-08-31', '强制措施', 'TM4', '2025-08-31', null, '未到期', null, null],
        // 复议 of 不批准逮捕: 2024-09-03 + 7 = 09-10 (Tuesday), decided 09-11
        ['2024-09-03', '决定', 'TD2', '2024-09-10', '2024-09-11', '逾期', 1, null],
        // 复核: 2024-09-16 + 15 = 10-01 (National Day) → 10-08, decided 10-08
        ['2024-09-16', '决定', 'TD2', '2024-10-08', '2024-10-08', '按期', null, null],
        // 纠正违法通知书 15 days from 2024-09-16 → 10-08; the objection of 09-20 is its answer
        ['2024-09-16', '监督', 'TS2', '2024-10-08', '2024-09-20', '按期', null, '按时'],
        // 复查 7 days from 2024-09-20 = 09-27 (Friday)
        ['2024-09-20', '监督', 'TS2', '2024-09-27', '2024-09-27', '按期', null, null],
        // 检察建议 2025-04-30 + 2 months = 06-30 = as_of, unanswered: not yet overdue
        ['2025-04-30', '监督', 'TS3', '2025-06-30', null, '未到期', null, '按时'],
        // reply_due_on 2025-06-29 (a Sunday) is used as given, unanswered: 1 day over
        ['2025-06-10', '监督', 'TS4', '2025-06-29', null, '逾期', 1, '按时'],
        // 挂案: T1S1's 取保 expired 2025-06-01, never lifted → Rule B 2026-06-01 (T1S2 is within her maximum)
        ['2026-06-01', '期限', 'T1', '2026-06-01', null, '未到期', null, null],
      ]);
      expect(r.rows[3]!.what).toBe('嫌疑人 张某某，男');
      expect(r.rows[17]).toMatchObject({
        rule: '不批准逮捕复议决定期限',
        what: '公安要求复议（不批准逮捕）：维持',
      });
      expect(r.rows.at(-1)).toMatchObject({ suspect_id: 'T1S1', what: '挂案期限（规则B）' });
      expect(r.rows.filter((x) => x.status).every((x) => String(x.basis).length > 5)).toBe(true);
      expect(new Set(r.rows.map((x) => x.district_code))).toEqual(new Set(['110105']));
    });
  });

  it('marks the 48 hours of a 速裁 suspect, to the second', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'timeline', '2025-06-30');
      const r = await run(db, { case_id: 'T3' });
      expect(r.rows.map((x) => [x.kind, x.item_id, x.status])).toEqual([
        ['案件', 'T3', null],
        ['嫌疑人', 'T3S1', null],
        ['节点', 'TE5', null],
        ['案件', 'T3', null], // closed 2025-03-04: no 挂案 row
        ['决定', 'TD3', null],
        ['节点', 'TE6', null],
        // 刑事拘留 03-03 10:00:00 → 一审宣判 03-05 10:00:01 = 48 h + 1 s
        ['期限', 'T3S1', '逾期'],
      ]);
      expect(r.rows.at(-1)).toMatchObject({
        occurred_at: '2025-03-05 10:00:01',
        rule: '速裁48小时',
        deadline: null,
      });
    });
  });

  it('an earlier as_of shows only what had happened and the clocks then running', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'timeline', '2025-06-30');
      const onLimit = await run(db, { case_id: 'T1', as_of: '2024-05-31' });
      // the arrest limit 05-31 is as_of itself: not yet overdue; the lifting of 06-01 has not happened yet
      const tm2 = onLimit.rows.filter((x) => x.item_id === 'TM2');
      expect(pick(tm2)).toEqual([
        ['2024-02-29', '强制措施', 'TM2', '2024-05-31', null, '未到期', null, null],
      ]);
      // only a deadline row may lie after as_of (T1S2 had no measure yet: Rule C 2024-01-22 + 24 months)
      const later = onLimit.rows.filter((x) => String(x.occurred_on) > '2024-05-31');
      expect(pick(later)).toEqual([['2026-01-22', '期限', 'T1', '2026-01-22', null, '未到期', null, null]]);
      const after = await run(db, { case_id: 'T1', as_of: '2024-06-01' });
      expect(pick(after.rows.filter((x) => x.item_id === 'TM2' && x.status))).toEqual([
        ['2024-02-29', '强制措施', 'TM2', '2024-05-31', '2024-06-01', '逾期', 1, null],
      ]);
    });
  });

  it('gives no rows for a case outside the scope or unknown, and requires case_id', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'timeline', '2025-06-30');
      expect((await run(db, { case_id: 'T2' })).rows.map((x) => x.item_id)).toEqual([
        'T2',
        'T2',
        'T2S1',
        'TE4',
        'T2', // 挂案 Rule C: 2024-03-02 + 24 months = 2026-03-02, not yet due
      ]);
      expect((await run(db, { case_id: 'T2' }, ['110105'])).rows).toEqual([]);
      expect((await run(db, { case_id: 'T1' }, ['110108'])).rows).toEqual([]);
      expect((await run(db, { case_id: 'T1' }, [])).rows).toEqual([]);
      expect((await run(db, { case_id: 'NOPE' })).rows).toEqual([]);
      await expect(run(db, {})).rejects.toThrow(/case_id/);
    });
  });
});
