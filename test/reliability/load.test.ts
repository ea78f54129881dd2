import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/db.ts';
import { loadViolations } from './load-bounds.ts';
import { runLoadSuite } from './load-suite.ts';

// Short version of `npm run test:load` (docs/reliability.md): 2 s of normal load, 2 s of overload, one request after.
describe('load suite (short)', () => {
  it('no errors under normal load; 503 shedding and bounded memory under overload; answers afterwards', async () => {
    const t = tempDir();
    try {
      const r = await runLoadSuite({
        dir: t.dir,
        seconds: 2,
        cases: 300,
        normalConnections: 4,
        overloadConnections: 300,
      });
      expect(loadViolations(r)).toEqual([]);
      expect(r.normal.status['200']).toBeGreaterThan(0);
      expect(r.overload.status['503']).toBeGreaterThan(0);
    } finally {
      t.cleanup();
    }
  }, 120_000);
});
