import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/open.ts';
import { query } from '../../src/db/sql.ts';

let db: Database;
beforeAll(async () => {
  db = await openDatabase(':memory:');
});
afterAll(() => db.close());

describe('result values as plain JSON', () => {
  it('formats each type as DuckDB prints it', async () => {
    const r = await query(
      db.conn,
      `SELECT DATE '2024-02-29' AS d, DATE '1969-12-31' AS old, TIMESTAMP '2024-03-05 09:30:00' AS ts,
         TIMESTAMP '2024-03-05 09:30:00.25' AS frac, TIMESTAMP '1960-01-01 00:00:01.5' AS early,
         12345678901::BIGINT AS big, 3::INTEGER AS i, 0.5::DOUBLE AS x, 1.25::DECIMAL(5,2) AS dec,
         ['a', NULL] AS l, [DATE '2024-01-01'] AS dl, true AS b, NULL::DATE AS n, 'x' AS s`,
    );
    expect(r.rows).toEqual([
      {
        d: '2024-02-29',
        old: '1969-12-31',
        ts: '2024-03-05 09:30:00',
        frac: '2024-03-05 09:30:00.25',
        early: '1960-01-01 00:00:01.5',
        big: 12345678901,
        i: 3,
        x: 0.5,
        dec: 1.25,
        l: ['a', null],
        dl: ['2024-01-01'],
        b: true,
        n: null,
        s: 'x',
      },
    ]);
    expect(r.columns.map((c) => c.type)).toEqual([
      'DATE',
      'DATE',
      'TIMESTAMP',
      'TIMESTAMP',
      'TIMESTAMP',
      'BIGINT',
      'INTEGER',
      'DOUBLE',
      'DECIMAL(5,2)',
      'VARCHAR[]',
      'DATE[]',
      'BOOLEAN',
      'DATE',
      'VARCHAR',
    ]);
  });
});
