// npm run test:crash — the full crash suite (issue 8): KILLS (default 20) kill -9s of loads, hand-offs and the
// server, the database checked after each. Last line: "N kills, 0 violations", or the violations and exit 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCrashSuite } from './crash-suite.ts';
import { envInt } from './random.ts';

const kills = envInt('KILLS', 20);
const cases = envInt('CASES', 5000);
const seed = envInt('SEED', Date.now() % 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'zhenjian-crash-'));
const say = (line: string) => process.stdout.write(`${line}\n`);
say(`crash suite: KILLS=${kills} CASES=${cases} SEED=${seed}`);
try {
  const r = await runCrashSuite({ kills, cases, seed, dir, log: say });
  say(
    `rounds ${r.rounds} (finished before the kill: ${r.finishedFirst}), by scenario ${JSON.stringify(r.byScenario)}, ` +
      `acknowledged batches ${r.acknowledgedBatches}, convergence reloads ${r.convergences}, ` +
      `one full load ${r.loadSeconds.toFixed(1)} s, suite ${r.seconds.toFixed(0)} s`,
  );
  for (const v of r.violations) say(`VIOLATION ${v}`);
  say(`${r.kills} kills, ${r.violations.length} violations`);
  process.exitCode = r.violations.length ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
