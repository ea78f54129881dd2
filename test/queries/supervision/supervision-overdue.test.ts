import { describe, expect, it } from 'vitest';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture, pick, rowsOf } from './load.ts';

const COLS = ['record_id', 'form', 'due_on', 'replied_on', 'days_overdue', 'status'] as const;
const M = 'supervision-overdue';

describe('supervision-overdue (rules.md §3), worked by hand', () => {
  it('lists late and unanswered records at as_of 2024-12-31, with the holiday roll-over', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'overdue', '2024-12-31');
      const rows = await rowsOf(db, M);
      expect(pick(rows, COLS)).toEqual([
        // 检察建议 from 2024-02-29 (a month end) + 2 months = 2024-04-30; 2024 has 366 days, 04-30 is day 121: 366 − 121
        ['O5', '检察建议', '2024-04-30', null, 245, '逾期未回复'],
        // 2024-06-03 + 15 = 06-18 (Tuesday); 06-18 is day 170: 366 − 170
        ['O12', '纠正违法通知书', '2024-06-18', null, 196, '逾期未回复'],
        // 2024-12-01 + 15 = 12-16 (Monday); the filing on 2025-01-10 had not happened at as_of: 31 − 16
        ['O7', '通知立案', '2024-12-16', null, 15, '逾期未回复'],
        // 2024-12-10 + 15 = 12-25 (Wednesday): 31 − 25
        ['O8', '通知撤案', '2024-12-25', null, 6, '逾期未回复'],
        // the notice's own date 2024-10-05 (a holiday Saturday) is used as given, not rolled: 10-08 − 10-05
        ['O9', '纠正违法通知书', '2024-10-05', '2024-10-08', 3, '逾期回复'],
        // 2024-09-16 + 15 = 10-01, National Day → 10-08; answered on 10-09
        ['O2', '纠正违法通知书', '2024-10-08', '2024-10-09', 1, '逾期回复'],
        // 2024-02-05 + 7 = 02-12, Spring Festival → the 调休 working Sunday 02-18; answered on 02-19
        ['O3', '要求说明理由', '2024-02-18', '2024-02-19', 1, '逾期回复'],
        // 2023-12-31 (a month end) + 2 months = 2024-02-29; answered on 03-01
        ['O6', '检察建议', '2024-02-29', '2024-03-01', 1, '逾期回复'],
      ]);
      // not listed: O1 and O4 answered on the due date itself; O14's objection (an answer) came on its due date,
      // 11-16 (Saturday) rolled to Monday 11-18; O10 口头纠正 (even with a reply_due_on) and O11 移送追究刑事责任 have
      // no reply period; O13 was issued after as_of
      expect(rows.every((r) => String(r.basis).startsWith('《'))).toBe(true);
      expect(rows.find((r) => r.record_id === 'O3')!.basis).toContain('第560条');
    });
  });

  it('counts from as_of: a reply after as_of is no answer yet; later, the same record is answered late', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'overdue', '2024-12-31');
      const later = await rowsOf(db, M, { as_of: '2025-01-31' });
      // O7: replied 2025-01-10, 25 days after 2024-12-16; O13: 2025-01-05 + 15 = 01-20 (Monday), 31 − 20
      expect(pick(later, COLS).filter((r) => r[0] === 'O7' || r[0] === 'O13')).toEqual([
        ['O7', '通知立案', '2024-12-16', '2025-01-10', 25, '逾期回复'],
        ['O13', '纠正违法通知书', '2025-01-20', null, 11, '逾期未回复'],
      ]);
      // O5 unanswered: 245 + 31
      expect(later.find((r) => r.record_id === 'O5')!.days_overdue).toBe(276);
      const early = await rowsOf(db, M, { as_of: '2024-02-18' });
      // at 2024-02-18 O3 and O4 are due that very day and O6 only on 02-29: nothing is overdue yet
      expect(early).toEqual([]);
    });
  });

  it('an unanswered record is not overdue on its due date and is one day after', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'overdue', '2024-12-31');
      const onDue = await rowsOf(db, M, { as_of: '2024-12-25' });
      expect(onDue.map((r) => r.record_id)).not.toContain('O8');
      const dayAfter = await rowsOf(db, M, { as_of: '2024-12-26' });
      expect(pick(dayAfter, COLS).find((r) => r[0] === 'O8')).toEqual([
        'O8',
        '通知撤案',
        '2024-12-25',
        null,
        1,
        '逾期未回复',
      ]);
    });
  });

  it('follows the thresholds table and names the values used', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'overdue', '2024-12-31');
      await db.conn.run("UPDATE thresholds SET value = 20 WHERE key = 'reply.correction_notice_days'");
      const r = await runModule(db.conn, M, {}, { districts: ALL_DISTRICTS });
      expect(r.meta.thresholds['reply.correction_notice_days']!.value).toBe(20);
      const notices = pick(
        r.rows.filter((x) => x.form === '纠正违法通知书'),
        COLS,
      );
      expect(notices).toEqual([
        // 2024-06-03 + 20 = 06-23 (Sunday) → 06-24: 366 − 176
        ['O12', '纠正违法通知书', '2024-06-24', null, 190, '逾期未回复'],
        // O9's own date is not a default: unchanged
        ['O9', '纠正违法通知书', '2024-10-05', '2024-10-08', 3, '逾期回复'],
        // O2: 2024-09-16 + 20 = 10-06, still National Day → 10-08, answered 10-09
        ['O2', '纠正违法通知书', '2024-10-08', '2024-10-09', 1, '逾期回复'],
      ]);
    });
  });

  it('binds the caller scope: another district list removes rows, an empty list gives none', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'overdue', '2024-12-31');
      expect((await rowsOf(db, M, {}, ['110108'])).map((r) => r.record_id)).toEqual(['O12']);
      expect((await rowsOf(db, M, {}, ['110105'])).map((r) => r.record_id)).not.toContain('O12');
      expect(await rowsOf(db, M, {}, [])).toEqual([]);
    });
  });

  it('rejects a malformed as_of with a Chinese message', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'overdue', '2024-12-31');
      await expect(rowsOf(db, M, { as_of: '2024-13-01' })).rejects.toThrow(/有效日期/);
    });
  });
});
