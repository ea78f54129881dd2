import type { RequestHandler } from 'express';
import type { AuditEvent } from './audit/log.ts';
import { auditBase, type ServerContext } from './context.ts';
import { HttpError } from './http-errors.ts';

/**
 * Token buckets per key (client address for sign-in, user for case reads): `perMinute` requests a minute on average,
 * bursts up to the same number. Beyond that, 429 with Retry-After (ASVS 2.4.1: against guessing and mass
 * exfiltration). Buckets idle for a while are dropped, so memory stays bounded by the active keys.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; the seconds to wait when there is none. */
  take(key: string): { ok: true } | { ok: false; retryAfter: number } {
    const t = this.now();
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: t };
    b.tokens = Math.min(this.perMinute, b.tokens + (t - b.at) * rate);
    b.at = t;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.prune(t);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfter: Math.ceil((1 - b.tokens) / rate / 1000) };
  }

  private prune(t: number): void {
    for (const [k, b] of this.buckets) if (t - b.at > 10 * 60_000) this.buckets.delete(k);
  }
}

/**
 * Takes one token for `key`; when there is none, audits the refusal (with `audit`, the caller's record so far) and
 * throws 429 with Retry-After. Shared by the middleware and by routes that limit only some requests.
 */
export async function takeOrRefuse(
  ctx: ServerContext,
  limiter: RateLimiter,
  key: string,
  audit: AuditEvent,
): Promise<void> {
  const r = limiter.take(key);
  if (r.ok) return;
  await ctx.audit.write({ ...audit, event: 'rate_limited', outcome: 'denied' });
  throw new HttpError(429, 'rate_limited', `请求过于频繁，请 ${r.retryAfter} 秒后再试。`, {
    'Retry-After': String(r.retryAfter),
  });
}

/** Middleware: one token per request from the limiter, keyed by `key(req, res)`; refusals are audited. */
export function rateLimit(
  ctx: ServerContext,
  limiter: RateLimiter,
  event: string,
  key: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => string,
): RequestHandler {
  return async (req, res, next) => {
    try {
      await takeOrRefuse(ctx, limiter, key(req, res), {
        ...auditBase(req, res),
        event: 'rate_limited',
        outcome: 'denied',
        detail: event,
      });
      next();
    } catch (e) {
      next(e);
    }
  };
}

const limiters = new WeakMap<ServerContext, { login: RateLimiter; caseReads: RateLimiter }>();

/** The server's two limiters: sign-in attempts per client address, case-level reads per user. */
export function limitersOf(ctx: ServerContext): { login: RateLimiter; caseReads: RateLimiter } {
  let l = limiters.get(ctx);
  if (!l) {
    l = {
      login: new RateLimiter(ctx.config.loginsPerMinute),
      caseReads: new RateLimiter(ctx.config.caseReadsPerMinute),
    };
    limiters.set(ctx, l);
  }
  return l;
}
