import { userInfo } from 'node:os';
import { UserError } from '../../db/errors.ts';
import { openDatabase } from '../../db/open.ts';
import { one } from '../../db/sql.ts';
import { AuditLog, auditPath } from '../audit/log.ts';
import { USER_OPS, type UserOpName, type UserOpOutcome, type UserOpValue } from './users-ops.ts';

/** The audit identity of a command-line action (spec/cli.md): `cli:<OS user>`. */
export const cliUser = () => `cli:${userInfo().username}`;

/**
 * Runs a user operation on the database file itself, when no server holds it, and appends the action to the same
 * audit trail as `cli:<OS user>`. The trail is opened only after the database: a running server holds the file,
 * so reaching this point means no server is writing the trail at the same time. There are no sessions to end —
 * sessions live in a server's memory.
 */
export async function runUserOpDirect<N extends UserOpName>(
  dbPath: string,
  name: N,
  args: unknown,
): Promise<UserOpValue<N>> {
  const db = await openDatabase(dbPath);
  try {
    const table = await one<{ n: number }>(
      db.conn,
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'users'",
    );
    if (table!.n === 0)
      throw new UserError(
        `数据库 ${db.path} 尚未初始化或版本过旧：请先运行 zhenjian init。`,
        `Run zhenjian init first.`,
        2,
      );
    const audit = await AuditLog.open(auditPath(db.path));
    const op = USER_OPS[name];
    const actor = { user: cliUser(), role: 'cli', client: 'local', endpoint: `cli users ${name}` };
    try {
      const outcome = (await op.run(db.conn, args)) as UserOpOutcome<UserOpValue<N>>;
      await audit.write({ ...actor, event: op.event, outcome: 'ok', detail: outcome.detail });
      return outcome.value;
    } catch (err) {
      await audit.write({
        ...actor,
        event: op.event,
        outcome: 'failed',
        detail: err instanceof UserError ? err.en : 'error',
      });
      throw err;
    } finally {
      await audit.close();
    }
  } finally {
    db.close();
  }
}
