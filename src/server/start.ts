import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { initDatabase } from '../db/init.ts';
import { UserError } from '../db/errors.ts';
import { openDatabase, type Database } from '../db/open.ts';
import { AuditLog, auditPath } from './audit/log.ts';
import { hashPassword, randomPassword } from './auth/password.ts';
import { MAX_IDLE_MINUTES, SessionStore } from './auth/sessions.ts';
import { countUsers } from './auth/users.ts';
import { run } from '../db/sql.ts';
import { createApp, type AppOptions } from './app.ts';
import { DEFAULT_CONFIG, type ServerConfig, type ServerContext } from './context.ts';
import {
  controlFilePath,
  newToken,
  probeControlFile,
  removeControlFile,
  writeControlFile,
} from './control/file.ts';
import { writerOf } from './ingest-jobs.ts';
import { ConnectionPool } from './pool.ts';
import { controlRoutes } from './routes/control.ts';
import { streamLog, type ServerLog } from './server-log.ts';

export interface StartOptions extends AppOptions {
  dbPath: string;
  port?: number;
  host?: string;
  config?: Partial<ServerConfig>;
  log?: ServerLog;
  /** connections for queries (design.md: 2–4 on 2 cores) */
  poolSize?: number;
  queueLimit?: number;
  /** longest wait for a connection before a 503 (default 5 s) */
  queueWaitMs?: number;
  timeoutMs?: number;
  threads?: number;
  memoryLimit?: string;
  /** write the control file (.server.json) and accept CLI commands through it; on unless false */
  controlChannel?: boolean;
}

export interface RunningServer {
  url: string;
  ctx: ServerContext;
  /** set on the first start only: the generated admin password, to be shown once */
  initialAdmin?: { username: string; password: string };
  /** the control file written while serving (spec/cli.md), removed by close() */
  controlFile?: string;
  /**
   * Stops accepting connections, lets in-flight requests and the running load finish (up to `graceMs`, then
   * they are cut: a load's open transaction rolls back), closes the database and removes the control file.
   */
  close(opts?: { graceMs?: number }): Promise<void>;
}

/**
 * DuckDB at start (security-reliability-research.md requirement 36): threads, memory_limit and
 * max_temp_directory_size are set when the instance opens (db/open.ts, autoload/autoinstall off there too); here
 * file access is narrowed to the staging folder (uploads, load copies, backups) and the shipped reference data
 * (`zhenjian init` through the server reloads it), then the configuration is locked so no later statement on any
 * connection can loosen it. COPY FROM DATABASE (backup) sets current_transaction_invalidation_policy internally,
 * the one option left open.
 */
