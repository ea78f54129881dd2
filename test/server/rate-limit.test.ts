import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/server/rate-limit.ts';
import { loadModuleFixture } from '../helpers/modules.ts';
import { PASSWORD, withServer } from '../helpers/server.ts';

describe('rate limits', () => {
  it('refills a bucket at perMinute / 60 s per second, bursts up to perMinute', () => {
    let now = 0;
    const l = new RateLimiter(6, () => now);
    for (let i = 0; i < 6; i++) expect(l.take('a').ok).toBe(true);
    // empty: one token comes back every 10 s
    expect(l.take('a')).toEqual({ ok: false, retryAfter: 10 });
    expect(l.take('b').ok).toBe(true);
    now += 10_000;
    expect(l.take('a').ok).toBe(true);
    expect(l.take('a').ok).toBe(false);
  });

  it('answers the 4th sign-in a minute from one address and the 3rd case read of a user with 429 + Retry-After', async () => {
    await withServer(
      async (s) => {
        await s.addUser({ username: 'haidian', role: 'district', agency: '公安', districts: ['110108'] });
        // first sign-in (used for the case reads below), then two wrong passwords: the budget of 3 is spent
        const cookie = await s.login('haidian');
        const attempt = () =>
          s.fetch('/api/v1/session', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'haidian', password: `${PASSWORD}x` }),
          });
        expect((await attempt()).status).toBe(401);
        expect((await attempt()).status).toBe(401);
        const limited = await attempt();
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await limited.json()).error.code).toBe('rate_limited');

        const read = () => s.fetch(`/api/v1/cases/P8?purpose=${encodeURIComponent('监督核查')}`, { cookie });
        expect((await read()).status).toBe(200);
        expect((await s.fetch('/api/v1/queries/pending-cases', { cookie })).status).toBe(200);
        expect((await read()).status).toBe(429);
        // aggregates are not case-level reads and stay available
        expect((await s.fetch('/api/v1/queries/case-filings', { cookie })).status).toBe(200);
      },
      {
        prepare: (db) => loadModuleFixture(db, 'test/fixtures/modules/pending', '2025-06-30'),
        start: { config: { loginsPerMinute: 3, caseReadsPerMinute: 2 } },
      },
    );
  });
});
