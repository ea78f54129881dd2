// Where a benchmark run keeps its database and its figures: data/bench (1M cases, the default), data/bench-5m
// (`npm run bench -- --scale 5m`, which sets ZJ_BENCH_SCALE for its steps) or data/bench-quick (--quick, CI). The
// 5M figures go under "scale_5m" in bench/results.json, so that they never replace the 1M ones.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const scale = process.env.ZJ_BENCH_SCALE === '5m' ? '5m' : '1m';

export function benchDir(quick: boolean): string {
  return join(process.cwd(), 'data', quick ? 'bench-quick' : scale === '5m' ? 'bench-5m' : 'bench');
}

/** Writes one section (ingest, modules, api) of bench/results.json for this scale. */
export function saveSection(name: string, value: unknown): void {
  const path = join('bench', 'results.json');
  const all = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
  if (scale === '5m') all.scale_5m = { ...((all.scale_5m as Record<string, unknown>) ?? {}), [name]: value };
  else all[name] = value;
  writeFileSync(path, `${JSON.stringify(all, null, 2)}\n`);
}
