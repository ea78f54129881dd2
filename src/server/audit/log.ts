import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * The audit trail (京检发〔2022〕169号 第26–27条; CJIS AU-2/AU-3; ASVS 16.x): one JSON line per event in a file
 * beside the database — outside it, so restoring a backup never rolls the trail back. Each record carries the hash
 * of the one before (a hash chain), so editing, deleting or reordering a line breaks the chain at that point, which
 * `zhenjian audit verify` reports. No code path rewrites or truncates the file: it is only ever appended to.
 */
export interface AuditEvent {
  event: string;
  outcome: 'ok' | 'denied' | 'failed' | 'error';
  user?: string;
  role?: string;
  agency?: string | null;
  /** a hash of the session id: enough to group a session's events, useless as a cookie */
  session?: string;
  client?: string;
  endpoint?: string;
  purpose?: string;
  query?: string;
  params?: Record<string, unknown>;
  /** case ids of a case-level response (up to 200), and the hash and count of all of them */
  case_ids?: string[];
  case_ids_hash?: string;
  rows?: number;
  bytes?: number;
  duration_ms?: number;
  detail?: string;
}

export interface AuditRecord extends AuditEvent {
  seq: number;
  ts: string;
  prev: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);
const MAX_LISTED_IDS = 200;

export function auditPath(dbPath: string): string {
  return `${dbPath}.audit.jsonl`;
}

/** Beijing time with milliseconds and an explicit offset (CJIS AU-8, ASVS 16.2.2). */
export function beijingTimestamp(ms = Date.now()): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 23)}+08:00`;
}

function recordHash(r: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(JSON.stringify(r)).digest('hex');
}

export function caseIdsSummary(ids: readonly string[]): Pick<AuditEvent, 'case_ids' | 'case_ids_hash'> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return {};
  const hash = createHash('sha256').update(unique.sort().join('\n')).digest('hex');
  return { case_ids: unique.slice(0, MAX_LISTED_IDS), case_ids_hash: hash };
}

/** The last complete line of the file, read from its end (the trail grows for years; never read it all at start). */
function lastLine(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    let chunk = 64 * 1024;
    for (;;) {
      const start = Math.max(0, size - chunk);
      const buf = Buffer.alloc(size - start);
      readSync(fd, buf, 0, buf.length, start);
      const text = buf.toString('utf8').replace(/\n+$/, '');
      const i = text.lastIndexOf('\n');
      if (i >= 0 || start === 0) return text.slice(i + 1) || undefined;
      chunk *= 4;
    }
  } finally {
    closeSync(fd);
  }
}

export class AuditLog {
  private seq = 0;
  private prev = GENESIS;
  private handle?: FileHandle;
  private queue: string[] = [];
  private waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private flushing?: Promise<void>;
  private closed = false;

  private constructor(readonly path: string) {}

  static async open(path: string): Promise<AuditLog> {
    const log = new AuditLog(path);
    const last = lastLine(path);
    if (last) {
      const r = JSON.parse(last) as AuditRecord;
      log.seq = r.seq;
      log.prev = r.hash;
    }
    log.handle = await open(path, 'a', 0o600);
    return log;
  }

  /**
   * Appends one event. The chain position is taken at once (so order is the order of calls); the write itself is
   * batched with others in flight, so a slow disk delays audit writes, not unrelated requests' queries.
   */
  write(event: AuditEvent): Promise<AuditRecord> {
    // an event that cannot be recorded must fail its request, never pass silently
    if (this.closed) return Promise.reject(new Error('审计日志已关闭'));
    const base = { seq: this.seq + 1, ts: beijingTimestamp(), ...event, prev: this.prev };
    const record: AuditRecord = { ...base, hash: recordHash(base) };
    this.seq = record.seq;
    this.prev = record.hash;
    this.queue.push(`${JSON.stringify(record)}\n`);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.flushing ??= this.flush();
    }).then(() => record);
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const lines = this.queue.join('');
      const done = this.waiting;
      this.queue = [];
      this.waiting = [];
      try {
        await this.handle!.appendFile(lines, 'utf8');
        await this.handle!.datasync();
        for (const d of done) d.resolve();
      } catch (err) {
        for (const d of done) d.reject(err as Error);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await this.handle?.close();
  }
}

export interface VerifyResult {
  ok: boolean;
  records: number;
  /** the first record that does not follow from the one before, and why */
  broken?: { line: number; seq?: number; reason: string };
  head?: string;
}

/** Recomputes the chain from the first line; stops at the first break. */
export async function verifyAuditLog(path: string): Promise<VerifyResult> {
  if (!existsSync(path)) return { ok: true, records: 0, head: GENESIS };
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let prev = GENESIS;
  let expectedSeq = 1;
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text === '') continue;
    let r: AuditRecord;
    try {
      r = JSON.parse(text) as AuditRecord;
    } catch {
      return { ok: false, records: line - 1, broken: { line, reason: '该行不是有效的 JSON 记录' } };
    }
    const { hash, ...rest } = r;
    if (r.prev !== prev)
      return {
        ok: false,
        records: line - 1,
        broken: { line, seq: r.seq, reason: '与上一条记录的哈希不衔接（记录被删除、插入或调换）' },
      };
    if (r.seq !== expectedSeq)
      return {
        ok: false,
        records: line - 1,
        broken: { line, seq: r.seq, reason: `序号应为 ${expectedSeq}` },
      };
    if (recordHash(rest) !== hash)
      return {
        ok: false,
        records: line - 1,
        broken: { line, seq: r.seq, reason: '记录内容与其哈希不符（记录被修改）' },
      };
    prev = hash;
    expectedSeq++;
  }
  return { ok: true, records: expectedSeq - 1, head: prev };
}
