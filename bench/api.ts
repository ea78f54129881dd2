// npm run bench:api [-- --quick]: the HTTP API under load (issue 7). The server runs in its own process over the
// benchmark database (bench/api-server.ts); autocannon drives it on loopback at 1, 10 and 50 connections with the
// district varied per request (so no cache could answer everything), then with as_of varied too. Each response's
// time is collected (autocannon's 'response' event), warm-up discarded, and p50/p95/p99, requests/s and errors
// recorded — plus JSON vs Arrow bytes for a case list, the overview drawn in Chromium, and the server's peak RSS.
// --quick: a 20,000-case set and 2-second runs (≤ 60 s), run by .ci/run so the benchmark cannot rot; its figures are
// printed, not committed.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { benchDir, saveSection } from './place.ts';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { generate } from '../fixtures/generator/index.ts';
import { ingestFiles } from '../ingest/index.ts';
import { ALL_DISTRICTS } from '../queries/scope.ts';
import { initDatabase } from '../src/db/init.ts';
import { openDatabase } from '../src/db/open.ts';

const quick = process.argv.includes('--quick');
const DURATION = quick ? 2 : 10;
const WARMUP = quick ? 0.5 : 3;
const PASSWORD = 'benchmark password 2026';
const out = (s: string) => process.stdout.write(`${s}\n`);

/** The quick set: the database `bench:ingest --quick` loads, or a fresh 20,000-case one when run alone. */
async function quickDatabase(): Promise<string> {
  const db = join('data', 'bench-quick', 'bench.duckdb');
  if (existsSync(db)) return db;
  const data = join('data', 'bench-quick', 'data-20000');
  await generate({ out: data, cases: 20_000, seed: 1, from: '2022-01-01', to: '2025-12-31' });
  const d = await openDatabase(db);
  try {
    await initDatabase(d);
    const files = readdirSync(data)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(data, f));
    await ingestFiles(d, files, { user: 'bench', today: '2026-01-01' });
  } finally {
    d.close();
  }
  return db;
}

const dbPath = quick ? await quickDatabase() : join(benchDir(false), 'bench.duckdb');
if (!existsSync(dbPath)) throw new Error('run bench/ingest.ts first: it loads data/bench/bench.duckdb');

// the web app measured in Chromium is the current one: built when build/ is missing or older than its sources
execFileSync(process.execPath, ['bin/ensure-build.js'], { stdio: 'inherit' });
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api-server.ts', dbPath, PASSWORD], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const first = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout! }).once('line', resolve);
  child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
});
const { url, pid } = JSON.parse(first) as { url: string; pid: number };

