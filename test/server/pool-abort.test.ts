import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { AbandonedError, ConnectionPool } from '../../src/server/pool.ts';

const SLOW = 'SELECT count(*) FROM range(10000000000) t(i) WHERE i % 7 = 3';

describe('a client that goes away', () => {
  it('gives its queue place back, interrupts its running query, and leaves the pool usable', async () => {
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const pool = await ConnectionPool.create(
      instance,
      { size: 1, queueLimit: 4, timeoutMs: 60_000 },
      async () => {},
    );
    try {
      const running = new AbortController();
      const first = pool.use((c) => c.run(SLOW), undefined, running.signal);
      const queued = new AbortController();
      const second = pool.use((c) => c.run('SELECT 1'), undefined, queued.signal);
      expect(pool.stats.waiting).toBe(1);
      queued.abort();
      await expect(second).rejects.toBeInstanceOf(AbandonedError);
      expect(pool.stats.waiting).toBe(0);
      running.abort();
      await expect(first).rejects.toBeInstanceOf(AbandonedError);
      // the connection came back and answers
      const r = await pool.use(async (c) => (await c.runAndReadAll('SELECT 42 AS x')).getRowObjects());
      expect(r).toEqual([{ x: 42 }]);
    } finally {
      await pool.close();
      instance.closeSync();
    }
  });
});
