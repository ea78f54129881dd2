import { z } from 'zod';
import type { Output } from '../../cli/output.ts';
import { backupWith } from '../../cli/commands/backup.ts';
import { briefingViaControl } from '../../cli/commands/briefing.ts';
import { calendarImportWith } from '../../cli/commands/calendar.ts';
import { ingestWith } from '../../cli/commands/ingest.ts';
import { initWith } from '../../cli/commands/init.ts';
import { queryWith } from '../../cli/commands/query.ts';
import type { Database } from '../../db/open.ts';
import { usersControlArgs, usersViaControl } from '../admin/users-control.ts';
import { briefingBody } from '../briefings/request.ts';
import type { ServerContext } from '../context.ts';

/** What a command may use besides the database and its arguments. */
export interface CommandEnv {
  /** the running server's context (sessions, audit trail, pool) for commands that act as the API does */
  ctx: ServerContext;
  /** `cli:<OS user>`: the audit user of a CLI call */
  user: string;
  /** the staged copy of a file the CLI streamed to the server (upload id → path) */
  file(uploadId: string): string;
  /** a progress line for the CLI's bar */
  progress(label: string, fraction: number, rows: number): void;
  /** the server's staging folder (inside DuckDB's allowed directories) */
  stagingDir: string;
}

/**
 * A CLI command as the control channel runs it: the same function the CLI calls on its own database, given the
 * server's database, validated JSON arguments and an Output whose lines go back to the CLI. `writer` commands
 * take turns on the server's writer connection (db.conn); `reader` ones get a pool connection as db.conn;
 * `context` ones get neither and work through env.ctx as the API routes do (they must not use db.conn).
 */
export interface ControlCommand<A = unknown> {
  mode: 'writer' | 'reader' | 'context';
  args: z.ZodType<A>;
  run(db: Database, args: A, out: Output, env: CommandEnv): Promise<number>;
}

function command<A>(c: ControlCommand<A>): ControlCommand<unknown> {
  return c as ControlCommand<unknown>;
}

const uploadId = z.string().regex(/^[0-9a-f-]{36}$/);

/**
 * The commands the CLI may send. Another command joins by adding a line here with its own function of the same
 * shape (database, arguments, Output, env) → exit code, and by calling `callServer` from its CLI file.
 */
export const CONTROL_COMMANDS: Record<string, ControlCommand<unknown>> = {
  init: command({ mode: 'writer', args: z.strictObject({}), run: (db, _a, out) => initWith(db, out) }),
  ingest: command({
    mode: 'writer',
    args: z.strictObject({
      files: z.array(uploadId).max(100),
      mapping: uploadId.optional(),
      table: z.string().max(40).optional(),
      encoding: z.string().max(20).optional(),
      sheet: z.string().max(100).optional(),
      asOf: z.string().max(20).optional(),
      today: z.iso.date(),
    }),
    run: (db, a, out, env) =>
      ingestWith(
        db,
        a.files.map((f) => env.file(f)),
        {
          table: a.table,
          mappingPath: a.mapping ? env.file(a.mapping) : undefined,
          encoding: a.encoding,
          sheet: a.sheet,
          asOf: a.asOf,
          user: env.user,
          today: a.today,
        },
        out,
        env.progress,
      ),
  }),
  // context: case-level output is audited in the server's own trail (one writer of the chain)
  query: command({
    mode: 'context',
    args: z.strictObject({
      name: z.string().max(80),
      params: z.record(z.string(), z.string()),
      purpose: z.string().max(200).optional(),
      format: z.enum(['json', 'csv', 'xlsx', 'arrow']).default('json'),
    }),
    run: (_db, a, out, env) =>
      env.ctx.pool.use((conn) =>
        queryWith(conn, a.name, a.params, out, {
          log: env.ctx.audit,
          user: env.user,
          purpose: a.purpose,
          format: a.format,
        }),
      ),
  }),
  'calendar-import': command({
    mode: 'writer',
    args: z.strictObject({
      days: z.array(
        z.strictObject({ date: z.string(), kind: z.enum(['休', '班']), name: z.string().optional() }),
      ),
      source: z.string().max(300),
    }),
    run: (db, a, out) => calendarImportWith(db, a.days, a.source, out),
  }),
  users: command({
    mode: 'context',
    args: usersControlArgs,
    run: (_db, a, out, env) => usersViaControl(env.ctx, a, out, env.user),
  }),
  backup: command({
    mode: 'writer',
    args: z.strictObject({ out: z.string().min(1).max(4096) }),
    run: (db, a, out, env) => backupWith(db, a.out, out, { stagingDir: env.stagingDir }),
  }),
  // context: the render goes through the pool and the print page like the API's; the file comes back as the result
  briefing: command({
    mode: 'context',
    args: briefingBody,
    run: (_db, a, out, env) => briefingViaControl(env.ctx, a, out, env.user),
  }),
};
