import { Router } from 'express';
import { UserError } from '../../db/errors.ts';
import { requireRoleAudited } from '../admin/guard.ts';
import { applyIdleMinutes, applyStoredOptions } from '../admin/runtime-options.ts';
import { parseSettingsPatch, readSettings, updateSettings } from '../admin/settings-ops.ts';
import { findUserById } from '../auth/users.ts';
import { auditBase, sessionOf, type ServerContext } from '../context.ts';
import { HttpError, badRequest } from '../http-errors.ts';

let settingsWrites: Promise<unknown> = Promise.resolve();

/**
 * Thresholds and options (spec/api.md `GET/PATCH /settings`, admin only). A changed threshold applies to the next
 * module run (modules read thresholds at every run; the marts are rebuilt, and a mart built with other values is
 * never used). A changed idle timeout applies from the next request on.
 */
export function settingsRoutes(ctx: ServerContext): Router {
  // start.ts is the serve work's file: the stored idle timeout is applied from here, once, as the app is built
  applyStoredOptions(ctx).catch((err: unknown) =>
    ctx.log.error('settings_load_failed', { error: String((err as Error)?.message ?? err) }),
  );
  const router = Router();
  const admin = requireRoleAudited(ctx, 'settings', 'admin');

  router.get('/settings', admin, async (_req, res) => {
    res.json(await ctx.pool.use((conn) => readSettings(conn, ctx.config.idleMinutes)));
  });

  router.patch('/settings', admin, async (req, res) => {
    const audit = { ...auditBase(req, res), event: 'settings_update' };
    try {
      const patch = parseSettingsPatch(req.body);
      const me = sessionOf(res).user;
      const run = () =>
        ctx.pool.use(async (conn) => {
          if (patch.options?.['auth.totp_required_privileged'] === true) {
            const self = await findUserById(conn, me.user_id);
            // turning it on without a second factor of one's own would lock this admin out at the next sign-in
            if (!self?.totp_secret)
              throw badRequest(
                `请先为您自己的账户启用动态口令（zhenjian users totp --username ${me.username}，或 POST /api/v1/users/${me.user_id}/totp），再开启此选项。`,
              );
          }
          return updateSettings(conn, patch);
        }, 120_000);
      const next = settingsWrites.then(run, run);
      settingsWrites = next.catch(() => undefined);
      const change = await next;
      if (change.mart_refresh_error)
        ctx.log.error('mart_refresh_failed', { after: 'settings_update', error: change.mart_refresh_error });
      const idle = change.options['session.idle_minutes'];
      if (idle !== undefined) applyIdleMinutes(ctx, idle);
      await ctx.audit.write({ ...audit, outcome: 'ok', detail: change.changes.join('; ') || 'no_change' });
      const view = await ctx.pool.use((conn) => readSettings(conn, ctx.config.idleMinutes));
      res.json({ ...view, changed: change.changes, mart_refresh_seconds: change.mart_refresh_seconds });
    } catch (err) {
      const why = err instanceof UserError ? err.en : err instanceof HttpError ? err.code : 'error';
      await ctx.audit.write({ ...audit, outcome: 'failed', detail: why.slice(0, 200) });
      throw err;
    }
  });

  return router;
}
