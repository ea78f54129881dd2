import { join } from 'node:path';
import { initDatabase } from '../../src/db/init.ts';
import { openDatabase, type Database } from '../../src/db/open.ts';
import { addUser, type NewUser } from '../../src/server/auth/users.ts';
import { memoryLog } from '../../src/server/server-log.ts';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/start.ts';
import { tempDir } from './db.ts';

export const PASSWORD = 'correct horse battery';

export interface TestServer {
  server: RunningServer;
  url: string;
  dir: string;
  log: ReturnType<typeof memoryLog>;
  /** adds a user with PASSWORD unless one is given */
  addUser(u: Omit<NewUser, 'password'> & { password?: string }): Promise<void>;
  /** signs in and returns the Cookie header value */
  login(username: string, password?: string): Promise<string>;
  fetch(path: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
}

/**
 * A real server on an ephemeral loopback port over a fresh database file; `prepare` loads data before the server
 * takes the file (the server owns it while running, as in production).
 */
export async function withServer<T>(
  fn: (s: TestServer) => Promise<T>,
  opts: { prepare?: (db: Database) => Promise<void>; start?: Partial<StartOptions> } = {},
): Promise<T> {
  const t = tempDir();
  const dbPath = join(t.dir, 'server.duckdb');
  const db = await openDatabase(dbPath);
  try {
    await initDatabase(db);
    await opts.prepare?.(db);
  } finally {
    db.close();
  }
  const log = memoryLog();
  // tests sign in and read cases far faster than people do: rate limits are tested on their own (rate-limit.test.ts)
  const config = { loginsPerMinute: 100_000, caseReadsPerMinute: 100_000, ...opts.start?.config };
  const server = await startServer({ dbPath, port: 0, log, poolSize: 2, ...opts.start, config });
  const doFetch = (path: string, init: RequestInit & { cookie?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set('cookie', init.cookie);
    return fetch(`${server.url}${path}`, { ...init, headers, redirect: 'manual' });
  };
  const s: TestServer = {
    server,
    url: server.url,
    dir: t.dir,
    log,
    fetch: doFetch,
    async addUser(u) {
      await server.ctx.pool.use((conn) => addUser(conn, { password: PASSWORD, ...u }));
    },
    async login(username, password = PASSWORD) {
      const res = await doFetch('/api/v1/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      return res.headers.get('set-cookie')!.split(';')[0]!;
    },
  };
  try {
    return await fn(s);
  } finally {
    await server.close();
    t.cleanup();
  }
}
