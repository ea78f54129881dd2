import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** The queue is full: the caller answers 503 with Retry-After instead of letting waits grow without bound. */
export class OverloadedError extends Error {
  constructor() {
    super('服务器繁忙');
  }
}

/** The client went away before its query finished: the work was dropped or interrupted; nobody reads the answer. */
export class AbandonedError extends Error {
  constructor() {
    super('客户端已断开');
  }
}

/** The query ran past the request timeout and was interrupted. */
export class QueryTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`查询超过 ${ms} 毫秒`);
  }
}

export interface PoolOptions {
  size: number;
  /** waiting requests beyond this are shed (503) */
  queueLimit: number;
  /** per-use time limit; the running query is interrupted when it passes */
  timeoutMs: number;
  /**
   * longest wait in the queue before the request is shed (503) after all: under a flood the queue's last place can
   * otherwise wait longer than a client does, which then sees a timeout instead of a Retry-After
   */
  queueWaitMs?: number;
}

/**
 * A few connections to the one DuckDB instance, one query at a time on each (design.md: DuckDB runs one query per
 * connection; 2–4 connections on 2 cores). Waiters queue in order up to a limit; past it, requests are refused at
 * once. A use that overruns its time limit is interrupted, so one slow query cannot hold a connection for ever.
 */
export class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly all: DuckDBConnection[] = [];
  private readonly waiters: ((conn: DuckDBConnection) => void)[] = [];
  private closed = false;
  private closing = false;
  private readonly refusers = new Map<(conn: DuckDBConnection) => void, () => void>();
  private readonly intervals = new Set<ReturnType<typeof setInterval>>();

  private constructor(private readonly opts: PoolOptions) {}

  static async create(
    instance: DuckDBInstance,
    opts: PoolOptions,
    setup: (conn: DuckDBConnection) => Promise<void>,
  ): Promise<ConnectionPool> {
    const pool = new ConnectionPool(opts);
    for (let i = 0; i < opts.size; i++) {
      const conn = await instance.connect();
      await setup(conn);
      pool.all.push(conn);
      pool.idle.push(conn);
    }
    return pool;
  }

  get stats(): { size: number; idle: number; waiting: number } {
    return { size: this.all.length, idle: this.idle.length, waiting: this.waiters.length };
  }

  private acquire(signal?: AbortSignal): Promise<DuckDBConnection> {
    if (this.closed || this.closing) return Promise.reject(new OverloadedError());
    if (signal?.aborted) return Promise.reject(new AbandonedError());
    const conn = this.idle.pop();
    if (conn) return Promise.resolve(conn);
    if (this.waiters.length >= this.opts.queueLimit) return Promise.reject(new OverloadedError());
    return new Promise((resolve, reject) => {
      const waiter = (c: DuckDBConnection) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(c);
      };
      const leave = (err: Error) => {
        clearTimeout(timer);
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        this.refusers.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
        reject(err);
      };
      // a client that leaves while queued gives its place back instead of running a query nobody will read
      const onAbort = () => leave(new AbandonedError());
      const timer =
        this.opts.queueWaitMs === undefined
          ? undefined
          : setTimeout(() => leave(new OverloadedError()), this.opts.queueWaitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.refusers.set(waiter, () => leave(new OverloadedError()));
      this.waiters.push(waiter);
    });
  }

  private release(conn: DuckDBConnection): void {
    const next = this.waiters.shift();
    if (next) {
      this.refusers.delete(next);
      next(conn);
    } else this.idle.push(conn);
  }

  /**
   * Runs fn with a connection of its own; `timeoutMs` overrides the pool's limit (e.g. longer for exports). With a
   * `signal` (aborted when the client disconnects) a queued use is dropped and a running query interrupted.
   */
  async use<T>(
    fn: (conn: DuckDBConnection) => Promise<T>,
    timeoutMs = this.opts.timeoutMs,
    signal?: AbortSignal,
  ): Promise<T> {
    const conn = await this.acquire(signal);
    let timedOut = false;
    // an interrupt that arrives before DuckDB has started the statement is lost: keep interrupting until fn settles
    let stopping: ReturnType<typeof setInterval> | undefined;
    // never touch a connection the pool has closed (a native use after free): close() clears these first
    const interrupt = () => {
      if (!this.closed) conn.interrupt();
    };
    const stop = () => {
      if (stopping) return;
      interrupt();
      stopping = setInterval(interrupt, 50);
      this.intervals.add(stopping);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    signal?.addEventListener('abort', stop, { once: true });
    try {
      const result = await fn(conn);
      // the limit fell between two statements (a composed module): the answer is too late all the same
      if (timedOut) throw new QueryTimeoutError(timeoutMs);
      if (signal?.aborted) throw new AbandonedError();
      return result;
    } catch (err) {
      if (timedOut) throw new QueryTimeoutError(timeoutMs);
      if (signal?.aborted) throw new AbandonedError();
      throw err;
    } finally {
      clearTimeout(timer);
      clearInterval(stopping);
      if (stopping) this.intervals.delete(stopping);
      signal?.removeEventListener('abort', stop);
      this.release(conn);
    }
  }

  /**
   * Stops queued work, interrupts running queries and waits (up to `waitMs`) until every connection is back before
   * closing them: closing a connection while DuckDB still runs a statement on it can crash the process.
   */
  async close(waitMs = 10_000): Promise<void> {
    this.closing = true;
    // queued work is refused (503), running work interrupted and waited for
    for (const w of this.waiters.splice(0)) this.refusers.get(w)?.();
    this.refusers.clear();
    for (const c of this.all) if (!this.idle.includes(c)) c.interrupt();
    for (const until = Date.now() + waitMs; this.idle.length < this.all.length && Date.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.closed = true;
    for (const i of this.intervals) clearInterval(i);
    this.intervals.clear();
    for (const c of this.all) c.closeSync();
    this.all.length = 0;
    this.idle.length = 0;
  }
}
