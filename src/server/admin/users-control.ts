import { z } from 'zod';
import { printUserOp } from '../../cli/commands/users.ts';
import type { Output } from '../../cli/output.ts';
import type { ServerContext } from '../context.ts';
import { runUserOpOnServer } from './server-ops.ts';
import { USER_OPS, type UserOpName } from './users-ops.ts';

/** `zhenjian users …` forwarded by the control channel: `{op, args}` as src/cli/commands/users.ts builds it. */
export const usersControlArgs = z.strictObject({
  op: z.enum(Object.keys(USER_OPS) as [UserOpName, ...UserOpName[]]),
  args: z.record(z.string(), z.unknown()),
});

/**
 * Runs a CLI user operation inside the running server — the same operation the API runs, so a user disabled from
 * the command line loses their sessions at once — and prints what the direct path prints. Needs the server
 * context (sessions, audit trail), not just the database; it takes its own pool connection.
 */
export async function usersViaControl(
  ctx: ServerContext,
  a: z.output<typeof usersControlArgs>,
  out: Output,
  user: string,
): Promise<number> {
  const { value } = await runUserOpOnServer(
    ctx,
    { user, role: 'cli', client: 'local', endpoint: `cli users ${a.op}` },
    a.op,
    a.args,
  );
  printUserOp(out, a.op, value);
  return 0;
}
