import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../../db/errors.ts';
import type { AuditEvent } from '../audit/log.ts';
import type { ServerContext } from '../context.ts';
import { USER_OPS, type UserOpName, type UserOpOutcome, type UserOpValue } from './users-ops.ts';

export type Actor = Pick<AuditEvent, 'user' | 'role' | 'agency' | 'session' | 'client' | 'endpoint'>;

// User changes run one at a time in this process: two admins demoting each other at the same moment must not
// both pass the last-admin check (DuckDB sees no conflict between updates of different rows).
let queue: Promise<unknown> = Promise.resolve();
function serially<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.then(fn, fn);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Runs a user operation inside the running server, for the admin API and the control channel alike: on the pool,
 * one at a time; ends the target's sessions at once when the operation says so; audits success and failure.
 */
export async function runUserOpOnServer<N extends UserOpName>(
  ctx: ServerContext,
  actor: Actor,
  name: N,
  args: unknown,
): Promise<{ value: UserOpValue<N>; sessionsEnded: number }> {
  const op = USER_OPS[name] as {
    event: string;
    run(conn: DuckDBConnection, args: unknown): Promise<UserOpOutcome<UserOpValue<N>>>;
  };
  try {
    const outcome = await serially(() => ctx.pool.use((conn) => op.run(conn, args)));
    const sessionsEnded =
      outcome.endSessionsOf === undefined ? 0 : ctx.sessions.deleteUser(outcome.endSessionsOf);
    await ctx.audit.write({
      ...actor,
      event: op.event,
      outcome: 'ok',
      detail: sessionsEnded > 0 ? `${outcome.detail} sessions_ended=${sessionsEnded}` : outcome.detail,
    });
    return { value: outcome.value, sessionsEnded };
  } catch (err) {
    await ctx.audit.write({
      ...actor,
      event: op.event,
      outcome: 'failed',
      detail: err instanceof UserError ? err.en : 'error',
    });
    throw err;
  }
}
