import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDatabase } from '../../src/db/init.ts';
import { openDatabase, type Database } from '../../src/db/open.ts';
import { one } from '../../src/db/sql.ts';

let db: Database;
beforeAll(async () => {
  db = await openDatabase(':memory:');
  await initDatabase(db);
});
afterAll(() => db.close());

const due = async (start: string, n: number, unit: 'day' | 'month', rolls: boolean) =>
  (await one<{ d: string }>(db.conn, 'SELECT zj_due($s::DATE, $n, $u, $r)::VARCHAR AS d', {
    s: start,
    n,
    u: unit,
    r: rolls,
  }))!.d;

describe('deadline engine (rules.md §1)', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'], // month-end start → month-end target (leap year)
    ['2023-08-31', 6, '2024-02-29'],
    ['2024-02-29', 2, '2024-04-30'], // DuckDB's interval alone gives 04-29
    ['2024-02-28', 2, '2024-04-28'], // not a month end: same day of month
    ['2024-01-30', 1, '2024-02-29'], // the day does not exist in February
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-03-15', 12, '2025-03-15'],
  ])('%s + %i months = %s (SPC 2021 第202条, no roll-over)', async (start, n, expected) => {
    expect(await due(start, n, 'month', false)).toBe(expected);
  });

  it('a day period ends on start + n: the start day is not counted (CPL 第105条)', async () => {
    expect(await due('2024-03-04', 7, 'day', true)).toBe('2024-03-11'); // Monday + 7 = Monday
  });

  it('2024 National Day: a 15-day period ending 2024-10-01 is due 2024-10-08', async () => {
    expect(await due('2024-09-16', 15, 'day', true)).toBe('2024-10-08');
  });

  it('2024 Spring Festival: a 7-day period ending 2024-02-12 is due on the 调休 working Sunday 2024-02-18', async () => {
    expect(await due('2024-02-05', 7, 'day', true)).toBe('2024-02-18');
  });

  it('a period ending on a 调休 working Saturday is not moved', async () => {
    // 2024-10-12 is a Saturday worked in lieu of National Day
    expect(await due('2024-10-05', 7, 'day', true)).toBe('2024-10-12');
  });

  it('an ordinary weekend moves to Monday; custody periods never move', async () => {
    expect(await due('2024-03-02', 7, 'day', true)).toBe('2024-03-11'); // Saturday 03-09 → Monday
    expect(await due('2024-03-02', 7, 'day', false)).toBe('2024-03-09');
    expect(await due('2024-09-16', 15, 'day', false)).toBe('2024-10-01');
  });

  it('a month period ending in a holiday rolls too', async () => {
    // 2024-08-01 + 2 months = 2024-10-01, National Day → 10-08
    expect(await due('2024-08-01', 2, 'month', true)).toBe('2024-10-08');
  });

  it('outside the covered years only weekends rest, and the calendar says it is not covered', async () => {
    expect(await due('2029-12-29', 7, 'day', true)).toBe('2030-01-07'); // 2030-01-05 is a Saturday
    const r = await one<{ covered: boolean }>(
      db.conn,
      "SELECT covered FROM calendar_days WHERE day = DATE '2030-01-05'",
    );
    expect(r!.covered).toBe(false);
    const c = await one<{ covered: boolean }>(
      db.conn,
      "SELECT covered FROM calendar_days WHERE day = DATE '2024-10-01'",
    );
    expect(c!.covered).toBe(true);
  });
});
