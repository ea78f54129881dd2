// npm run test:load — the full load suite (issue 8): LOAD_SECONDS (default 15) per phase, LOAD_OVERLOAD (default 400)
// connections in the overload phase. Prints the figures; exit 1 when a bound is broken (see load-bounds.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadViolations } from './load-bounds.ts';
import { runLoadSuite } from './load-suite.ts';
import { envInt } from './random.ts';

const dir = mkdtempSync(join(tmpdir(), 'zhenjian-load-'));
const say = (line: string) => process.stdout.write(`${line}\n`);
try {
  const r = await runLoadSuite({
    dir,
    seconds: envInt('LOAD_SECONDS', 15),
    cases: envInt('CASES', 5000),
    normalConnections: envInt('LOAD_CONNECTIONS', 4),
    overloadConnections: envInt('LOAD_OVERLOAD', 400),
  });
  for (const [name, p] of [
    ['normal', r.normal],
    ['overload', r.overload],
  ] as const)
    say(
      `${name}: ${p.connections} connections, ${p.requests} requests, ${p.rps} rps, p50 ${p.p50} ms, p99 ${p.p99} ms, ` +
        `status ${JSON.stringify(p.status)}, errors ${p.errors}, timeouts ${p.timeouts}, ` +
        `RSS ${p.rssBeforeMb} → peak ${p.rssPeakMb} MB`,
    );
  say(`after: HTTP ${r.afterStatus} in ${r.afterMs} ms, RSS ${r.rssAfterMb} MB`);
  const violations = loadViolations(r);
  for (const v of violations) say(`VIOLATION ${v}`);
  say(`load: ${violations.length} violations`);
  process.exitCode = violations.length ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
