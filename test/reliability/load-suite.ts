import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { generate } from '../../fixtures/generator/index.ts';
import { initDatabase } from '../../src/db/init.ts';
import { openDatabase } from '../../src/db/open.ts';
import { addUser } from '../../src/server/auth/users.ts';
import { ingest } from '../helpers/ingest.ts';
import { login, sleep, startServe, stop } from './proc.ts';

export interface LoadOptions {
  dir: string;
  /** seconds of each phase */
  seconds: number;
  /** generated cases in the database the server serves */
  cases: number;
  normalConnections: number;
  overloadConnections: number;
}

export interface Phase {
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** socket errors and timeouts: none allowed in either phase */
  errors: number;
  timeouts: number;
  status: Record<string, number>;
  /** the server's resident memory: before the phase and its peak during it, MB */
  rssBeforeMb: number;
  rssPeakMb: number;
}

export interface LoadReport {
  normal: Phase;
  overload: Phase;
  /** after the overload: the server answers a plain request, and its status */
  afterStatus: number;
  afterMs: number;
  rssAfterMb: number;
}

const USER = 'loadtest';
const PASSWORD = 'load test password 2026';

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

/** Runs autocannon against `url` while sampling the server's RSS every 100 ms. */
async function phase(
  pid: number,
  url: string,
  cookie: string,
  connections: number,
  seconds: number,
): Promise<Phase> {
  const before = rssMb(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  let r: Result;
  try {
    r = await autocannon({ url, connections, duration: seconds, timeout: 30, headers: { cookie } });
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, rssMb(pid));
  const status = Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count]));
  return {
    connections,
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    status,
    rssBeforeMb: before,
    rssPeakMb: peak,
  };
}

/**
 * A real `zhenjian serve` over a generated database: normal load (a few connections), then overload (hundreds,
 * more than the pool's 3 connections + 64 waiting places), then one plain request. The endpoint is the batch ledger
 * (GET /api/v1/batches?limit=200: one pooled query plus one per batch with rejects), an admin read every request
 * of which goes through the DuckDB connection pool.
 */
export async function runLoadSuite(opts: LoadOptions): Promise<LoadReport> {
  const dbPath = join(opts.dir, 'load.duckdb');
  const data = join(opts.dir, 'data');
  await generate({ out: data, cases: opts.cases, seed: 5, from: '2023-01-01', to: '2024-12-31' });
  const db = await openDatabase(dbPath);
  try {
    await initDatabase(db);
    const files = readdirSync(data).filter((f) => f.endsWith('.csv'));
    await ingest(
      db,
      files.map((f) => join(data, f)),
    );
    await addUser(db.conn, { username: USER, role: 'admin', districts: [], password: PASSWORD });
  } finally {
    db.close();
  }
  const server = await startServe(dbPath);
  try {
    const pid = server.proc.child.pid!;
    const cookie = await login(server.url, USER, PASSWORD);
    const url = `${server.url}/api/v1/batches?limit=200`;
    const normal = await phase(pid, url, cookie, opts.normalConnections, opts.seconds);
    const overload = await phase(pid, url, cookie, opts.overloadConnections, opts.seconds);
    await sleep(500);
    const t = Date.now();
    const after = await fetch(url, { headers: { cookie } });
    await after.arrayBuffer();
    return { normal, overload, afterStatus: after.status, afterMs: Date.now() - t, rssAfterMb: rssMb(pid) };
  } finally {
    await stop(server.proc);
  }
}
