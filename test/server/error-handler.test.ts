import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/server/http-errors.ts';

// DuckDB's wording (1.5.6) when a query passes the buffer limit, as the 5M benchmark's server logged it
const OOM = 'Out of Memory Error: failed to pin block of size 256.0 KiB (732.4 MiB/732.4 MiB used)';

describe('the last error handler', () => {
  it('answers a query that ran out of DuckDB memory with 503, Retry-After and what to do, in Chinese', async () => {
    const logged: string[] = [];
    const app = express();
    app.get('/boom', () => {
      throw new Error(OOM);
    });
    app.use(errorHandler({ info: () => {}, error: (event) => logged.push(event) }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/boom`);
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('10');
      const body = (await r.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('out_of_memory');
      expect(body.error.message).toMatch(/^查询所需内存超过服务的上限：请缩小范围/);
      // nothing of DuckDB's text reaches the client
      expect(JSON.stringify(body)).not.toContain('MiB');
      expect(logged).toEqual(['out_of_memory']);
    } finally {
      server.close();
    }
  });
});
