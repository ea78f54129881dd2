import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/db.ts';
import { runCrashSuite } from './crash-suite.ts';

// Short version of `npm run test:crash` (docs/reliability.md): the two server kills — mid hand-off from
// `zhenjian ingest` and mid browser upload — on a small generated set, then a reload that must converge. The plain
// CLI kill is covered by test/ingest/crash.test.ts; the full suite adds it and the killed hand-off client.
describe('crash suite (short): kill -9 the server mid hand-off and mid upload', () => {
  it('2 kills, 0 violations; the reload converges to the reference content hash', async () => {
    const t = tempDir();
    try {
      const r = await runCrashSuite({ kills: 2, cases: 300, seed: 11, dir: t.dir });
      expect(r.violations).toEqual([]);
      expect(r.kills).toBe(2);
      expect(r.byScenario['handoff-server'] + r.byScenario['upload-server']).toBe(2);
      expect(r.convergences).toBe(1);
    } finally {
      t.cleanup();
    }
  }, 180_000);
});
