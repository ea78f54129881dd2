import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { timestampText } from '../../src/db/values.ts';

// The server writes TIMESTAMP values as DuckDB's own text does; the fast Number path must agree with it everywhere.
describe('timestampText', () => {
  it('matches DuckDB’s text for 50,000 instants from 1900 to 2099 and the edges around days and the epoch', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const reader = await conn.runAndReadAll(`
      SELECT t::VARCHAR AS text, epoch_us(t) AS us FROM (
        SELECT TIMESTAMP '1900-01-01 00:00:00' + INTERVAL (i * 126230400 + (i % 7) * 123457) MILLISECOND AS t
        FROM range(50000) r(i)
        UNION ALL SELECT unnest([
          TIMESTAMP '1969-12-31 23:59:59.999999', TIMESTAMP '1970-01-01 00:00:00', TIMESTAMP '2024-02-29 23:59:59.5',
          TIMESTAMP '2024-03-01 00:00:00', TIMESTAMP '1899-12-31 00:00:00.000001', TIMESTAMP '2099-12-31 23:59:59.00001',
          TIMESTAMP '2025-12-31 12:00:00.1'])
      )`);
    const rows = reader.getRows() as [string, bigint][];
    expect(rows.length).toBe(50007);
    const differing = rows.filter(([text, us]) => timestampText(us) !== text);
    expect(differing).toEqual([]);
    expect(timestampText(1709251199500000n)).toBe('2024-02-29 23:59:59.5');
    conn.closeSync();
    inst.closeSync();
  });
});
