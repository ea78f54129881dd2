import { describe, expect, it } from 'vitest';
import { fileReceipt } from '../../../queries/file-receipt.ts';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture, pick, rowsOf } from './load.ts';

const M = 'file-receipt';

// Fixture `receipt` (as_of 2024-12-31). F1 (110105): U1 提请批准逮捕 2024-09-29 16:00 → G1 received the same day;
// U2 requested on 03-01 and again on 09-27 → G2 received 10-08 (after National Day); the case-level 移送审查起诉 of
// 11-30 → G3 (U1) received 12-02 (the 重新移送审查起诉 of 12-20 is not a first transfer). F2 (110108): G4 received
// 06-10 before U3's only request (06-12); G5 received 2023-12-31, outside 2024.
// Property: W1 不予接收 without a reason; W2 部分接收 with one; W3 部分接收 without, transferred 2025-01-05; W4 接收;
// W5 不予接收 with the reason 无 — an empty token (contract.md), so no reason.
describe('file-receipt (M-41, M-42), worked by hand', () => {
  it('counts the days from the police event to the receipt, per decision', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'receipt', '2024-12-31');
      const rows = await rowsOf(db, M, { all: true });
      expect(pick(rows, ['decision_id', 'event', 'event_at', 'received_on', 'days', 'status'])).toEqual([
        // no request on or before 06-10: nothing to count from
        ['G4', '提请批准逮捕', null, '2024-06-10', null, '无移送节点'],
        // the latest request before the receipt, 09-27: 10-08 − 09-27 = 11 days (the holiday does not matter: a count),
        // more than receipt.late_days (1)
        ['G2', '提请批准逮捕', '2024-09-27 10:00:00', '2024-10-08', 11, '迟延受理'],
        // 12-02 − 11-30 = 2 > 1
        ['G3', '移送审查起诉', '2024-11-30 15:30:00', '2024-12-02', 2, '迟延受理'],
        ['G1', '提请批准逮捕', '2024-09-29 16:00:00', '2024-09-29', 0, '当日受理'],
      ]);
      expect(rows.every((r) => r.rule === 'M-41' && String(r.basis).includes('第15条'))).toBe(true);
      // G5 joins with a window that reaches back to 2023-12-31; it has no 移送审查起诉 event
      const wider = await rowsOf(db, M, { from: '2023-12-31' });
      expect(pick(wider, ['decision_id', 'days'])).toContainEqual(['G5', null]);
      // the window's ends are included: only G1 on 09-29
      expect(
        (await rowsOf(db, M, { from: '2024-09-29', to: '2024-09-29', all: true })).map((r) => r.decision_id),
      ).toEqual(['G1']);
    });
  });

  it('lists only late and unmatched receipts by default, late meaning more than receipt.late_days', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'receipt', '2024-12-31');
      // G1 (same day) is fine; G2 (11 days), G3 (2 days) are past 1 day; G4 has no request to count from
      const r = await runModule(db.conn, M, {}, { districts: ALL_DISTRICTS });
      expect(pick(r.rows, ['decision_id', 'status'])).toEqual([
        ['G4', '无移送节点'],
        ['G2', '迟延受理'],
        ['G3', '迟延受理'],
      ]);
      expect(r.meta.thresholds['receipt.late_days']!.value).toBe(1);
      // late_days = 2: G3's 2 days are on the limit, within it; G2's 11 are still past it
      await db.conn.run("UPDATE thresholds SET value = 2 WHERE key = 'receipt.late_days'");
      expect(pick(await rowsOf(db, M), ['decision_id', 'status'])).toEqual([
        ['G4', '无移送节点'],
        ['G2', '迟延受理'],
      ]);
      expect(pick(await rowsOf(db, M, { all: true }), ['decision_id', 'days', 'status'])).toEqual([
        ['G4', null, '无移送节点'],
        ['G2', 11, '迟延受理'],
        ['G3', 2, '期限内受理'],
        ['G1', 0, '当日受理'],
      ]);
      // late_days = 11: G2 too is within (11 ≤ 11)
      await db.conn.run("UPDATE thresholds SET value = 11 WHERE key = 'receipt.late_days'");
      expect((await rowsOf(db, M)).map((r) => r.decision_id)).toEqual(['G4']);
      await expect(rowsOf(db, M, { all: 'maybe' })).rejects.toThrow(/all（列出全部决定）/);
    });
  });

  it('lists refused items without a written reason, transferred by as_of', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'receipt', '2024-12-31');
      const rows = await rowsOf(db, M, { view: 'property' });
      expect(pick(rows, ['rule', 'case_id', 'item_id', 'accepted', 'transferred_on', 'status'])).toEqual([
        ['M-42', 'F2', 'W5', '不予接收', '2024-05-06', '不予接收未说明理由'],
        ['M-42', 'F1', 'W1', '不予接收', '2024-11-30', '不予接收未说明理由'],
      ]);
      // W3 was transferred after as_of; a month later it is listed too
      const later = await rowsOf(db, M, { view: 'property', as_of: '2025-01-31' });
      expect(later.map((r) => r.item_id)).toEqual(['W5', 'W1', 'W3']);
    });
  });

  it('binds the caller scope: another district list removes rows, an empty list gives none', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'receipt', '2024-12-31');
      expect((await rowsOf(db, M, { all: true }, ['110108'])).map((r) => r.decision_id)).toEqual(['G4']);
      expect((await rowsOf(db, M, { view: 'property' }, ['110105'])).map((r) => r.item_id)).toEqual(['W1']);
      expect(await rowsOf(db, M, {}, [])).toEqual([]);
      expect(await rowsOf(db, M, { view: 'property' }, [])).toEqual([]);
    });
  });

  it('returns exactly the declared columns, and rejects bad parameters in Chinese', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'receipt', '2024-12-31');
      const r = await runModule(db.conn, M, {}, { districts: ALL_DISTRICTS });
      expect(r.columns.map((c) => c.name)).toEqual(fileReceipt.columns.map((c) => c.name));
      await expect(rowsOf(db, M, { view: 'items' })).rejects.toThrow(/view（视图）/);
    });
  });
});
