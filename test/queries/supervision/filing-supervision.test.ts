import { describe, expect, it } from 'vitest';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
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

describe('filing-supervision (M-24 … M-29), worked by hand at as_of 2024-12-31', () => {
  it('follows each 要求说明理由 / 通知立案 / 通知撤案 to its execution and escalation', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'filing', '2024-12-31');
      expect(pick(await rowsOf(db, M), ROW)).toEqual([
        // 01-10 + 15 = 01-25; K8 filed 01-20
        ['F12', '通知立案', '2024-01-25', '2024-01-20', '已立案', '按期执行', null, null],
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
        // 不捕 for 不构成犯罪 (规则 第287条) on 07-01: + 15 = 07-16; K9 withdrawn on 07-12
        ['B2', '不捕告知撤案', '2024-07-16', '2024-07-12', '已撤案', '按期执行', null, null],
        // 08-01 + 15 = 08-16 (Friday); nothing since: 366 − 229 = 137 days; N5 (08-20) on K3 followed
        ['B1', '不捕告知撤案', '2024-08-16', null, '未执行', '逾期未执行', 137, 'N5'],
        // 09-14 + 15 = 09-29, a 调休 working Sunday: no roll; P3's own 终止侦查 event on 09-30 — P6's of 09-20 is
        // another suspect's — one day late, while K10 stays open
        ['B3', '不捕告知撤案', '2024-09-29', '2024-09-30', '已终止侦查', '逾期执行', 1, null],
        // 09-20 + 15 = 10-05 (National Day) → 10-08; K6 filed 10-09; N2 issued on 10-09 on that case
        ['F3', '通知立案', '2024-10-08', '2024-10-09', '已立案', '逾期执行', 1, 'N2'],
        // 09-25 + 15 = 10-10; K7 filed 09-30
        ['F11', '通知立案', '2024-10-10', '2024-09-30', '已立案', '按期执行', null, null],
        // 11-01 + 15 = 11-16 (Saturday) → 11-18; no case: N3 (no case, same unit and issue) counts, N4 (其他) not
        ['F7', '通知立案', '2024-11-18', null, '未执行', '逾期未执行', 43, 'N3'],
        // the same due date; P4's police asked for 复议 on 11-05. B5 (不批准逮捕 for 证据不足) is no case of 第287条
        ['B4', '不捕告知撤案', '2024-11-18', '2024-11-05', '要求复议', '按期执行', null, null],
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
        ['通知立案', 7, 4, 4 / 7, 3, 3, 2], // F2 F3 F7 F9 F10 F11 F12; lapsed F3 F7 F10, escalated F3 F7
        ['通知撤案', 3, 2, 2 / 3, 1, 2, 1], // F4 F5 F6; lapsed F4 F6, escalated F6
        ['不捕告知撤案', 4, 3, 0.75, 2, 2, 1], // B1–B4; lapsed B1 B3, escalated B1
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
      // B2's district is its case's (K9, 海淀)
      expect((await rowsOf(db, M, {}, ['110108'])).map((r) => r.record_id)).toEqual(['B2', 'F8']);
      expect(await rowsOf(db, M, {}, [])).toEqual([]);
      expect(await rowsOf(db, M, { summary: true }, [])).toEqual([]);
    });
  });

  it('lists 监督立案 cases still under investigation after the 催办 months (M-28, 规则 第564条第3款)', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'filing', '2024-12-31');
      const urge = (rows: Record<string, unknown>[]) =>
        pick(
          rows.filter((r) => r.form === '通知立案'),
          ['record_id', 'urge_after', 'urge_due'],
        );
      const at = await rowsOf(db, M);
      expect(urge(at)).toEqual([
        // K8 filed 01-20, + 3 months = 04-20; concluded (移送审查起诉) on 05-01, late but concluded: not listed
        ['F12', '2024-04-20', 0],
        // K1 filed 03-20, still 侦查中: 06-20 has passed
        ['F2', '2024-06-20', 1],
        ['F10', null, 0],
        // K6 filed 10-09: 2025-01-09
        ['F3', '2025-01-09', 0],
        // K7 filed 09-30, a month's last day: + 3 months = 12-31, which is as_of itself — not yet past
        ['F11', '2024-12-31', 0],
        ['F7', null, 0],
        ['F9', null, 0],
      ]);
      const summary = await rowsOf(db, M, { summary: true });
      expect(pick(summary, ['form', 'urge_due'])).toEqual([
        ['要求说明理由', 0],
        ['通知立案', 1],
        ['通知撤案', 0],
        ['不捕告知撤案', 0],
      ]);
      // a day later F11's case is due too
      const next = await rowsOf(db, M, { as_of: '2025-01-01' });
      expect(next.filter((r) => r.urge_due === 1).map((r) => r.record_id)).toEqual(['F2', 'F11']);
    });
  });

  it('reads the 第287条 and 催办 thresholds from the table and names them', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'filing', '2024-12-31');
      await db.conn.run("UPDATE thresholds SET value = 16 WHERE key = 'filing.non_arrest_withdrawal_days'");
      await db.conn.run("UPDATE thresholds SET value = 10 WHERE key = 'filing.urge_months'");
      const r = await runModule(db.conn, M, {}, { districts: ALL_DISTRICTS });
      // 09-14 + 16 = 09-30 (Monday): P3's 终止侦查 that day is on time
      expect(
        pick(
          r.rows.filter((x) => x.record_id === 'B3'),
          ROW,
        ),
      ).toEqual([['B3', '不捕告知撤案', '2024-09-30', '2024-09-30', '已终止侦查', '按期执行', null, null]]);
      // K1 filed 03-20 + 10 months = 2025-01-20: not yet
      expect(r.rows.find((x) => x.record_id === 'F2')).toMatchObject({
        urge_after: '2025-01-20',
        urge_due: 0,
      });
      expect(r.meta.thresholds['filing.non_arrest_withdrawal_days']).toMatchObject({
        value: 16,
        unit: 'day',
      });
      expect(r.meta.thresholds['filing.urge_months']).toMatchObject({ value: 10, unit: 'month' });
    });
  });
});
