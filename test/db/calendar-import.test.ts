import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCalendar, readCalendarFile } from '../../src/db/calendarImport.ts';
import { UserError } from '../../src/db/errors.ts';
import { one } from '../../src/db/sql.ts';
import { withDatabase } from '../helpers/db.ts';

const due = (db: Parameters<Parameters<typeof withDatabase>[0]>[0], start: string, n: number) =>
  one<{ d: string }>(db.conn, "SELECT zj_due($s::DATE, $n, 'day', true)::VARCHAR AS d", { s: start, n });

describe('calendar import', () => {
  it('adds a new year from CSV; deadlines in it then roll over its holidays', async () => {
    await withDatabase(async (db, dir) => {
      // 2027-10-01 (a Friday) is not covered yet: only weekends rest, so a period ending then stays there
      expect(await due(db, '2027-09-16', 15)).toEqual({ d: '2027-10-01' });
      const path = join(dir, 'cal2027.csv');
      writeFileSync(
        path,
        'date,kind,name\n2027-10-01,休,国庆节\n2027-10-04,休,国庆节\n2027-10-05,休,国庆节\n2027-10-09,班,国庆节\n',
      );
      const r = await importCalendar(db.conn, readCalendarFile(path), 'test');
      expect(r).toEqual({ days: 4, years: [2027] });
      // 10-01 rests, 10-02/03 weekend, 10-04/05 rest → 10-06
      expect(await due(db, '2027-09-16', 15)).toEqual({ d: '2027-10-06' });
      // a 调休 working Saturday counts as working
      expect(await due(db, '2027-10-02', 7)).toEqual({ d: '2027-10-09' });
      expect(await one(db.conn, "SELECT covered FROM calendar_days WHERE day = DATE '2027-10-01'")).toEqual({
        covered: true,
      });
    });
  });

  it('corrects a day given again, from JSON', async () => {
    await withDatabase(async (db, dir) => {
      const path = join(dir, 'fix.json');
      writeFileSync(path, JSON.stringify([{ date: '2024-10-12', kind: '休' }]));
      await importCalendar(db.conn, readCalendarFile(path), 'test');
      expect(await one(db.conn, "SELECT kind FROM holidays WHERE day = DATE '2024-10-12'")).toEqual({
        kind: '休',
      });
      expect(await due(db, '2024-10-05', 7)).toEqual({ d: '2024-10-14' });
    });
  });

  it('refuses a bad entry naming it, importing nothing', async () => {
    await withDatabase(async (_db, dir) => {
      const path = join(dir, 'bad.csv');
      writeFileSync(path, 'date,kind\n2027-01-01,休\n2027-02-30,休\n');
      expect(() => readCalendarFile(path)).toThrow(UserError);
      expect(() => readCalendarFile(path)).toThrow(/第 2 条/);
    });
  });
});
