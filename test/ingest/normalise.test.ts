import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/open.ts';
import { hmacHex, hmacPads } from '../../src/db/secret.ts';
import { one } from '../../src/db/sql.ts';
import { COMPOUND_SURNAMES, EMPTY_TOKENS, createMacros } from '../../ingest/validate/macros.ts';

let db: Database;
beforeAll(async () => {
  db = await openDatabase(':memory:');
  await createMacros(db.conn);
});
afterAll(() => db.close());

const value = async (sql: string, v: string | null) =>
  (await one<{ r: unknown }>(db.conn, `SELECT (${sql})::VARCHAR AS r`, { v }))!.r;

describe('date normaliser (contract.md: every spelling)', () => {
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024/3/5', '2024-03-05'],
    ['2024.3.5', '2024-03-05'],
    ['20240305', '2024-03-05'],
    ['2024年3月5日', '2024-03-05'],
    ['2024年2月29日', '2024-02-29'], // leap day
    ['2023-12-31', '2023-12-31'],
  ])('%s → %s', async (input, expected) => {
    expect(await value('zj_date($v)', input)).toBe(expected);
  });

  it.each([
    '2024-02-30',
    '2023-02-29',
    '2024-13-01',
    '2024-03-05x',
    '05/03/2024',
    '0000-01-01',
    '2024年3月5',
    'abc',
  ])('rejects %s', async (input) => {
    expect(await value('zj_date($v)', input)).toBeNull();
  });
});

describe('timestamp normaliser', () => {
  it.each([
    ['2024-03-05 09:30', '2024-03-05 09:30:00'],
    ['2024/3/5 9:30:15', '2024-03-05 09:30:15'],
    ['2024年3月5日 23:59:59', '2024-03-05 23:59:59'],
    ['20240305 00:00', '2024-03-05 00:00:00'],
    ['2024-03-05T08:00:00', '2024-03-05 08:00:00'],
    ['2024-03-05', '2024-03-05 00:00:00'],
  ])('%s → %s', async (input, expected) => {
    expect(await value('zj_timestamp($v)', input)).toBe(expected);
  });

  it.each(['2024-03-05 25:00', '2024-02-30 10:00', '2024-03-05 10', '2024035 10:00', 'yesterday'])(
    'rejects %s',
    async (input) => {
      expect(await value('zj_timestamp($v)', input)).toBeNull();
    },
  );
});

describe('bool normaliser', () => {
  it.each([
    ['是', 'true'],
    ['否', 'false'],
    ['TRUE', 'true'],
    ['false', 'false'],
    ['1', 'true'],
    ['0', 'false'],
    ['Y', 'true'],
    ['n', 'false'],
  ])('%s → %s', async (input, expected) => {
    expect(await value('zj_bool($v)', input)).toBe(expected);
  });
  it.each(['yes', '对', '2', ''])('rejects %s', async (input) => {
    expect(await value('zj_bool($v)', input)).toBeNull();
  });
});

describe('empty tokens and trimming', () => {
  it.each(['', 'NULL', 'null', '-', '无', '  ', '\u3000无\u3000'])('%j is empty', async (input) => {
    expect(await one(db.conn, 'SELECT zj_clean($v, $t) AS r', { v: input, t: EMPTY_TOKENS })).toEqual({
      r: null,
    });
  });
  it('trims full-width spaces and keeps the rest', async () => {
    expect(
      await one(db.conn, 'SELECT zj_clean($v, $t) AS r', { v: '\u3000 朝阳分局 ', t: EMPTY_TOKENS }),
    ).toEqual({ r: '朝阳分局' });
    expect(await one(db.conn, 'SELECT zj_clean($v, $t) AS r', { v: '无业', t: EMPTY_TOKENS })).toEqual({
      r: '无业',
    });
  });
});

describe('name masking (contract.md)', () => {
  it.each([
    ['张三', '张某'],
    ['张小明', '张某某'],
    ['欧阳修', '欧阳某'],
    ['欧阳小明', '欧阳某某'],
    ['司马光', '司马某'],
    ['诸葛亮', '诸葛某'],
    ['买买提·艾力', '买某某'],
    ['王', '王某'],
  ])('%s → %s', async (input, expected) => {
    expect(
      await one(db.conn, 'SELECT zj_mask_name($v, $c) AS r', { v: input, c: COMPOUND_SURNAMES }),
    ).toEqual({ r: expected });
  });
});

describe('ID number HMAC in SQL', () => {
  it('equals HMAC-SHA256 computed by Node, upper-casing the check character', async () => {
    const key = Buffer.from('0f'.repeat(32), 'hex');
    const { ipad, opad } = hmacPads(key);
    const id = '11010519900307123x';
    const r = await one<{ h: string }>(db.conn, 'SELECT zj_hmac($v, $i, $o) AS h', {
      v: id,
      i: ipad,
      o: opad,
    });
    expect(r!.h).toBe(hmacHex(key, id.toUpperCase()));
    expect(r!.h).toMatch(/^[0-9a-f]{64}$/);
    expect(r!.h).not.toContain('1990');
  });
});
