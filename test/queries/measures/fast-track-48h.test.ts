import { describe, expect, it } from 'vitest';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import type { Database } from '../../../src/db/open.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture } from './load.ts';

const run = (
  db: Database,
  params: Record<string, unknown> = {},
  districts: readonly string[] = ALL_DISTRICTS,
) => runModule(db.conn, 'fast-track-48h', params, { districts });
const pick = (rows: Record<string, unknown>[]) =>
  rows.map((r) => [r.suspect_id, r.clock_start, r.hours, r.within_48h, r.status]);

describe('fast-track-48h (rules.md §7, Seed Art. 19), worked by hand at as_of 2025-06-30', () => {
  it('times each 速裁 + 认罪认罚 suspect from 刑事拘留 (else 立案, else filed_on 00:00) to 一审宣判', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'fast-track', '2025-06-30');
      const r = await run(db);
      expect(pick(r.rows)).toEqual([
        // F2: no 刑事拘留, 立案 04-01 09:00:00 → 宣判 04-03 09:00:01 = 48 h + 1 s: late (shown rounded)
        ['F2S1', '立案', 48, false, '超时'],
        // F6: detained 06-28 10:00, not judged by as_of (宣判 07-02 is later); to the end of as_of = 62 h > 48
        ['F6S1', '刑事拘留', null, false, '超时'],
        // F5: detained 06-29 09:00, to the end of as_of = 39 h: still running
        ['F5S1', '刑事拘留', null, null, '进行中'],
        // F1: detained 03-03 10:00 → 宣判 03-05 10:00 = exactly 48 h: within
        ['F1S1', '刑事拘留', 48, true, '按期'],
        // F3: no 刑事拘留 or 立案 event: filed_on 05-01 00:00 → the case's 宣判 (no suspect) 05-02 20:00 = 44 h
        ['F3S1', '立案日期', 44, true, '按期'],
        // F8: 02-10 09:00 → 02-11 15:00 = 30 h
        ['F8S1', '刑事拘留', 30, true, '按期'],
      ]);
      // F4 has no plea, F5S2 no fast_track, F7's decision is dated after as_of: not in the population
      // F1's stages: 10:00 → 移送 18:00 = 8 h, → 公诉 22:30 = 4.5 h, → 宣判 03-05 10:00 = 35.5 h
      expect(r.rows[3]).toMatchObject({
        hours_to_transfer: 8,
        hours_to_prosecution: 4.5,
        hours_to_judgment: 35.5,
      });
      expect(r.meta.thresholds['fast_track.hours']!.value).toBe(48);
    });
  });

  it('with clock_start=filing the clock runs from 立案 (else filed_on 00:00)', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'fast-track', '2025-06-30');
      const r = await run(db, { clock_start: 'filing' });
      expect(pick(r.rows)).toEqual([
        // F1: 立案 03-03 08:00 → 03-05 10:00 = 50 h
        ['F1S1', '立案', 50, false, '超时'],
        ['F2S1', '立案', 48, false, '超时'],
        // F6: filed_on 06-28 00:00 to the end of as_of = 72 h (no hours until judged: listed last)
        ['F6S1', '立案日期', null, false, '超时'],
        // F5: filed_on 06-29 00:00 to the end of as_of is exactly 48 h: not yet late
        ['F5S1', '立案日期', null, null, '进行中'],
        ['F3S1', '立案日期', 44, true, '按期'],
        // F8: filed_on 02-10 00:00 → 02-11 15:00 = 39 h
        ['F8S1', '立案日期', 39, true, '按期'],
      ]);
    });
  });

  it('a later as_of sees the 宣判 of 07-02 and F7 in the population', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'fast-track', '2025-06-30');
      const r = await run(db, { as_of: '2025-07-02' });
      const byId = Object.fromEntries(r.rows.map((x) => [x.suspect_id, x]));
      // F6: 06-28 10:00 → 07-02 08:00 = 94 h; F7: detained 06-30 08:00, 64 h before the end of 07-02
      expect(byId.F6S1).toMatchObject({ hours: 94, status: '超时' });
      expect(byId.F7S1).toMatchObject({ hours: null, status: '超时' });
      expect(byId.F5S1).toMatchObject({ status: '超时' });
    });
  });

  it('summary=true gives one row per district: share within, p50 / p90 hours and the stage medians', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'fast-track', '2025-06-30');
      const r = await run(db, { summary: 'true' });
      const pickSummary = (rows: Record<string, unknown>[]) =>
        rows.map((x) => [x.district_code, x.total, x.concluded, x.within, x.over, x.running, x.within_share]);
      expect(pickSummary(r.rows)).toEqual([
        ['110102', 1, 1, 0, 1, 0, 0],
        // 朝阳: F1, F8 within; F6 over; F5 running → 2 / 3
        ['110105', 4, 3, 2, 1, 1, 2 / 3],
        ['110108', 1, 1, 1, 0, 0, 1],
      ]);
      // 朝阳's judged hours are 30 and 48: p50 = 39, p90 = 30 + 0.9 × 18 = 46.2 (linear interpolation)
      // stages: to transfer 8 and 8, to prosecution 4.5 and 4, to judgment 35.5 and 18
      expect(r.rows[1]).toMatchObject({
        p50_hours: 39,
        p90_hours: 46.2,
        p50_to_transfer: 8,
        p50_to_prosecution: 4.25,
        p50_to_judgment: 26.75,
        suspect_id: null,
      });
    });
  });

  it('binds the caller scope and rejects an unknown clock start', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'fast-track', '2025-06-30');
      expect((await run(db, {}, ['110108'])).rows.map((x) => x.suspect_id)).toEqual(['F3S1']);
      expect((await run(db, {}, [])).rows).toEqual([]);
      expect((await run(db, { summary: 'true' }, [])).rows).toEqual([]);
      await expect(run(db, { clock_start: 'arrest' })).rejects.toThrow(/clock_start/);
    });
  });
});
