import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from '../../db/errors.ts';
import type { AuditRecord } from '../audit/log.ts';

const NEWLINE = 0x0a;

/**
 * The complete lines of a file, last first, read in chunks from its end: the newest records come first without
 * reading years of trail, and memory stays at one chunk plus the longest line. The size is taken once, and a last
 * line still being appended (no newline yet) is skipped, so a concurrent write never yields half a record.
 */
export async function* linesFromEnd(path: string, chunkSize = 64 * 1024): AsyncGenerator<string> {
  const fh = await open(path, 'r');
  try {
    let pos = (await fh.stat()).size;
    let carry = Buffer.alloc(0);
    let trimmed = false;
    while (pos > 0) {
      const n = Math.min(chunkSize, pos);
      pos -= n;
      const chunk = Buffer.alloc(n);
      await fh.read(chunk, 0, n, pos);
      let data = Buffer.concat([chunk, carry]);
      carry = Buffer.alloc(0);
      if (!trimmed) {
        // drop an unterminated tail: a record being written right now
        const last = data.lastIndexOf(NEWLINE);
        if (last < 0) continue;
        data = data.subarray(0, last + 1);
        trimmed = true;
      }
      // bytes before the first newline belong to a line that starts in an earlier chunk
      let body = data;
      if (pos > 0) {
        const first = data.indexOf(NEWLINE);
        if (first < 0) {
          carry = data;
          continue;
        }
        carry = data.subarray(0, first + 1);
        body = data.subarray(first + 1);
      }
      const lines = body.toString('utf8').split('\n');
      lines.pop(); // after the final newline: nothing
      for (let i = lines.length - 1; i >= 0; i--) if (lines[i] !== '') yield lines[i]!;
    }
  } finally {
    await fh.close();
  }
}

const isoDate = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${what}应为日期 YYYY-MM-DD` })
    .refine((v) => new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v, {
      error: `${what}不是有效日期`,
    });
const count = (what: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, { error: `${what}应为整数` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: `${what}应在 ${min}–${max} 之间` });

export const auditFilterSchema = z
  .strictObject({
    from: isoDate('from（起始日期）').optional(),
    to: isoDate('to（截止日期）').optional(),
    user: z.string().min(1).max(100).optional(),
    event: z
      .string()
      .regex(/^[a-z_]{1,40}$/, { error: 'event 应为事件名，如 login、query' })
      .optional(),
    outcome: z
      .enum(['ok', 'denied', 'failed', 'error'], { error: 'outcome 应为 ok、denied、failed 或 error' })
      .optional(),
    case_id: z
      .string()
      .regex(/^[\p{L}\p{N}_\-.]{1,100}$/u, { error: 'case_id 格式不正确' })
      .optional(),
    limit: count('limit', 1, 1000).default(100),
    offset: count('offset', 0, 100_000_000).default(0),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { error: 'from 不能晚于 to' });
export type AuditFilter = z.output<typeof auditFilterSchema>;

export function parseAuditFilter(input: unknown): AuditFilter {
  const parsed = auditFilterSchema.safeParse(input);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) =>
      i.code === 'unrecognized_keys'
        ? `未知参数 ${i.keys.join('、')}`
        : `${i.path.join('.') || '参数'}：${i.message}`,
    );
    throw new UserError(`审计查询参数有误：${msgs.join('；')}。`, 'Bad audit filter.', 2);
  }
  return parsed.data;
}

function matches(r: AuditRecord, f: AuditFilter): boolean {
  const day = r.ts.slice(0, 10); // the timestamp is Beijing time: its date is the Beijing date
  if (f.to && day > f.to) return false;
  if (f.from && day < f.from) return false;
  if (f.user !== undefined && r.user !== f.user) return false;
  if (f.event !== undefined && r.event !== f.event) return false;
  if (f.outcome !== undefined && r.outcome !== f.outcome) return false;
  if (f.case_id !== undefined && !(r.case_ids ?? []).includes(f.case_id)) return false;
  return true;
}

/**
 * Records that match, newest first, one page of them. Reading stops at the page's end, or at the first record
 * dated before `from` (records are appended in time order). `case_id` matches the listed ids; a response with
 * more than 200 case ids lists only the first 200 (their full set is pinned by case_ids_hash).
 */
export async function readAudit(
  path: string,
  f: AuditFilter,
): Promise<{ records: AuditRecord[]; has_more: boolean; scanned: number }> {
  const records: AuditRecord[] = [];
  if (!existsSync(path)) return { records, has_more: false, scanned: 0 };
  let skipped = 0;
  let scanned = 0;
  for await (const line of linesFromEnd(path)) {
    scanned++;
    let r: AuditRecord;
    try {
      r = JSON.parse(line) as AuditRecord;
    } catch {
      continue; // a damaged line is for `audit verify` to name; the reader shows what it can
    }
    if (f.from && typeof r.ts === 'string' && r.ts.slice(0, 10) < f.from) break;
    if (!matches(r, f)) continue;
    if (skipped < f.offset) {
      skipped++;
      continue;
    }
    if (records.length === f.limit) return { records, has_more: true, scanned };
    records.push(r);
  }
  return { records, has_more: false, scanned };
}
