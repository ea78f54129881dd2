import { Router } from 'express';
import { getDataAsOf } from '../../../ingest/asOf.ts';
import { all } from '../../db/sql.ts';
import { z } from 'zod';
import { auditBase, sessionOf, type ServerContext } from '../context.ts';
import { HttpError, badRequest } from '../http-errors.ts';
import { authenticate, cookieName, readCookie, sessionTag } from './middleware.ts';
import { decoyHash, verifyPassword } from './password.ts';
import { verifyTotp } from './totp.ts';
import { totpEnrolmentRequired, totpRequiredForPrivileged } from '../admin/settings-ops.ts';
import { limitersOf, rateLimit } from '../rate-limit.ts';
import { ROLE_LABELS, findUser, recordFailure, recordLogin, toSessionUser } from './users.ts';

/** One message for unknown user, wrong password and locked account (spec/api.md; ASVS 6.3.8: no enumeration). */
export const LOGIN_FAILED = '用户名或密码错误，或账户已锁定';

const loginSchema = z.strictObject({
  username: z.string().max(64),
  password: z.string().max(1024),
  otp: z.string().max(16).optional(),
});

export function authRoutes(ctx: ServerContext): Router {
  const router = Router();
  const name = cookieName(ctx.config.secure);
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: ctx.config.secure,
    path: '/',
  };

  // a client address gets a few attempts a minute whatever usernames it tries (the lockout is per account)
  const loginLimit = rateLimit(ctx, limitersOf(ctx).login, 'login', (req) => req.ip ?? '');
  router.post('/session', loginLimit, async (req, res) => {
    const parsed = loginSchema.safeParse(req.body);
    if (!parsed.success) throw badRequest('请提供用户名和密码。');
    const { username, password, otp } = parsed.data;
    const base = { client: req.ip, endpoint: 'POST /api/v1/session', user: username };
    const user = await ctx.pool.use((c) => findUser(c, username));
    // always pay for one scrypt, so the answer's timing does not say whether the account exists
    const passwordOk = await verifyPassword(password, user?.password_hash ?? (await decoyHash()));
    const fail = async (detail: string) => {
      await ctx.audit.write({ ...base, event: 'login', outcome: 'failed', detail });
      throw new HttpError(401, 'login_failed', LOGIN_FAILED);
    };
    if (!user) return fail('unknown_user');
    if (user.disabled_at) return fail('disabled');
    if (user.locked_at) return fail('locked');
    if (!passwordOk) {
      const locked = await ctx.pool.use((c) => recordFailure(c, username));
      if (locked) await ctx.audit.write({ ...base, event: 'account_locked', outcome: 'ok', role: user.role });
      return fail('wrong_password');
    }
    if (user.totp_secret) {
      if (!otp) throw new HttpError(401, 'otp_required', '请输入动态口令（6 位数字）。');
      if (!verifyTotp(user.totp_secret, otp)) {
        const locked = await ctx.pool.use((c) => recordFailure(c, username));
        if (locked)
          await ctx.audit.write({ ...base, event: 'account_locked', outcome: 'ok', role: user.role });
        return fail('wrong_otp');
      }
    } else if (
      (user.role === 'admin' || user.role === 'auditor') &&
      (await ctx.pool.use(totpRequiredForPrivileged))
    ) {
      // the password was right, so saying why reveals nothing a guesser could use
      await ctx.audit.write({
        ...base,
        event: 'login',
        outcome: 'denied',
        role: user.role,
        detail: 'totp_not_enrolled',
      });
      throw new HttpError(403, 'totp_enrolment_required', totpEnrolmentRequired(username));
    }
    await ctx.pool.use((c) => recordLogin(c, user.user_id, username));
    // a fresh id at every sign-in (ASVS 7.2.4); an old session this browser held ends here
    const old = readCookie(req, name);
    if (old) ctx.sessions.delete(old);
    const session = ctx.sessions.create(toSessionUser(user));
    res.cookie(name, session.id, cookieOptions);
    await ctx.audit.write({
      ...base,
      event: 'login',
      outcome: 'ok',
      role: user.role,
      agency: user.agency,
      session: sessionTag(session.id),
    });
    res.json({ user: publicUser(session.user) });
  });

  router.delete('/session', authenticate(ctx), async (req, res) => {
    const s = sessionOf(res);
    ctx.sessions.delete(s.id);
    res.clearCookie(name, cookieOptions);
    await ctx.audit.write({ ...auditBase(req, res), event: 'logout', outcome: 'ok' });
    res.status(204).end();
  });

  // what the app needs to draw its frame: who, which districts (with names), and the data-as-of date
  router.get('/me', authenticate(ctx), async (_req, res) => {
    const user = sessionOf(res).user;
    const { districts, asOf } = await ctx.pool.use(async (conn) => ({
      districts: await all<{ code: string; name: string }>(
        conn,
        'SELECT code, name FROM districts WHERE list_contains($d, code) ORDER BY code',
        { d: user.districts },
      ),
      asOf: (await getDataAsOf(conn)).date,
    }));
    res.json({
      user: publicUser(user),
      districts,
      data_as_of: asOf ?? null,
      idle_minutes: ctx.config.idleMinutes,
    });
  });

  return router;
}

function publicUser(u: ReturnType<typeof toSessionUser>) {
  return { ...u, role_label: ROLE_LABELS[u.role] };
}