async function hardenDatabase(db: Database): Promise<void> {
  const staging = join(dirname(db.path), '.staging');
  // uploads a killed server left behind: nothing else writes there while this server holds the database
  for (const left of ['uploads', 'cli']) rmSync(join(staging, left), { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const reference = fileURLToPath(new URL('../../fixtures/reference/', import.meta.url));
  await run(db.conn, 'SET allowed_directories = $dirs', { dirs: [`${staging}/`, reference] });
  await db.conn.run('SET enable_external_access = false');
  await db.conn.run("SET allowed_configs = ['current_transaction_invalidation_policy']");
  await db.conn.run('SET lock_configuration = true');
}

/** One server per data folder: a live one is reported, a stale control file (its server gone) is replaced. */
async function checkControlFile(dbPath: string, log: ServerLog): Promise<void> {
  const path = controlFilePath(dbPath);
  let probe;
  try {
    probe = await probeControlFile(path);
  } catch {
    probe = { state: 'stale' as const, why: '文件无法解析' };
  }
  if (probe.state === 'live')
    throw new UserError(
      `另一个 zhenjian 服务（PID ${probe.info.pid}，端口 ${probe.info.port}）正在使用 ${dirname(path)}：同一数据目录只能运行一个服务。`,
      `Another zhenjian server (PID ${probe.info.pid}) is running for ${dirname(path)}.`,
      3,
    );
  if (probe.state === 'stale') {
    rmSync(path, { force: true });
    log.info('stale_control_file_removed', { why: probe.why });
  }
}

/** First start with no users: an `admin` with a random password (no default password exists anywhere). */
async function ensureAdmin(ctx: ServerContext): Promise<RunningServer['initialAdmin']> {
  if ((await countUsers(ctx.db.conn)) > 0) return undefined;
  const password = randomPassword();
  await run(
    ctx.db.conn,
    `INSERT INTO users (username, role, agency, districts, password_hash, created_at, password_changed_at)
     VALUES ('admin', 'admin', NULL, [], $hash, now()::TIMESTAMP, now()::TIMESTAMP)`,
    { hash: await hashPassword(password) },
  );
  return { username: 'admin', password };
}

/** Opens the database (the server owns it while running), builds the app and listens. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const config = { ...DEFAULT_CONFIG, ...opts.config };
  const log = opts.log ?? streamLog();
  const control = opts.controlChannel !== false;
  if (control) await checkControlFile(opts.dbPath, log);
  if (config.idleMinutes > MAX_IDLE_MINUTES || config.idleMinutes <= 0)
    throw new Error(`会话空闲超时应在 1–${MAX_IDLE_MINUTES} 分钟之间。`);
  const db = await openDatabase(opts.dbPath, { threads: opts.threads, memoryLimit: opts.memoryLimit });
  const closers: (() => Promise<void> | void)[] = [() => db.close()];
  try {
    await initDatabase(db);
    const pool = await ConnectionPool.create(
      db.instance,
      {
        size: opts.poolSize ?? 3,
        queueLimit: opts.queueLimit ?? 16,
        queueWaitMs: opts.queueWaitMs ?? 5_000,
        timeoutMs: opts.timeoutMs ?? 30_000,
      },
      async (conn) => {
        await conn.run("SET TimeZone = 'Asia/Shanghai'");
      },
    );
    closers.unshift(() => pool.close());
    // after the pool's connections have run their SETs: once locked, no SET succeeds anywhere
    await hardenDatabase(db);
    const audit = await AuditLog.open(auditPath(db.path));
    closers.unshift(() => audit.close());
    const ctx: ServerContext = {
      config,
      db,
      pool,
      audit,
      log,
      sessions: new SessionStore({
        idleMs: config.idleMinutes * 60_000,
        absoluteMs: config.absoluteHours * 3_600_000,
      }),
    };
    const initialAdmin = await ensureAdmin(ctx);
    const token = newToken();
    const app = createApp(ctx, { ...opts, control: control ? controlRoutes(ctx, token) : undefined });
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(opts.port ?? 3000, opts.host ?? '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    // bounded keep-alive and header time, so idle or slow clients cannot hold sockets (CJIS SC-10)
    server.keepAliveTimeout = 5_000;
    server.headersTimeout = 10_000;
    server.requestTimeout = 10 * 60_000;
    const { port } = server.address() as AddressInfo;
    const host = opts.host ?? '127.0.0.1';
    const controlFile = control
      ? writeControlFile(db.path, {
          pid: process.pid,
          port,
          token,
          db: db.path,
          started_at: new Date().toISOString(),
        })
      : undefined;
    ctx.log.info('server_started', { port });
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      ctx,
      initialAdmin,
      controlFile,
      async close({ graceMs = 0 } = {}) {
        const deadline = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.race([closed, deadline]);
        server.closeAllConnections();
        await closed;
        await Promise.race([writerOf(ctx).run(async () => undefined), deadline]);
        try {
          for (const c of closers) await c();
        } finally {
          if (control) removeControlFile(db.path, token);
        }
      },
    };
  } catch (err) {
    for (const c of closers) await c();
    throw err;
  }
}
