import type { RequestHandler } from 'express';
import type { Role } from '../auth/sessions.ts';
import { auditBase, sessionOf, type ServerContext } from '../context.ts';
import { forbidden } from '../http-errors.ts';

/**
 * requireRole that also writes the refusal to the audit trail: an attempt on the administration or audit endpoints
 * by another role is a security event (CJIS AU-2; GB/T 28448 L3-CES1-15).
 */
export function requireRoleAudited(ctx: ServerContext, event: string, ...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    const role = sessionOf(res).user.role;
    if (roles.includes(role)) return next();
    ctx.audit
      .write({ ...auditBase(req, res), event, outcome: 'denied', detail: `role=${role}` })
      .then(() => next(forbidden()), next);
  };
}
