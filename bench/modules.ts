// npm run bench (after bench/ingest.ts has loaded data/bench/bench.duckdb): in-process p50/p95 of every query
// module with its default parameters, and pending-cases at another as_of (computed, not from the mart). A module
// whose default result is a long list (over 10,000 rows) is timed again for its first page of 100 rows with the total, as the app
// asks for it (limit/offset, queries/run.ts).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getDataAsOf } from '../ingest/asOf.ts';
import { refreshMarts } from '../queries/marts.ts';
import { MODULES } from '../queries/registry.ts';
import { runModule } from '../queries/run.ts';
import { ALL_DISTRICTS } from '../queries/scope.ts';
import { initDatabase } from '../src/db/init.ts';
import { openDatabase } from '../src/db/open.ts';
import { one } from '../src/db/sql.ts';
import { importAppRecords } from '../src/records/store.ts';
import { benchDir, saveSection } from './place.ts';

// --quick: the 20,000-case set of `bench:ingest --quick`, three runs, figures printed, not written (CI)
const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 9;
const dbPath = join(benchDir(quick), 'bench.duckdb');
if (!existsSync(dbPath)) throw new Error('run bench/ingest.ts first: it loads data/bench/bench.duckdb');
const db = await openDatabase(dbPath);
await initDatabase(db);
const marts = await refreshMarts(db.conn);
// the review campaigns, inspections and meetings of the generated set, loaded as the app writes them
const dataDir = readdirSync(benchDir(quick)).find((f) => f.startsWith('data-'));
const appRecords = join(benchDir(quick), dataDir ?? 'data-none', 'app-records.json');
if (existsSync(appRecords)) await importAppRecords(db.conn, JSON.parse(readFileSync(appRecords, 'utf8')));

// parameters a module needs beyond its defaults
const someCase = (await one<{ id: string }>(
  db.conn,
  'SELECT case_id AS id FROM cases ORDER BY case_id LIMIT 1',
))!.id;
const someCampaign = await one<{ id: string }>(
  db.conn,
  'SELECT inspection_campaign_id AS id FROM inspection_campaigns LIMIT 1',
);
const extra: Record<string, Record<string, string>> = {
  'case-timeline': { case_id: someCase },
  'pending-clearance': { from: '2025-06-30' },
  'review-sample': { seed: '20251231' },
  'joint-meeting-pack': { period: '2025Q4' },
  briefing: { period: '2025Q4' },
  ...(someCampaign ? { 'inspection-results': { campaign: someCampaign.id } } : {}),
};

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1);
};

async function time(name: string, params: Record<string, string>) {
  const ms: number[] = [];
  let rows = 0;
  let total: number | undefined;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await runModule(db.conn, name, params, { districts: ALL_DISTRICTS });
    ms.push(performance.now() - t0);
    rows = r.rows.length;
    total = r.page?.total;
  }
  ms.shift(); // the first run warms caches
  return {
    module: name,
    params,
    rows,
    ...(total === undefined ? {} : { total }),
    p50_ms: quantile(ms, 0.5),
    p95_ms: quantile(ms, 0.95),
  };
}

const PAGE = '100';
const results = [];
for (const m of MODULES) {
  try {
    const r = await time(m.name, extra[m.name] ?? {});
    results.push(r);
    if (r.rows > 10_000) results.push(await time(m.name, { ...(extra[m.name] ?? {}), limit: PAGE }));
  } catch (e) {
    results.push({ module: m.name, error: (e as Error).message.slice(0, 200) });
  }
}
// what the overview asks for: one district's pack for the data-as-of year (its 挂案 dates come from mart_pending_at)
const year = (await getDataAsOf(db.conn)).date?.slice(0, 4);
if (year)
  results.push({
    ...(await time('joint-meeting-pack', { period: year, level: '区级', district: ALL_DISTRICTS[0]! })),
    note: 'the overview: one district, the data-as-of year',
  });
results.push({
  ...(await time('pending-cases', { as_of: '2025-06-30' })),
  note: 'as_of ≠ data-as-of: computed, not from the mart',
});
db.close();

const modules = {
  runs: RUNS - 1,
  marts_seconds: +marts.seconds.toFixed(2),
  marts: Object.fromEntries(Object.entries(marts.marts).map(([k, v]) => [k, +v.toFixed(2)])),
  date: new Date().toISOString().slice(0, 10),
  results,
};
if (!quick) saveSection('modules', modules);
else process.stdout.write(`${JSON.stringify(results)}\n`);
process.stdout.write(JSON.stringify(modules, null, 2) + '\n');