try {
  const login = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-city', password: PASSWORD }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const get = async (path: string, accept = 'application/json') =>
    fetch(`${url}${path}`, { headers: { cookie, accept } });
  const me = (await (await get('/api/v1/me')).json()) as { data_as_of: string };
  const year = me.data_as_of.slice(0, 4);

  // case ids spread over the districts, for the case detail endpoint
  const pending = (await (await get('/api/v1/queries/pending-cases')).json()) as {
    rows: { case_id: string }[];
  };
  const caseIds = pending.rows.filter((_, i) => i % Math.max(1, Math.floor(pending.rows.length / 200)) === 0);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const asOfs = Array.from({ length: 365 }, (_, i) =>
    new Date(Date.parse(me.data_as_of) - i * 86_400_000).toISOString().slice(0, 10),
  );
  const purpose = encodeURIComponent('监督核查');
  const ENDPOINTS: Record<string, (asOf?: string) => string> = {
    overview: () =>
      `/api/v1/queries/joint-meeting-pack?period=${year}&level=${encodeURIComponent('区级')}&district=${pick(ALL_DISTRICTS)}`,
    'pending-cases': (a) =>
      `/api/v1/queries/pending-cases?district=${pick(ALL_DISTRICTS)}${a ? `&as_of=${a}` : ''}`,
    'decision-rates': (a) =>
      `/api/v1/queries/decision-rates?group_by=police_unit&district=${pick(ALL_DISTRICTS)}${a ? `&as_of=${a}` : ''}`,
    'supervision-ledger': (a) =>
      `/api/v1/queries/supervision-ledger?group_by=police_unit&district=${pick(ALL_DISTRICTS)}${a ? `&as_of=${a}` : ''}`,
    'case-detail': () => `/api/v1/cases/${encodeURIComponent(pick(caseIds).case_id)}?purpose=${purpose}`,
  };

  const quantile = (xs: number[], q: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? null : +s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1);
  };

  async function load(
    path: (asOf?: string) => string,
    connections: number,
    seconds: number,
    varyAsOf: boolean,
  ) {
    const times: number[] = [];
    const okTimes: number[] = [];
    const status: Record<string, number> = {};
    const instance = autocannon({
      url,
      connections,
      duration: seconds,
      headers: { cookie, accept: 'application/vnd.apache.arrow.stream' },
      requests: [
        {
          setupRequest: (req: Record<string, unknown>) => ({
            ...req,
            path: path(varyAsOf ? pick(asOfs) : undefined),
          }),
        },
      ],
    });
    instance.on('response', (_client: unknown, code: number, _bytes: number, ms: number) => {
      times.push(ms);
      if (code === 200) okTimes.push(ms);
      status[code] = (status[code] ?? 0) + 1;
    });
    const result = await instance;
    return {
      times,
      okTimes,
      status,
      seconds: result.duration,
      errors: result.errors,
      timeouts: result.timeouts,
    };
  }

  const api: Record<string, unknown>[] = [];
  const runs: [string, number, boolean][] = [];
  // --quick keeps every endpoint but only the extremes of concurrency and one as_of-varied run
  for (const c of quick ? [1, 50] : [1, 10, 50])
    for (const e of Object.keys(ENDPOINTS)) runs.push([e, c, false]);
  for (const e of quick ? ['pending-cases'] : ['pending-cases', 'decision-rates', 'supervision-ledger'])
    runs.push([e, 10, true]);
  // requests still queued from the previous run would be measured as this run's: wait until the server is idle again
  async function settle() {
    for (const until = Date.now() + 60_000; Date.now() < until;) {
      const t0 = Date.now();
      const r = await get('/api/v1/me');
      await r.arrayBuffer();
      if (r.status === 200 && Date.now() - t0 < 50) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  for (const [endpoint, connections, varyAsOf] of runs) {
    await settle();
    await load(ENDPOINTS[endpoint]!, connections, WARMUP, varyAsOf);
    await settle();
    const r = await load(ENDPOINTS[endpoint]!, connections, DURATION, varyAsOf);
    const ok = r.status['200'] ?? 0;
    const shed = r.status['503'] ?? 0;
    const other = Object.entries(r.status)
      .filter(([k]) => k !== '200' && k !== '503')
      .reduce((s, [, n]) => s + n, 0);
    const row = {
      endpoint,
      connections,
      as_of: varyAsOf ? 'varied' : 'data-as-of',
      p50_ms: quantile(r.times, 0.5),
      p95_ms: quantile(r.times, 0.95),
      p99_ms: quantile(r.times, 0.99),
      rps: +(ok / r.seconds).toFixed(1),
      // socket errors and answers other than 200 and 503; timeouts (10 s) apart
      errors: r.errors + other,
      timeouts: r.timeouts,
      shed_503: shed,
      // the same quantiles over the 200 answers alone: with 503 shedding, the ones above are mostly the refusals
      ok_p50_ms: quantile(r.okTimes, 0.5),
      ok_p99_ms: quantile(r.okTimes, 0.99),
    };
    api.push(row);
    out(JSON.stringify(row));
  }

  // payload: the same case list as JSON and as Arrow
  const json = await (await get('/api/v1/queries/pending-cases')).arrayBuffer();
  const arrow = await (
    await get('/api/v1/queries/pending-cases', 'application/vnd.apache.arrow.stream')
  ).arrayBuffer();
  const payload = {
    query: 'pending-cases',
    rows: pending.rows.length,
    json_bytes: json.byteLength,
    arrow_bytes: arrow.byteLength,
    ratio: +(arrow.byteLength / json.byteLength).toFixed(3),
  };
  out(JSON.stringify(payload));

  const browser = await overviewInChromium(url);
  out(JSON.stringify(browser));

  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const summary = {
    cases: quick ? 20_000 : 1_000_000,
    duration_s: DURATION,
    api,
    payload,
    browser,
    server_rss_mb: Math.round(peak / 1024),
    machine: {
      cores: cpus().length,
      memory_gb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      duckdb: (
        JSON.parse(readFileSync('node_modules/@duckdb/node-api/package.json', 'utf8')) as { version: string }
      ).version,
    },
    date: new Date().toISOString().slice(0, 10),
  };
  out(`server peak RSS ${summary.server_rss_mb} MB`);
  if (!quick) saveSection('api', summary);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** The overview drawn in Chromium: from navigation to the last chart's 'finished' and the KPI cards shown. */
async function overviewInChromium(base: string): Promise<Record<string, unknown>> {
  if (!existsSync('/usr/bin/chromium') || !existsSync('build/handler.js'))
    return { overview_drawn_ms: null, note: 'no Chromium or no build/' };
  const { launch } = await import('../test/e2e/browser.ts');
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${base}/login`);
    await page.getByLabel('用户名').fill('bench-city');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await page.goto(`${base}/?district=${ALL_DISTRICTS[i]}`);
      await page.locator('[data-panel="kpis"] .kpi').first().waitFor({ timeout: 60_000 });
      await page.locator('.chart[data-drawn="true"]').nth(2).waitFor({ timeout: 60_000 });
      times.push(Date.now() - t0);
    }
    return { overview_drawn_ms: times.sort((a, b) => a - b)[1], samples: times };
  } finally {
    await browser.close();
  }
}
