import { describe, expect, it } from 'vitest';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture, pick, rowsOf } from './load.ts';

const M = 'filing-supervision';
const ROW = [
  'record_id',
  'form',
  'due_on',
  'done_on',
  'outcome',
  'status',
  'days_late',
  'correction_notice_id',
];
const SUMMARY = ['form', 'issued', 'executed', 'execution_rate', 'on_time', 'lapsed', 'lapsed_escalated'];

describe('filing-supervision (M-24 … M-27), worked by hand at as_of 2024-12-31', () => {
  it('follows each 要求说明理由 / 通知立案 / 通知撤案 to its execution and escalation', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'filing', '2024-12-31');
      expect(pick(await rowsOf(db, M), ROW)).toEqual([
        // 02-05 + 7 = 02-12, Spring Festival → the 调休 working Sunday 02-18; explained that day
        ['F1', '要求说明理由', '2024-02-18', '2024-02-18', '已说明理由', '按期执行', null, null],
        // 03-05 + 15 = 03-20; no reply recorded, but the case K1 was filed on 03-20
        ['F2', '通知立案', '2024-03-20', '2024-03-20', '已立案', '按期执行', null, null],
        // 04-01 + 15 = 04-16; K2 withdrawn (已撤案) on 04-22: 6 days late, no 纠正违法通知书 followed
        ['F4', '通知撤案', '2024-04-16', '2024-04-22', '已撤案', '逾期执行', 6, null],
        // a 要求复议 within the period is a lawful answer to 通知撤案
        ['F5', '通知撤案', '2024-05-21', '2024-05-10', '要求复议', '按期执行', null, null],
        // 06-03 + 15 = 06-18; never withdrawn: 366 − 170; N0 on the due date itself does not count, N1 (06-25) does
        ['F6', '通知撤案', '2024-06-18', null, '未执行', '逾期未执行', 196, 'N1'],
        // an objection is no filing: 07-01 + 15 = 07-16, 366 − 198; no notice to 团结湖派出所
        ['F10', '通知立案', '2024-07-16', null, '提出异议，未立案', '逾期未执行', 168, null],
        // 09-20 + 15 = 10-05 (National Day) → 10-08; K6 filed 10-09; N2 issued on 10-09 on that case
        ['F3', '通知立案', '2024-10-08', '2024-10-09', '已立案', '逾期执行', 1, 'N2'],
        // 11-01 + 15 = 11-16 (Saturday) → 11-18; no case: N3 (no case, same unit and issue) counts, N4 (其他) not
        ['F7', '通知立案', '2024-11-18', null, '未执行', '逾期未执行', 43, 'N3'],
        // 12-20 + 7 = 12-27: 4 days; no escalation is asked of a 要求说明理由
        ['F8', '要求说明理由', '2024-12-27', null, '未执行', '逾期未执行', 4, null],
        // 12-20 + 15 = 2025-01-04, a Saturday → Monday 01-06: not yet due
        ['F9', '通知立案', '2025-01-06', null, '未执行', '未到期', null, null],
      ]);
    });
  });

  it('summarises execution per form: rate = executed / issued', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'filing', '2024-12-31');
      expect(pick(await rowsOf(db, M, { summary: 'true' }), SUMMARY)).toEqual([
        ['要求说明理由', 2, 1, 0.5, 1, 1, 0], // F1 F8
        ['通知立案', 5, 2, 0.4, 1, 3, 2], // F2 F3 F7 F9 F10; lapsed F3 F7 F10, escalated F3 F7
        ['通知撤案', 3, 2, 2 / 3, 1, 2, 1], // F4 F5 F6; lapsed F4 F6, escalated F6
      ]);
    });
  });

  it('an as_of before the withdrawal leaves the record unexecuted', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'filing', '2024-12-31');
      const rows = await rowsOf(db, M, { as_of: '2024-04-20', from: '2024-04-01' });
      // K2 closes on 04-22, after as_of: 04-20 − 04-16
      expect(pick(rows, ROW)).toEqual([
        ['F4', '通知撤案', '2024-04-16', null, '未执行', '逾期未执行', 4, null],
      ]);
    });
  });

  it('follows the thresholds table', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'filing', '2024-12-31');
      await db.conn.run("UPDATE thresholds SET value = 21 WHERE key = 'reply.notify_withdrawal_days'");
      const f4 = pick(await rowsOf(db, M), ROW).find((r) => r[0] === 'F4');
      // 04-01 + 21 = 04-22 (Monday): the withdrawal on 04-22 is on time
      expect(f4).toEqual(['F4', '通知撤案', '2024-04-22', '2024-04-22', '已撤案', '按期执行', null, null]);
    });
  });

  it('binds the caller scope: another district list removes rows, an empty list gives none', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'filing', '2024-12-31');
      expect((await rowsOf(db, M, {}, ['110108'])).map((r) => r.record_id)).toEqual(['F8']);
      expect(await rowsOf(db, M, {}, [])).toEqual([]);
      expect(await rowsOf(db, M, { summary: true }, [])).toEqual([]);
    });
  });
});
