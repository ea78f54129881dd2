import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initDatabase } from '../db/init.ts';
import { openDatabase } from '../db/open.ts';
import { AuditLog, auditPath } from './audit/log.ts';
import { hashPassword, randomPassword } from './auth/password.ts';
import { MAX_IDLE_MINUTES, SessionStore } from './auth/sessions.ts';
import { countUsers } from './auth/users.ts';
import { run } from '../db/sql.ts';
import { createApp, type AppOptions } from './app.ts';
import { DEFAULT_CONFIG, type ServerConfig, type ServerContext } from './context.ts';
import { ConnectionPool } from './pool.ts';
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
  timeoutMs?: number;
  threads?: number;
  memoryLimit?: string;
}

export interface RunningServer {
  url: string;
  ctx: ServerContext;
  /** set on the first start only: the generated admin password, to be shown once */
  initialAdmin?: { username: string; password: string };
  close(): Promise<void>;
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
  if (config.idleMinutes > MAX_IDLE_MINUTES || config.idleMinutes <= 0)
    throw new Error(`会话空闲超时应在 1–${MAX_IDLE_MINUTES} 分钟之间。`);
  const db = await openDatabase(opts.dbPath, { threads: opts.threads, memoryLimit: opts.memoryLimit });
  const closers: (() => Promise<void> | void)[] = [() => db.close()];
  try {
    await initDatabase(db);
    const pool = await ConnectionPool.create(
      db.instance,
      { size: opts.poolSize ?? 3, queueLimit: opts.queueLimit ?? 64, timeoutMs: opts.timeoutMs ?? 30_000 },
      async (conn) => {
        await conn.run("SET TimeZone = 'Asia/Shanghai'");
      },
    );
    closers.unshift(() => pool.close());
    const audit = await AuditLog.open(auditPath(db.path));
    closers.unshift(() => audit.close());
    const ctx: ServerContext = {
      config,
      db,
      pool,
      audit,
      log: opts.log ?? streamLog(),
      sessions: new SessionStore({
        idleMs: config.idleMinutes * 60_000,
        absoluteMs: config.absoluteHours * 3_600_000,
      }),
    };
    const initialAdmin = await ensureAdmin(ctx);
    const app = createApp(ctx, opts);
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
    ctx.log.info('server_started', { port });
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      ctx,
      initialAdmin,
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        for (const c of closers) await c();
      },
    };
  } catch (err) {
    for (const c of closers) await c();
    throw err;
  }
}
