import type { Request, Response } from 'express';
import type { Database } from '../db/open.ts';
import type { AuditEvent, AuditLog } from './audit/log.ts';
import type { Session, SessionStore } from './auth/sessions.ts';
import type { ConnectionPool } from './pool.ts';
import type { ServerLog } from './server-log.ts';

export interface ServerConfig {
  /** idle timeout in minutes (default 15, at most 30) */
  idleMinutes: number;
  absoluteHours: number;
  /** set when served over TLS or behind a TLS proxy: Secure + __Host- cookies and HSTS */
  secure: boolean;
  /** rows a CSV/XLSX export may hold */
  exportRowCap: number;
  /** largest ingest upload in bytes (default 2 GB) */
  uploadLimitBytes: number;
  /** the choices for 查询事由 */
  purposes: readonly string[];
  /** sign-in attempts a minute per client address, and case-level reads a minute per user (429 beyond) */
  loginsPerMinute: number;
  caseReadsPerMinute: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  idleMinutes: 15,
  absoluteHours: 12,
  secure: false,
  exportRowCap: 200_000,
  uploadLimitBytes: 2 * 1024 ** 3,
  purposes: ['案件评查', '专项检查', '联席会议', '监督核查', '其他'],
  loginsPerMinute: 10,
  caseReadsPerMinute: 120,
};

/** What every route handler can reach: the database (through the pool), sessions, the audit trail, the log. */
export interface ServerContext {
  config: ServerConfig;
  /** the database; its own connection is the writer used by ingest jobs */
  db: Database;
  pool: ConnectionPool;
  sessions: SessionStore;
  audit: AuditLog;
  log: ServerLog;
}

export function sessionOf(res: Response): Session {
  const s = res.locals.session as Session | undefined;
  // authenticate() runs before every route that calls this; reaching here without it is a programming error
  if (!s) throw new Error('route mounted without authenticate()');
  return s;
}

/** The who/where part of an audit record for this request. */
export function auditBase(
  req: Request,
  res: Response,
): Pick<AuditEvent, 'user' | 'role' | 'agency' | 'session' | 'client' | 'endpoint'> {
  const s = res.locals.session as Session | undefined;
  return {
    user: s?.user.username,
    role: s?.user.role,
    agency: s?.user.agency,
    session: s ? (res.locals.sessionTag as string) : undefined,
    client: req.ip,
    endpoint: `${req.method} ${req.baseUrl}${req.route?.path ?? req.path}`,
  };
}

/** Aborted when the client disconnects before the answer is sent: queries for it are dropped or interrupted. */
export function clientGone(_req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  // the response's own 'close' (not the socket's: a keep-alive socket would collect one listener per request)
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
