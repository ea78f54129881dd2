import { describe, expect, it } from 'vitest';
import { withDatabase } from '../helpers/db.ts';
import { CASE_HEADER, caseRow, writeCsv } from '../helpers/files.ts';
import { ingest } from '../helpers/ingest.ts';

describe('data-as-of date (数据截止日期)', () => {
  it('is the latest thing that happened, never after the day of loading, and due dates do not count', async () => {
    await withDatabase(async (db, dir) => {
      const cases = writeCsv(dir, 'c.csv', [
        CASE_HEADER,
        caseRow('A1', { filed_on: '2025-06-30' }),
        caseRow('A2', { filed_on: '2025-01-01', status: '已撤案', closed_on: '2025-07-15' }),
        caseRow('A3', { filed_on: '2027-01-01' }), // after the day of loading: a typo, ignored
      ]);
      const sup = writeCsv(dir, 'sup.csv', [
        [
          'record_id',
          'district_code',
          'police_unit',
          'category',
          'issue',
          'severity',
          'form',
          'issued_on',
          'reply_due_on',
        ],
        ['R1', '110105', 'U', '侦查活动监督', '其他', '较重', '纠正违法通知书', '2025-07-10', '2025-12-31'],
      ]);
      const r = await ingest(db, [cases, sup], { today: '2026-11-27' });
      expect(r.data_as_of).toEqual({ date: '2025-07-15', source: 'computed' });
    });
  });

  it('--as-of pins it until another --as-of', async () => {
    await withDatabase(async (db, dir) => {
      const c1 = writeCsv(dir, 'c1.csv', [CASE_HEADER, caseRow('B1', { filed_on: '2025-06-30' })]);
      expect((await ingest(db, [c1], { asOf: '2025-06-01' })).data_as_of).toEqual({
        date: '2025-06-01',
        source: 'explicit',
      });
      const c2 = writeCsv(dir, 'c2.csv', [CASE_HEADER, caseRow('B2', { filed_on: '2025-08-30' })]);
      expect((await ingest(db, [c2])).data_as_of).toEqual({ date: '2025-06-01', source: 'explicit' });
      expect((await ingest(db, [c2], { asOf: '2025-09-01' })).data_as_of).toEqual({
        date: '2025-09-01',
        source: 'explicit',
      });
    });
  });
});
