import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { AbandonedError, ConnectionPool, OverloadedError } from '../../src/server/pool.ts';

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

  it('sheds a request that waited in the queue longer than queueWaitMs, and serves the next in time', async () => {
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const pool = await ConnectionPool.create(
      instance,
      { size: 1, queueLimit: 4, timeoutMs: 60_000, queueWaitMs: 200 },
      async () => {},
    );
    try {
      const running = new AbortController();
      const first = pool.use((c) => c.run(SLOW), undefined, running.signal);
      const t0 = Date.now();
      await expect(pool.use((c) => c.run('SELECT 1'))).rejects.toBeInstanceOf(OverloadedError);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
      expect(pool.stats.waiting).toBe(0);
      running.abort();
      await expect(first).rejects.toBeInstanceOf(AbandonedError);
      // a waiter served before its limit is not refused later by its timer
      const r = await pool.use(async (c) => (await c.runAndReadAll('SELECT 7 AS x')).getRowObjects());
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(r).toEqual([{ x: 7 }]);
    } finally {
      await pool.close();
      instance.closeSync();
    }
  });
});
