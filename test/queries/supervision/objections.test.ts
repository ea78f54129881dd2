import { describe, expect, it } from 'vitest';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture, pick, rowsOf } from './load.ts';

const M = 'objections';
const ROW = [
  'id',
  'object',
  'kind',
  'filed_on',
  'due_on',
  'decided_on',
  'result',
  'status',
  'days_late',
  'age_days',
];
const rowsWithId = (rows: Record<string, unknown>[]) =>
  pick(
    rows.map((r) => ({ ...r, id: r.decision_id ?? r.record_id })),
    ROW,
  );
const SUMMARY = [
  'object',
  'kind',
  'filed',
  'decided',
  'changed',
  'change_rate',
  'revoked',
  'revoke_rate',
  'late',
];

describe('objections (rules.md §3, second table), worked by hand at as_of 2024-12-31', () => {
  it('lists every objection with its decision period, rolled over rest days', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'objections', '2024-12-31');
      expect(rowsWithId(await rowsOf(db, M))).toEqual([
        // 不起诉 复议, 30 days: 2024-01-31 + 30 = 03-01 (leap February); decided on the due date: on time
        ['D2', '不起诉', '要求复议', '2024-01-31', '2024-03-01', '2024-03-01', '变更', '按期决定', null, 30],
        // 不捕 复议, 7 days: 02-05 + 7 = 02-12, Spring Festival → the 调休 working Sunday 02-18; decided 02-19
        ['D3', '不批准逮捕', '要求复议', '2024-02-05', '2024-02-18', '2024-02-19', '维持', '逾期决定', 1, 14],
        // 复查 without objection_filed_on counts from the reply 05-06: + 7 = 05-13; undecided, 2024 day 366 − day 134
        ['J6', '口头纠正', '申请复查', '2024-05-06', '2024-05-13', null, null, '逾期未决定', 232, 239],
        [
          'J1',
          '纠正违法通知书',
          '申请复查',
          '2024-06-10',
          '2024-06-17',
          '2024-06-17',
          '撤销',
          '按期决定',
          null,
          7,
        ],
        // 检察建议: 复核 "立即", no period — listed with its age
        ['J2', '检察建议', '提出异议', '2024-07-01', null, '2024-07-03', '撤回', '已决定', null, 2],
        // 通知立案 has no 复议 period in the table
        ['J7', '通知立案', '要求复议', '2024-08-01', null, '2024-08-05', '维持', '已决定', null, 4],
        // 09-24 + 7 = 10-01, National Day → 10-08, decided that day
        [
          'D1',
          '不批准逮捕',
          '要求复议',
          '2024-09-24',
          '2024-10-08',
          '2024-10-08',
          '维持',
          '按期决定',
          null,
          14,
        ],
        // 通知撤案 复议, 7 days: 09-27 + 7 = 10-04 (holiday) → 10-08; decided 10-09
        ['J4', '通知撤案', '要求复议', '2024-09-27', '2024-10-08', '2024-10-09', '维持', '逾期决定', 1, 12],
        // 不捕 复核, 15 days: 10-10 + 15 = 10-25 (Friday); decided 10-28
        ['D1', '不批准逮捕', '提请复核', '2024-10-10', '2024-10-25', '2024-10-28', '变更', '逾期决定', 3, 18],
        // 通知撤案 复核, 15 days: 10-14 + 15 = 10-29 (Tuesday)
        [
          'J5',
          '通知撤案',
          '提请复核',
          '2024-10-14',
          '2024-10-29',
          '2024-10-29',
          '维持',
          '按期决定',
          null,
          15,
        ],
        // 不起诉 复议: 11-25 + 30 = 12-25; undecided at as_of: 31 − 25
        ['D4', '不起诉', '要求复议', '2024-11-25', '2024-12-25', null, null, '逾期未决定', 6, 36],
        ['J3', '检察建议', '提出异议', '2024-12-01', null, null, null, '未决定', null, 30],
        // 12-20 + 7 = 12-27; the decision of 2025-01-02 is after as_of
        ['D6', '不批准逮捕', '要求复议', '2024-12-20', '2024-12-27', null, null, '逾期未决定', 4, 11],
      ]);
      // J8 was filed after as_of
    });
  });

  it('summarises volumes, change and revocation rates (NULL without decisions) and late decisions', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'objections', '2024-12-31');
      expect(pick(await rowsOf(db, M, { summary: true }), SUMMARY)).toEqual([
        ['不批准逮捕', '要求复议', 3, 2, 0, 0, 0, 0, 2], // D3 D1 D6; late D3, D6
        ['不批准逮捕', '提请复核', 1, 1, 1, 1, 0, 0, 1], // D1 变更, late
        ['不起诉', '要求复议', 2, 1, 1, 1, 0, 0, 1], // D2 变更; D4 late
        ['口头纠正', '申请复查', 1, 0, 0, null, 0, null, 1], // J6
        ['纠正违法通知书', '申请复查', 1, 1, 0, 0, 1, 1, 0], // J1 撤销
        ['检察建议', '提出异议', 2, 1, 0, 0, 1, 1, 0], // J2 撤回, J3 open
        ['通知立案', '要求复议', 1, 1, 0, 0, 0, 0, 0],
        ['通知撤案', '要求复议', 1, 1, 0, 0, 0, 0, 1],
        ['通知撤案', '提请复核', 1, 1, 0, 0, 0, 0, 0],
      ]);
    });
  });

  it('a later as_of sees the decision made after the earlier one', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'objections', '2024-12-31');
      const rows = rowsWithId(await rowsOf(db, M, { as_of: '2025-01-05', from: '2024-12-01' }));
      expect(rows).toEqual([
        ['J3', '检察建议', '提出异议', '2024-12-01', null, null, null, '未决定', null, 35],
        // decided 2025-01-02: 6 days after 12-27
        ['D6', '不批准逮捕', '要求复议', '2024-12-20', '2024-12-27', '2025-01-02', '维持', '逾期决定', 6, 13],
        // J8: 2025-01-03 + 7 = 01-10, not yet due
        ['J8', '纠正违法通知书', '申请复查', '2025-01-03', '2025-01-10', null, null, '未到期', null, 2],
      ]);
    });
  });

  it('follows the thresholds table', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'objections', '2024-12-31');
      await db.conn.run("UPDATE thresholds SET value = 10 WHERE key = 'objection.recheck_days'");
      const j6 = rowsWithId(await rowsOf(db, M)).find((r) => r[0] === 'J6');
      // 05-06 + 10 = 05-16 (Thursday): 366 − 137
      expect(j6).toEqual([
        'J6',
        '口头纠正',
        '申请复查',
        '2024-05-06',
        '2024-05-16',
        null,
        null,
        '逾期未决定',
        229,
        239,
      ]);
    });
  });

  it('binds the caller scope: another district list removes rows, an empty list gives none', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'objections', '2024-12-31');
      const haidian = await rowsOf(db, M, {}, ['110108']);
      expect(haidian.map((r) => r.decision_id ?? r.record_id)).toEqual(['D3', 'J7']);
      expect(await rowsOf(db, M, {}, [])).toEqual([]);
      expect(await rowsOf(db, M, { summary: true }, [])).toEqual([]);
    });
  });
});
