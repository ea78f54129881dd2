import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runModule } from '../../queries/run.ts';
import { ALL_DISTRICTS } from '../../queries/scope.ts';
import type { Database } from '../../src/db/open.ts';
import { withDatabase } from '../helpers/db.ts';
import { ingest } from '../helpers/ingest.ts';

const FIXTURE = 'test/fixtures/modules/pending';
const load = (db: Database) =>
  ingest(
    db,
    readdirSync(FIXTURE).map((f) => join(FIXTURE, f)),
    { asOf: '2025-06-30' },
  );
const pick = (rows: Record<string, unknown>[]) =>
  rows.map((r) => [r.case_id, r.suspect_id, r.rule, r.deadline, r.days_over, r.tier]);

describe('pending-cases (rules.md §2), worked by hand at as_of 2025-06-30', () => {
  it('finds rules A, B, C per suspect, with tiers and the deadline day itself not flagged', async () => {
    await withDatabase(async (db) => {
      await load(db);
      const r = await runModule(db.conn, 'pending-cases', {}, { districts: ALL_DISTRICTS });
      expect(r.meta.as_of).toBe('2025-06-30');
      expect(pick(r.rows)).toEqual([
        // P6: open at as_of (closed 2025-07-15, later); S7 never had a measure: 2022-01-01 + 24 months = 2024-01-01
        ['P6', 'S7', 'C', '2024-01-01', 546, '严重挂案'],
        // P1: 取保 lifted 2023-05-31 (a month end) + 12 months = 2024-05-31; 395 days > 365
        ['P1', 'S1', 'A', '2024-05-31', 395, '严重挂案'],
        // P5: S5 in custody sets no deadline; co-suspect S6 never had a measure: 2023-01-10 + 24 months
        ['P5', 'S6', 'C', '2025-01-10', 171, '挂案'],
        // P2: 取保 from 2023-02-28 (month end) never lifted: maximum 2024-02-29, + 12 months = 2025-02-28
        ['P2', 'S2', 'B', '2025-02-28', 122, '挂案'],
        // P9: 拘传 is ignored, so Rule C: 2023-03-01 + 24 months
        ['P9', 'S9', 'C', '2025-03-01', 121, '挂案'],
        // P8 (海淀): no suspects rows → Rule C on the case
        ['P8', null, 'C', '2025-05-01', 60, '挂案'],
        // P3: due 2025-06-29, as_of is one day after
        ['P3', null, 'C', '2025-06-29', 1, '挂案'],
      ]);
      // P4 is due on as_of itself: not flagged; P7's 取保 is within its maximum: not pending
      expect(r.rows.every((x) => x.basis && String(x.basis).length > 10)).toBe(true);
    });
  });

  it('lists 预警 with include_warnings: deadline on as_of and on as_of + 90 days, not one day later', async () => {
    await withDatabase(async (db) => {
      await load(db);
      const r = await runModule(
        db.conn,
        'pending-cases',
        { include_warnings: 'true' },
        { districts: ALL_DISTRICTS },
      );
      expect(pick(r.rows.filter((x) => x.tier === '预警'))).toEqual([
        ['P4', null, 'C', '2025-06-30', 0, '预警'],
        ['P10', null, 'C', '2025-09-28', -90, '预警'],
      ]);
    });
  });

  it('an as_of after a case closed drops it; an earlier as_of is computed on the fly, not from the mart', async () => {
    await withDatabase(async (db) => {
      await load(db);
      const later = await runModule(
        db.conn,
        'pending-cases',
        { as_of: '2025-07-20' },
        { districts: ALL_DISTRICTS },
      );
      expect(later.rows.map((x) => x.case_id)).not.toContain('P6');
      expect(later.rows.find((x) => x.case_id === 'P1')!.days_over).toBe(415);
      const earlier = await runModule(
        db.conn,
        'pending-cases',
        { as_of: '2024-06-01' },
        { districts: ALL_DISTRICTS },
      );
      // at 2024-06-01 only P6 (2024-01-01) and P1 (2024-05-31) are past their deadlines
      expect(pick(earlier.rows)).toEqual([
        ['P6', 'S7', 'C', '2024-01-01', 152, '挂案'],
        ['P1', 'S1', 'A', '2024-05-31', 1, '挂案'],
      ]);
    });
  });

  it('binds the caller scope: another district list removes rows, an empty list gives none', async () => {
    await withDatabase(async (db) => {
      await load(db);
      const haidian = await runModule(db.conn, 'pending-cases', {}, { districts: ['110108'] });
      expect(haidian.rows.map((x) => x.case_id)).toEqual(['P8']);
      const none = await runModule(db.conn, 'pending-cases', {}, { districts: [] });
      expect(none.rows).toEqual([]);
    });
  });

  it('follows the thresholds table and names the values used', async () => {
    await withDatabase(async (db) => {
      await load(db);
      await db.conn.run("UPDATE thresholds SET value = 36 WHERE key = 'pending.rule_c_months'");
      const r = await runModule(db.conn, 'pending-cases', {}, { districts: ALL_DISTRICTS });
      expect(r.meta.thresholds['pending.rule_c_months']!.value).toBe(36);
      // with 36 months only P6 (2022-01-01 + 36 months = 2025-01-01) is still past its Rule C deadline
      expect(r.rows.filter((x) => x.rule === 'C').map((x) => [x.case_id, x.deadline])).toEqual([
        ['P6', '2025-01-01'],
      ]);
      expect(r.rows.map((x) => x.rule).sort()).toEqual(['A', 'B', 'C']);
    });
  });
});
