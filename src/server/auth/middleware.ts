import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { ServerContext } from '../context.ts';
import { HttpError, forbidden } from '../http-errors.ts';
import type { Role } from './sessions.ts';

export const COOKIE = 'zj_session';
/** `__Host-` binds the cookie to this host and path / over TLS (ASVS 3.3.1). */
export const cookieName = (secure: boolean) => (secure ? `__Host-${COOKIE}` : COOKIE);

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** An audit handle for a session: groups its events without revealing the cookie value. */
export const sessionTag = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 16);

/** Every /api/v1 route except sign-in: a live server-side session or 401. */
export function authenticate(ctx: ServerContext): RequestHandler {
  return (req, res, next) => {
    const { session, expired } = ctx.sessions.get(readCookie(req, cookieName(ctx.config.secure)));
    if (!session) {
      return next(
        expired
          ? new HttpError(401, 'session_expired', '会话已超时，请重新登录。')
          : new HttpError(401, 'unauthenticated', '请先登录。'),
      );
    }
    res.locals.session = session;
    res.locals.sessionTag = sessionTag(session.id);
    next();
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const role = (res.locals.session as { user: { role: Role } } | undefined)?.user.role;
    if (!role || !roles.includes(role)) return next(forbidden());
    next();
  };
}
