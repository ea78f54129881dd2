// npm run bench:ingest [-- --cases N] [--quick]: `zhenjian ingest` of a generated file set into an empty database vs
// a plain CREATE TABLE … AS SELECT * FROM read_csv(…) of the same files, same run, same machine. Figures →
// bench/results.json; --quick (20,000 cases into data/bench-quick, for CI) prints them instead.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from '../fixtures/generator/index.ts';
import { benchDir, saveSection } from './place.ts';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '1000000' }, quick: { type: 'boolean', default: false } },
});
const quick = values.quick;
const cases = quick ? 20_000 : Number(values.cases);
const root = benchDir(quick);
const dataDir = join(root, `data-${cases}`);
mkdirSync(root, { recursive: true });
if (!existsSync(join(dataDir, 'manifest.json'))) {
  const t0 = performance.now();
  await generate({ out: dataDir, cases, seed: 1, from: '2022-01-01', to: '2025-12-31' });
  process.stderr.write(`generated ${cases} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
const files = readdirSync(dataDir)
  .filter((f) => f.endsWith('.csv'))
  .map((f) => join(dataDir, f));

const child = (mode: string) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'bench/ingest-child.ts', mode, join(root, 'bench.duckdb'), ...files],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ),
  ) as { rows: number; seconds: number; marts_seconds: number | null; peak_rss_mb: number };

const raw = child('raw');
const zj = child('zhenjian');
const duckdbVersion = (
  JSON.parse(readFileSync('node_modules/@duckdb/node-api/package.json', 'utf8')) as { version: string }
).version;
const ingest = {
  cases,
  files: files.length,
  zhenjian: {
    rows: zj.rows,
    seconds: +zj.seconds.toFixed(2),
    rows_per_s: Math.round(zj.rows / zj.seconds),
    peak_rss_mb: zj.peak_rss_mb,
  },
  raw_duckdb: {
    rows: raw.rows,
    seconds: +raw.seconds.toFixed(2),
    rows_per_s: Math.round(raw.rows / raw.seconds),
    peak_rss_mb: raw.peak_rss_mb,
  },
  ratio_to_raw_duckdb: +(zj.rows / zj.seconds / (raw.rows / raw.seconds)).toFixed(3),
  // the marts' rebuild and the case indexes' upkeep after the load, timed apart (the ratio is of the load alone)
  marts_seconds: zj.marts_seconds === null ? null : +zj.marts_seconds.toFixed(2),
  machine: {
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    duckdb: duckdbVersion,
  },
  date: new Date().toISOString().slice(0, 10),
};
if (!quick) saveSection('ingest', ingest);
process.stdout.write(JSON.stringify(ingest, null, 2) + '\n');
