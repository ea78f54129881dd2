import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../fixtures/generator/index.ts';
import { controlFilePath } from '../../src/server/control/file.ts';
import { acknowledgedBatches, checkDatabase, type LedgerBatch } from './checks.ts';
import { login, sleep, startServe, stop, uploadForm, zhenjianProc, type Proc } from './proc.ts';
import { rng } from './random.ts';

/**
 * The four ways a load meets kill -9 (issue 8):
 * - `ingest`: `zhenjian ingest` straight on the database file, killed;
 * - `handoff-client`: `zhenjian ingest` handing its files to a running `zhenjian serve`, the CLI killed;
 * - `handoff-server`: the same hand-off, the server killed;
 * - `upload-server`: a browser upload (POST /api/v1/ingest, then its event stream), the server killed mid-request.
 */
export const SCENARIOS = ['handoff-server', 'upload-server', 'ingest', 'handoff-client'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface CrashOptions {
  kills: number;
  /** generated cases: sets how long one load runs, so how many moments a kill can land in */
  cases: number;
  seed: number;
  dir: string;
  /** one line per kill and per convergence check */
  log?: (line: string) => void;
}

export interface CrashReport {
  kills: number;
  violations: string[];
  rounds: number;
  /** rounds whose process had finished before the kill landed: their results were acknowledged and checked */
  finishedFirst: number;
  acknowledgedBatches: number;
  byScenario: Record<Scenario, number>;
  convergences: number;
  loadSeconds: number;
  seconds: number;
}

const USER = 'reliability';
const PASSWORD = 'reliability drill 2026 password';
/** rounds on one database before it is reloaded to completion (convergence check) and started afresh */
const LINEAGE = 3;

function copyDatabase(fromDb: string, toDb: string): void {
  mkdirSync(join(toDb, '..'), { recursive: true });
  for (const suffix of ['', '.key', '.wal'])
    if (existsSync(fromDb + suffix)) copyFileSync(fromDb + suffix, toDb + suffix);
}

async function must(p: Proc, what: string): Promise<number | string> {
  const code = await p.exited;
  if (code !== 0) throw new Error(`${what}: exit ${code}: ${p.stderr().slice(-400)}`);
  return code;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Resolves with the upload's result event (or undefined) while the server lives; never rejects. */
async function browserUpload(url: string, files: string[]): Promise<unknown> {
  try {
    const cookie = await login(url, USER, PASSWORD);
    const res = await fetch(`${url}/api/v1/ingest`, {
      method: 'POST',
      headers: { cookie },
      body: await uploadForm(files),
    });
    if (res.status !== 202) return undefined;
    const { job_id } = (await res.json()) as { job_id: string };
    const events = await fetch(`${url}/api/v1/ingest/${job_id}/events`, { headers: { cookie } });
    const text = await events.text();
    const result = text.split('\n\n').find((b) => b.startsWith('id: ') && b.includes('\nevent: result\n'));
    return result ? parseJson(result.split('\ndata: ')[1]!) : undefined;
  } catch {
    // the server was killed under us: whatever was not acknowledged may be gone
    return undefined;
  }
}

interface RoundResult {
  killed: boolean;
  acknowledged: LedgerBatch[];
  violations: string[];
  what: string;
}

async function round(
  scenario: Scenario,
  dbPath: string,
  files: string[],
  delayMs: number,
): Promise<RoundResult> {
  const ingestArgs = ['ingest', ...files, '--db', dbPath, '--json'];
  const fromCli = (p: Proc) => (p.alive() ? [] : acknowledgedBatches(parseJson(p.stdout())));
  if (scenario === 'ingest') {
    const p = zhenjianProc(ingestArgs);
    await sleep(delayMs);
    const killed = p.kill9();
    await p.exited;
    return { killed, acknowledged: killed ? [] : fromCli(p), violations: [], what: 'CLI 被杀' };
  }
  const server = await startServe(dbPath);
  const violations: string[] = [];
  try {
    if (scenario === 'upload-server') {
      const upload = browserUpload(server.url, files);
      await sleep(delayMs);
      const killed = server.proc.kill9();
      await server.proc.exited;
      return {
        killed,
        acknowledged: acknowledgedBatches(await upload),
        violations,
        what: '服务被杀（上传中）',
      };
    }
    const p = zhenjianProc(ingestArgs);
    await sleep(delayMs);
    if (scenario === 'handoff-server') {
      const finished = !p.alive();
      const killed = server.proc.kill9();
      await server.proc.exited;
      const timer = setTimeout(() => p.kill9(), 30_000);
      const code = await p.exited;
      clearTimeout(timer);
      if (code === 'SIGKILL') violations.push('服务被杀后命令行 30 秒内没有结束');
      else if (!finished && code !== 3) violations.push(`服务被杀后命令行退出码 ${code}（应为 3）`);
      return {
        killed,
        acknowledged: finished ? fromCli(p) : [],
        violations,
        what: '服务被杀（控制通道导入中）',
      };
    }
    const killed = p.kill9();
    await p.exited;
    // the server outlives its client: it still answers, then stops gracefully (its load finishes or rolls back)
    const res = await fetch(`${server.url}/api/v1/session`).catch((e: Error) => e);
    if (res instanceof Error || res.status >= 500)
      violations.push(`命令行被杀后服务不再应答：${res instanceof Error ? res.message : res.status}`);
    const code = await stop(server.proc);
    if (code !== 0) violations.push(`命令行被杀后服务未能正常停止（退出码 ${code}）`);
    return { killed, acknowledged: killed ? [] : fromCli(p), violations, what: 'CLI 被杀（控制通道）' };
  } finally {
    if (server.proc.alive()) server.proc.kill9();
    await server.proc.exited;
    // what an operator does after a crash (docs/operations.md): no server runs, so the stale file goes
    rmSync(controlFilePath(dbPath), { force: true });
  }
}

/** Runs until `kills` kills have hit a live process; see SCENARIOS. */
export async function runCrashSuite(opts: CrashOptions): Promise<CrashReport> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const random = rng(opts.seed);
  const data = join(opts.dir, 'data');
  await generate({ out: data, cases: opts.cases, seed: opts.seed, from: '2023-01-01', to: '2024-12-31' });
  const files = readdirSync(data)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => join(data, f));

  // one initialised database (with a sign-in for the browser path) copied for every run: same key, same hashes
  const pristine = join(opts.dir, 'pristine', 'z.duckdb');
  mkdirSync(join(opts.dir, 'pristine'));
  await must(zhenjianProc(['init', '--db', pristine]), 'init');
  await must(
    zhenjianProc(
      ['users', 'add', '--username', USER, '--role', 'admin', '--password-stdin', '--db', pristine],
      {
        stdin: `${PASSWORD}\n`,
      },
    ),
    'users add',
  );
  const refDb = join(opts.dir, 'reference', 'z.duckdb');
  copyDatabase(pristine, refDb);
  const t0 = Date.now();
  const refLoad = zhenjianProc(['ingest', ...files, '--db', refDb]);
  await refLoad.exited;
  const loadMs = Date.now() - t0;
  const ref = await checkDatabase(refDb, [], []);
  if (!ref.state || ref.violations.length) throw new Error(`reference load: ${ref.violations.join('; ')}`);

  const report: CrashReport = {
    kills: 0,
    violations: [],
    rounds: 0,
    finishedFirst: 0,
    acknowledgedBatches: 0,
    byScenario: { ingest: 0, 'handoff-client': 0, 'handoff-server': 0, 'upload-server': 0 },
    convergences: 0,
    loadSeconds: loadMs / 1000,
    seconds: 0,
  };
  let lineage = 0;
  while (report.kills < opts.kills && report.rounds < opts.kills * 3) {
    lineage += 1;
    const dbPath = join(opts.dir, `run-${lineage}`, 'z.duckdb');
    copyDatabase(pristine, dbPath);
    const acknowledged: LedgerBatch[] = [];
    let seen: LedgerBatch[] = [];
    for (let i = 0; i < LINEAGE && report.kills < opts.kills; i++) {
      const scenario = SCENARIOS[report.rounds % SCENARIOS.length]!;
      report.rounds += 1;
      // anywhere from process start to a little past a whole load (the later ones hit a finished process)
      const delay = Math.round(200 + random() * loadMs * 1.1);
      const r = await round(scenario, dbPath, files, delay);
      const tag = `第 ${report.rounds} 轮 ${scenario} @${delay} ms`;
      if (r.killed) {
        report.kills += 1;
        report.byScenario[scenario] += 1;
      } else report.finishedFirst += 1;
      report.acknowledgedBatches += r.acknowledged.length;
      acknowledged.push(...r.acknowledged);
      const c = await checkDatabase(dbPath, acknowledged, seen);
      const found = [...r.violations, ...c.violations];
      report.violations.push(...found.map((v) => `${tag}：${v}`));
      if (c.state) seen = c.state.ledger;
      log(
        `${tag}：${r.killed ? r.what : '进程已先结束'}；台账 ${seen.length} 个批次，已确认 ${acknowledged.length}；` +
          (found.length ? `违规 ${found.length}` : '无违规'),
      );
    }
    // reloading the same files completes the job and gives the reference content, whatever the kills left
    const reload = zhenjianProc(['ingest', ...files, '--db', dbPath, '--json']);
    const code = await reload.exited;
    const c = await checkDatabase(dbPath, acknowledged, seen);
    const found = [...c.violations];
    if (code !== 0) found.push(`重新导入退出码 ${code}：${reload.stderr().slice(-300)}`);
    if (c.state && c.state.content !== ref.state.content)
      found.push(
        `重新导入后内容哈希 ${c.state.content.slice(0, 12)}… ≠ 参考 ${ref.state.content.slice(0, 12)}…`,
      );
    report.convergences += 1;
    report.violations.push(...found.map((v) => `第 ${lineage} 组重新导入：${v}`));
    log(`第 ${lineage} 组重新导入：${found.length ? `违规 ${found.length}` : '内容哈希与参考一致'}`);
    rmSync(join(opts.dir, `run-${lineage}`), { recursive: true, force: true });
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
