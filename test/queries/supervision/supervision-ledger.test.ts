import { describe, expect, it } from 'vitest';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture, pick, rowsOf } from './load.ts';

const M = 'supervision-ledger';
const RECORD = ['record_id', 'due_on', 'replied_on', 'reply', 'reply_status', 'objection_result'] as const;
const COUNTS = [
  'issued',
  'replied',
  'adopted',
  'adoption_rate',
  'overdue',
  'overdue_unanswered',
  'overdue_late',
];

describe('supervision-ledger (rules.md §3), worked by hand at as_of 2024-06-30', () => {
  it('lists one row per record issued from 01-01 of the as_of year to as_of, state as of as_of', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'ledger', '2024-06-30');
      const rows = await rowsOf(db, M);
      expect(pick(rows, RECORD)).toEqual([
        // 2024-01-31 + 15 = 02-15, Spring Festival → the 调休 working Sunday 02-18; answered 02-05
        ['L1', '2024-02-18', '2024-02-05', '已纠正', '按期回复', null],
        // 2024-01-31 (a month end) + 2 months = 03-31, a Sunday → 04-01; the objection on 04-02 is an answer, late
        ['L2', '2024-04-01', '2024-04-02', '提出异议', '逾期回复', '撤回'],
        // 口头纠正 has no reply period
        ['L3', null, '2024-03-11', '已纠正', '已回复', null],
        // 2024-04-01 + 7 = 04-08 (Monday); unanswered at as_of
        ['L4', '2024-04-08', null, '未回复', '逾期未回复', null],
        // 2024-05-06 + 15 = 05-21; the filing on 05-20 answers it
        ['L6', '2024-05-21', '2024-05-20', '已纠正', '按期回复', null],
        // 2024-05-10 + 15 = 05-25, a Saturday → 05-27; the reply of 07-05 is after as_of: not yet an answer
        ['L9', '2024-05-27', null, '未回复', '逾期未回复', null],
        // 2024-06-20 + 15 = 07-05: not yet due at as_of
        ['L5', '2024-07-05', null, '未回复', '未到期', null],
      ]);
      // a record row is a group of one; L7 (2023) is before `from`, L8 (07-02) after as_of
      expect(pick(rows, ['record_id', ...COUNTS])[1]).toEqual(['L2', 1, 1, 0, 0, 1, 0, 1]);
      expect(pick(rows, ['record_id', ...COUNTS])[3]).toEqual(['L4', 1, 0, 0, null, 1, 1, 0]);
      expect(rows[0]!.basis).toContain('第553条');
      expect(rows[2]!.basis).toContain('第552条');
    });
  });

  it('totals and groups: adoption = 已纠正 / replies, NULL when nothing was replied', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'ledger', '2024-06-30');
      // replies L1, L2, L3, L6 (L9's is after as_of); adopted L1, L3, L6: 3 / 4; overdue L2 (late), L4, L9
      expect(pick(await rowsOf(db, M, { group_by: 'total' }), COUNTS)).toEqual([[7, 4, 3, 0.75, 3, 2, 1]]);
      expect(pick(await rowsOf(db, M, { group_by: 'district' }), ['district_code', ...COUNTS])).toEqual([
        ['110105', 5, 3, 2, 2 / 3, 3, 2, 1], // L1 L2 L3 L4 L9
        ['110108', 2, 1, 1, 1, 0, 0, 0], // L5 L6
      ]);
      expect(
        pick(await rowsOf(db, M, { group_by: 'police_unit' }), ['district_code', 'police_unit', 'issued']),
      ).toEqual([
        ['110105', '三里屯派出所', 2],
        ['110105', '朝阳分局刑侦支队', 3],
        ['110108', '中关村派出所', 2],
      ]);
      expect(pick(await rowsOf(db, M, { group_by: 'quarter' }), ['period', ...COUNTS])).toEqual([
        ['2024-Q1', 3, 3, 2, 2 / 3, 1, 0, 1], // L1 L2 L3
        ['2024-Q2', 4, 1, 1, 1, 2, 2, 0], // L4 L5 L6 L9
      ]);
      expect(pick(await rowsOf(db, M, { group_by: 'month' }), ['period', ...COUNTS])).toEqual([
        ['2024-01', 2, 2, 1, 0.5, 1, 0, 1],
        ['2024-03', 1, 1, 1, 1, 0, 0, 0],
        ['2024-04', 1, 0, 0, null, 1, 1, 0],
        ['2024-05', 2, 1, 1, 1, 1, 1, 0],
        ['2024-06', 1, 0, 0, null, 0, 0, 0],
      ]);
    });
  });

  it('an earlier as_of: due date itself is not overdue, a later objection decision is not yet known', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'ledger', '2024-06-30');
      const onDue = await rowsOf(db, M, { as_of: '2024-04-01' });
      expect(pick(onDue, RECORD).find((r) => r[0] === 'L2')).toEqual([
        'L2',
        '2024-04-01',
        null,
        '未回复',
        '未到期',
        null,
      ]);
      const next = await rowsOf(db, M, { as_of: '2024-04-02' });
      // the objection was filed on 04-02 and decided on 04-03: no result yet
      expect(pick(next, [...RECORD, 'objection']).find((r) => r[0] === 'L2')).toEqual([
        'L2',
        '2024-04-01',
        '2024-04-02',
        '提出异议',
        '逾期回复',
        null,
        '提出异议',
      ]);
    });
  });

  it('takes an explicit window by issued_on', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'ledger', '2024-06-30');
      const rows = await rowsOf(db, M, { from: '2023-12-01', to: '2024-01-31' });
      // L7: 2023-12-29 + 15 = 2024-01-13, a Saturday → 01-15, answered that day
      expect(pick(rows, ['record_id', 'due_on', 'reply_status'])).toEqual([
        ['L7', '2024-01-15', '按期回复'],
        ['L1', '2024-02-18', '按期回复'],
        ['L2', '2024-04-01', '逾期回复'],
      ]);
    });
  });

  it('rejects a reversed window and an unknown grouping', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'ledger', '2024-06-30');
      await expect(rowsOf(db, M, { from: '2024-05-01', to: '2024-04-01' })).rejects.toThrow(/不能晚于/);
      await expect(rowsOf(db, M, { group_by: 'charge; DROP TABLE x' })).rejects.toThrow(/group_by/);
    });
  });

  it('binds the caller scope: another district list removes rows, an empty list gives none', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'ledger', '2024-06-30');
      expect((await rowsOf(db, M, {}, ['110108'])).map((r) => r.record_id)).toEqual(['L6', 'L5']);
      expect(pick(await rowsOf(db, M, { group_by: 'total' }, ['110108']), COUNTS)).toEqual([
        [2, 1, 1, 1, 0, 0, 0],
      ]);
      expect(await rowsOf(db, M, {}, [])).toEqual([]);
      // a total over nothing is no row, not a row of zeros
      expect(await rowsOf(db, M, { group_by: 'total' }, [])).toEqual([]);
    });
  });
});
