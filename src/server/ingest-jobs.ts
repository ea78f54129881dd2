import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { ingestFiles, type IngestOptions, type IngestResult } from '../../ingest/index.ts';
import { todayInBeijing } from '../cli/args.ts';
import { UserError } from '../db/errors.ts';
import type { ServerContext } from './context.ts';

/**
 * The server's own connection (ctx.db.conn) is its one writer: an ingest holds a transaction on it per file, so
 * two users of it at once would interleave statements inside each other's transactions. Everything that writes
 * through it — browser ingest jobs and CLI commands over the control channel — takes its turn here.
 */
export class WriterQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #waiting = 0;

  get waiting(): number {
    return this.#waiting;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.#waiting++;
    const next = this.#tail.then(
      () => fn(),
      () => fn(),
    );
    this.#tail = next.then(
      () => this.#waiting--,
      () => this.#waiting--,
    );
    return next;
  }
}

export interface JobEvent {
  id: number;
  type: 'queued' | 'progress' | 'result' | 'error';
  data: Record<string, unknown>;
}

type Listener = (e: JobEvent) => void;

/** One load: its events are kept, so a client that subscribes late (or reconnects) still sees all of them. */
export class IngestJob {
  readonly events: JobEvent[] = [];
  done = false;
  readonly #listeners = new Set<Listener>();

  constructor(
    readonly id: string,
    readonly createdBy: string,
  ) {}

  emit(type: JobEvent['type'], data: Record<string, unknown>): void {
    const e = { id: this.events.length + 1, type, data };
    this.events.push(e);
    for (const l of this.#listeners) l(e);
  }

  subscribe(l: Listener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
}

/** Finished jobs kept for late subscribers; older ones are dropped. */
const KEEP_FINISHED = 20;

export interface JobRequest {
  /** staged copies of the uploaded files (their base names are the names the ledger records) */
  paths: string[];
  /** the upload's own folder, removed when the job ends */
  dir: string;
  user: string;
  options: Pick<IngestOptions, 'table' | 'encoding' | 'sheet' | 'asOf'>;
  /** called with the outcome after the load, before subscribers hear of the end (the route audits here) */
  onDone?: (outcome: { result?: IngestResult; error?: unknown }) => Promise<void>;
}

/** The exit code the CLI would give for this result (spec/cli.md): 1 when any row was rejected. */
export function ingestExitCode(result: IngestResult): 0 | 1 {
  return result.batches.some((b) => b.rows_rejected > 0) ? 1 : 0;
}

export class IngestJobs {
  readonly #jobs = new Map<string, IngestJob>();
  constructor(private readonly ctx: ServerContext) {}

  get(id: string): IngestJob | undefined {
    return this.#jobs.get(id);
  }

  start(req: JobRequest): IngestJob {
    const job = new IngestJob(randomUUID(), req.user);
    this.#jobs.set(job.id, job);
    job.emit('queued', { position: writerOf(this.ctx).waiting });
    void writerOf(this.ctx)
      .run(() => this.#run(job, req))
      .finally(() => this.#prune());
    return job;
  }

  async #run(job: IngestJob, req: JobRequest): Promise<void> {
    const rates = new Map<string, number>();
    let outcome: { result?: IngestResult; error?: unknown };
    try {
      const result = await ingestFiles(this.ctx.db, req.paths, {
        ...req.options,
        user: req.user,
        today: todayInBeijing(),
        onProgress: (file, phase, fraction, rows) => {
          const started = rates.get(file) ?? Date.now();
          rates.set(file, started);
          const secs = Math.max(0.001, (Date.now() - started) / 1000);
          job.emit('progress', { file, phase, fraction, rows, rows_per_second: Math.round(rows / secs) });
        },
      });
      outcome = { result };
    } catch (error) {
      outcome = { error };
    }
    await rm(req.dir, { recursive: true, force: true }).catch(() => undefined);
    await req.onDone?.(outcome).catch((e) => this.ctx.log.error('ingest_audit_failed', { error: String(e) }));
    if (outcome.result) {
      job.emit('result', { exit_code: ingestExitCode(outcome.result), ...outcome.result });
    } else if (outcome.error instanceof UserError) {
      job.emit('error', { code: outcome.error.exitCode, message: outcome.error.zh });
    } else {
      const id = Math.random().toString(36).slice(2, 10);
      this.ctx.log.error('ingest_job_failed', { id, job: job.id, error: String(outcome.error) });
      job.emit('error', { code: 3, message: `导入失败：服务器内部错误（编号 ${id}），数据库保持原状。` });
    }
    job.done = true;
  }

  #prune(): void {
    const finished = [...this.#jobs.values()].filter((j) => j.done);
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.#jobs.delete(j.id);
  }
}

// The context type belongs to the server core; these live beside it, one per running server.
const writers = new WeakMap<ServerContext, WriterQueue>();
const jobLists = new WeakMap<ServerContext, IngestJobs>();

export function writerOf(ctx: ServerContext): WriterQueue {
  let w = writers.get(ctx);
  if (!w) writers.set(ctx, (w = new WriterQueue()));
  return w;
}

export function jobsOf(ctx: ServerContext): IngestJobs {
  let j = jobLists.get(ctx);
  if (!j) jobLists.set(ctx, (j = new IngestJobs(ctx)));
  return j;
}
