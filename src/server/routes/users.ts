import { Router, type Request, type Response } from 'express';
import { requireRoleAudited } from '../admin/guard.ts';
import { runUserOpOnServer } from '../admin/server-ops.ts';
import { cookieName } from '../auth/middleware.ts';
import { auditBase, sessionOf, type ServerContext } from '../context.ts';
import { notFound } from '../http-errors.ts';

/** `:id` as a user id; anything else is simply not a user (404), never a parse error that echoes input. */
function userId(req: Request<{ id: string }>): number {
  if (!/^\d{1,9}$/.test(req.params.id)) throw notFound();
  return Number(req.params.id);
}

const body = (req: Request): Record<string, unknown> =>
  req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {};

/**
 * User administration (spec/api.md `…/users`, admin only) and a user's own password change. Every call, refused or
 * not, is audited; changes of role or scope, disabling and password resets end the user's sessions at once.
 */
export function userRoutes(ctx: ServerContext): Router {
  const router = Router();
  const admin = requireRoleAudited(ctx, 'user_admin', 'admin');
  const op = (req: Request, res: Response) => ({
    run: <N extends Parameters<typeof runUserOpOnServer>[2]>(name: N, args: unknown) =>
      runUserOpOnServer(ctx, auditBase(req, res), name, args),
  });

  router.get('/users', admin, async (req, res) => {
    const { value } = await op(req, res).run('list', {});
    res.json({ users: value });
  });

  router.post('/users', admin, async (req, res) => {
    const { value } = await op(req, res).run('add', body(req));
    res.status(201).json({ user: value });
  });

  router.patch('/users/:id', admin, async (req: Request<{ id: string }>, res: Response) => {
    const { value, sessionsEnded } = await op(req, res).run('update', { ...body(req), user: userId(req) });
    res.json({ user: value, sessions_ended: sessionsEnded });
  });

  router.post('/users/:id/unlock', admin, async (req: Request<{ id: string }>, res: Response) => {
    const { value } = await op(req, res).run('unlock', { user: userId(req) });
    res.json({ user: value });
  });

  router.post('/users/:id/password', admin, async (req: Request<{ id: string }>, res: Response) => {
    const { value, sessionsEnded } = await op(req, res).run('reset_password', {
      ...body(req),
      user: userId(req),
    });
    res.json({ user: value, sessions_ended: sessionsEnded });
  });

  router.post('/users/:id/totp', admin, async (req: Request<{ id: string }>, res: Response) => {
    const { value } = await op(req, res).run('totp_enrol', { user: userId(req) });
    res.json(value);
  });

  router.delete('/users/:id/totp', admin, async (req: Request<{ id: string }>, res: Response) => {
    const { value } = await op(req, res).run('totp_remove', { user: userId(req) });
    res.json({ user: value });
  });

  router.post('/users/:id/sessions/revoke', admin, async (req: Request<{ id: string }>, res: Response) => {
    const { sessionsEnded } = await op(req, res).run('revoke_sessions', { user: userId(req) });
    res.json({ sessions_ended: sessionsEnded });
  });

  router.post('/me/password', async (req, res) => {
    const me = sessionOf(res).user;
    await op(req, res).run('change_own_password', { ...body(req), user: me.user_id });
    // this session ended with the others: the browser signs in again with the new password
    res.clearCookie(cookieName(ctx.config.secure), {
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.config.secure,
      path: '/',
    });
    res.status(204).end();
  });

  return router;
}
