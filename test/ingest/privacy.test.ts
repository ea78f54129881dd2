import { describe, expect, it } from 'vitest';
import { hmacHex, readSecret } from '../../src/db/secret.ts';
import { withDatabase } from '../helpers/db.ts';
import { CASE_HEADER, caseRow, writeCsv } from '../helpers/files.ts';
import { ingest, rows } from '../helpers/ingest.ts';

describe('ingest: personal data', () => {
  it('stores ID numbers only as HMAC and names masked, in loaded and in rejected rows', async () => {
    await withDatabase(async (db, dir) => {
      await ingest(db, [writeCsv(dir, 'c.csv', [CASE_HEADER, caseRow('P1', { filed_on: '2024-03-05' })])]);
      const file = writeCsv(dir, 's.csv', [
        ['suspect_id', 'case_id', 'name', 'id_number', 'birth_date', 'gender'],
        ['S1', 'P1', '欧阳修', '11010519900307123x', '1990-03-07', '男'],
        ['S2', 'P1', '张小明', '110105199001011234', '1990-13-01', '男'], // line 3: bad date → rejected
      ]);
      const b = (await ingest(db, [file])).batches[0]!;
      expect(b.rejects.map((r) => r.line)).toEqual([3]);
      const key = readSecret(db.path);
      expect(await rows(db, 'SELECT name_masked, id_hash FROM suspects')).toEqual([
        { name_masked: '欧阳某', id_hash: hmacHex(key, '11010519900307123X') },
      ]);
      const [rej] = await rows<{ row_values: string }>(db, 'SELECT row_values FROM rejects');
      const values = JSON.parse(rej!.row_values) as Record<string, string>;
      expect(values.name).toBe('张某某');
      expect(values.id_number).toBe(hmacHex(key, '110105199001011234'));
      expect(values.birth_date).toBe('1990-13-01');
      // nothing in the database file holds the clear values
      const dump =
        JSON.stringify(await rows(db, 'SELECT * FROM suspects')) +
        JSON.stringify(await rows(db, 'SELECT * FROM rejects'));
      for (const clear of ['欧阳修', '张小明', '11010519900307123', '110105199001011234'])
        expect(dump).not.toContain(clear);
    });
  });

  it('derives is_minor from birth_date at the case date: a minor until the 18th birthday', async () => {
    await withDatabase(async (db, dir) => {
      await ingest(db, [
        writeCsv(dir, 'c.csv', [
          [...CASE_HEADER, 'accepted_on'],
          [...caseRow('Q1', { filed_on: '2024-03-05' }), ''],
          [...caseRow('Q2', { filed_on: '2024-03-09' }), '2024-03-05'],
        ]),
      ]);
      await ingest(db, [
        writeCsv(dir, 's.csv', [
          ['suspect_id', 'case_id', 'birth_date', 'is_minor'],
          ['T1', 'Q1', '2006-03-06', ''], // 17 on 2024-03-05 (filed_on) → minor
          ['T2', 'Q1', '2006-03-05', ''], // 18 that day → adult
          ['T3', 'Q2', '2006-03-06', ''], // accepted_on 2024-03-05 counts before filed_on → minor
          ['T4', 'Q2', '2006-03-06', '否'], // given value wins
          ['T5', 'Q2', '', ''], // unknown
        ]),
      ]);
      expect(await rows(db, 'SELECT suspect_id, is_minor FROM suspects ORDER BY 1')).toEqual([
        { suspect_id: 'T1', is_minor: true },
        { suspect_id: 'T2', is_minor: false },
        { suspect_id: 'T3', is_minor: true },
        { suspect_id: 'T4', is_minor: false },
        { suspect_id: 'T5', is_minor: null },
      ]);
    });
  });
});
