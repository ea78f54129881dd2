// npm run bench [-- --quick] [-- --scale 5m]: ingest, then the query modules in process, then the HTTP API under
// load — one after another on the same machine, figures into bench/results.json (docs/benchmarks.md). --quick runs
// all three on a 20,000-case set in about a minute and writes nothing (CI keeps the benchmark from rotting);
// --scale 5m ingests 5,000,000 cases instead of 1,000,000.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, scale: { type: 'string', default: '1m' } },
});
const SCALES: Record<string, string> = { '1m': '1000000', '5m': '5000000' };
const cases = SCALES[values.scale];
if (!cases) throw new Error(`--scale 应为 1m 或 5m，实为 ${values.scale}`);
const step = (script: string, ...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: 'inherit',
    // the steps keep a 5M run's database and figures apart from the 1M ones (bench/place.ts)
    env: {
      ...process.env,
      ZJ_BENCH_SCALE: values.scale,
      // a 5M-case load runs out of ingest's default 512 MB buffer (while loading decisions.csv)
      ...(values.scale === '5m' ? { ZJ_BENCH_INGEST_MEMORY: '2GB' } : {}),
    },
  });
const flags = values.quick ? ['--quick'] : [];
step('bench/ingest.ts', ...(values.quick ? flags : ['--cases', cases]));
step('bench/modules.ts', ...flags);
step('bench/api.ts', ...flags);
