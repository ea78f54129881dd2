import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { caseIdsSummary } from '../audit/log.ts';
import { auditBase, sessionOf, type ServerContext } from '../context.ts';
import { HttpError, badRequest, forbidden, notFound } from '../http-errors.ts';

// Shared by the record resources (review campaigns, inspections, meetings): body and query checks with Chinese
// messages, ids, Beijing dates, the role gate and the audited 404.

/** Path ids: ours are `RC-…`, generated ones `MT001`; anything else cannot name a record. */
const ID = /^[\p{L}\p{N}_\-.]{1,64}$/u;

export function pathId(value: string): string {
  if (!ID.test(value)) throw badRequest('编号格式不正确。');
  return value;
}

/**
 * A new record id: a prefix, the time in base 36 and 24 random bits — ids sort in the order records were made and
 * never collide with loaded ones (MT001, IC001).
 */
export function newId(prefix: string): string {
  const time = Date.now().toString(36).toUpperCase().padStart(9, '0');
  return `${prefix}-${time}${randomBytes(3).toString('hex').toUpperCase()}`;
}

const beijing = (ms = Date.now()) => new Date(ms + 8 * 3_600_000).toISOString();
/** Today in Beijing: the default and the upper bound of dates people record (评查日期, 检查日期, …). */
export const beijingToday = (ms?: number) => beijing(ms).slice(0, 10);
/** Beijing wall time as stored in TIMESTAMP columns (the server's DuckDB session is Asia/Shanghai). */
export const beijingNow = (ms?: number) => beijing(ms).slice(0, 19).replace('T', ' ');

export const dateField = (label: string) => z.iso.date({ error: `${label}应为有效日期，格式 YYYY-MM-DD` });
/** A date something was done on: not after today. */
export const pastDate = (label: string) =>
  dateField(label).refine((d) => d <= beijingToday(), { error: `${label}不能晚于今天` });
export const text = (label: string, max: number) =>
  z
    .string({ error: `${label}应为文字` })
    .trim()
    .min(1, { error: `${label}不能为空` })
    .max(max, { error: `${label}最多 ${max} 个字` });

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `不认识的字段：${issue.keys.join('、')}`;
  if (issue.path.length === 0 && issue.code === 'invalid_type') return '请求内容应为 JSON 对象';
  return `${issue.path.join('.') || '请求内容'}：${issue.message}`;
}

/** The request body through a strict zod schema: 400 naming each field and why, unknown fields included. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body ?? undefined);
  if (!parsed.success) throw badRequest(`${parsed.error.issues.map(issueText).join('；')}。`);
  return parsed.data;
}

/** GET parameters: only the listed ones, each given once (spec/api.md: unknown parameters → 400). */
export function checkQuery(req: Request, allowed: readonly string[]): void {
  for (const [k, v] of Object.entries(req.query)) {
    if (!allowed.includes(k))
      throw badRequest(`不认识的参数 ${k}。${allowed.length ? `可用参数：${allowed.join('、')}。` : ''}`);
    if (typeof v !== 'string') throw badRequest(`参数 ${k} 只能给一次，且为单个值。`);
  }
}

/**
 * Only city and district users keep these records (spec/api.md "Who writes what"): admin reads no case-level rows
 * and writes none of them, the auditor sees the audit trail only. The refusal is audited.
 */
export async function requireRecordRole(
  ctx: ServerContext,
  req: Request,
  res: Response,
  event: string,
): Promise<void> {
  const role = sessionOf(res).user.role;
  if (role === 'city' || role === 'district') return;
  await ctx.audit.write({ ...auditBase(req, res), event, outcome: 'denied', detail: 'role' });
  throw forbidden('您的角色不能查看或填写评查、专项检查和联席会议记录。');
}

/** A refusal for a role that may see the record but not write it (e.g. a district user and a 市级 meeting). */
export async function refuse(
  ctx: ServerContext,
  req: Request,
  res: Response,
  event: string,
  why: string,
): Promise<never> {
  await ctx.audit.write({ ...auditBase(req, res), event, outcome: 'denied', detail: 'role' });
  throw forbidden(why);
}

/**
 * Absent and out of scope answer alike (404); the audit record tells them apart: 'denied' when the record exists
 * but lies outside the caller's districts, 'failed' when there is none.
 */
export async function hidden(
  ctx: ServerContext,
  req: Request,
  res: Response,
  event: string,
  exists: boolean,
  caseIds: readonly string[] = [],
): Promise<never> {
  await ctx.audit.write({
    ...auditBase(req, res),
    event,
    outcome: exists ? 'denied' : 'failed',
    detail: exists ? 'out_of_scope' : 'not_found',
    ...caseIdsSummary(caseIds),
  });
  throw notFound();
}

export const conflict = (message: string) => new HttpError(409, 'conflict', message);

/**
 * One check-then-write at a time per key (e.g. one review per sampled decision): the server is one process, so an
 * in-process queue is enough and keeps the tables free of extra unique indexes (DuckDB's caveats with updates).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const mine = before.then(fn, fn);
    const tail = mine.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await mine;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** Parses the JSON text columns of app records (population, criteria, sample, matched, topics, pack). */
export function fromJson<T = unknown>(value: unknown): T | null {
  if (typeof value !== 'string') return (value ?? null) as T | null;
  try {
    return JSON.parse(value) as T;
  } catch {
    // a loaded topics value may be plain text rather than JSON
    return value as T;
  }
}
