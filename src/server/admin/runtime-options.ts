import type { SessionLimits } from '../auth/sessions.ts';
import type { ServerContext } from '../context.ts';
import { readOptions } from './settings-ops.ts';

/**
 * Applies the idle timeout to the running server: /me reports it and the session store enforces it from the next
 * request on. SessionStore keeps its limits private and has no setter (src/server/auth/sessions.ts is not ours to
 * change), so its limits object is reached through a narrow cast; a `setIdleMinutes` there would be the clean way.
 */
export function applyIdleMinutes(ctx: ServerContext, minutes: number): void {
  ctx.config.idleMinutes = minutes;
  (ctx.sessions as unknown as { limits: SessionLimits }).limits.idleMs = minutes * 60_000;
}

/** The stored idle timeout, if an administrator set one, applied at start (it overrides the configured default). */
export async function applyStoredOptions(ctx: ServerContext): Promise<void> {
  const o = await ctx.pool.use((conn) => readOptions(conn));
  if (o.stored.includes('session.idle_minutes')) applyIdleMinutes(ctx, o['session.idle_minutes']);
}
