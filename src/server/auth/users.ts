import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { UserError } from '../../db/errors.ts';
import { all, one, run } from '../../db/sql.ts';
import { hashPassword, passwordProblem } from './password.ts';
import type { Role, SessionUser } from './sessions.ts';

export const ROLES = ['admin', 'city', 'district', 'auditor'] as const;
export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  city: '市级办公室',
  district: '区级用户',
  auditor: '审计员',
};
export const LOCK_AFTER_FAILURES = 5;
export const FAILURE_WINDOW_MINUTES = 15;

export interface UserRow extends SessionUser {
  password_hash: string;
  totp_secret: string | null;
  created_at: string;
  last_login_at: string | null;
  locked_at: string | null;
  disabled_at: string | null;
}

const district = z.enum(ALL_DISTRICTS, { error: '区划代码应为北京市 16 个区之一（如 110105）' });

/** A new user as the CLI and the admin API accept it; scope follows from the role (spec/api.md). */
export const newUserSchema = z
  .strictObject({
    username: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,32}$/, { error: '用户名为 3–32 个字母、数字、下划线、点或连字符' }),
    role: z.enum(ROLES, { error: '角色应为 admin、city、district 或 auditor' }),
    agency: z.enum(['检察', '公安'], { error: '单位应为 检察 或 公安' }).nullable().default(null),
    districts: z.array(district).default([]),
    password: z.string(),
  })
  .superRefine((u, ctx) => {
    const problem = passwordProblem(u.password);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
    if (u.role === 'district' && u.districts.length === 0)
      ctx.addIssue({ code: 'custom', path: ['districts'], message: '区级用户至少要有一个区' });
    if (u.role === 'district' && !u.agency)
      ctx.addIssue({ code: 'custom', path: ['agency'], message: '区级用户须注明单位（检察 或 公安）' });
    if (u.role !== 'district' && u.districts.length > 0)
      ctx.addIssue({ code: 'custom', path: ['districts'], message: '只有区级用户按区限定范围' });
  });
export type NewUser = z.input<typeof newUserSchema>;

/** The districts a role sees: city all 16; district its list; admin and auditor no case rows at all. */
export function scopeOf(role: Role, districts: readonly string[]): string[] {
  if (role === 'city') return [...ALL_DISTRICTS];
  if (role === 'district') return [...districts];
  return [];
}

const COLUMNS = `user_id, username, role, agency, districts, password_hash, totp_secret,
  strftime(created_at, '%Y-%m-%d %H:%M:%S') AS created_at, strftime(last_login_at, '%Y-%m-%d %H:%M:%S') AS last_login_at,
  strftime(locked_at, '%Y-%m-%d %H:%M:%S') AS locked_at, strftime(disabled_at, '%Y-%m-%d %H:%M:%S') AS disabled_at`;

export async function findUser(conn: DuckDBConnection, username: string): Promise<UserRow | undefined> {
  return one<UserRow>(conn, `SELECT ${COLUMNS} FROM users WHERE username = $u`, { u: username });
}

export async function findUserById(conn: DuckDBConnection, id: number): Promise<UserRow | undefined> {
  return one<UserRow>(conn, `SELECT ${COLUMNS} FROM users WHERE user_id = $id`, { id });
}

export async function listUsers(
  conn: DuckDBConnection,
): Promise<Omit<UserRow, 'password_hash' | 'totp_secret'>[]> {
  const rows = await all<UserRow>(conn, `SELECT ${COLUMNS} FROM users ORDER BY user_id`);
  return rows.map(({ password_hash: _p, totp_secret, ...rest }) => ({
    ...rest,
    totp_enrolled: totp_secret !== null,
  }));
}

export async function countUsers(conn: DuckDBConnection): Promise<number> {
  return (await one<{ n: number }>(conn, 'SELECT count(*) AS n FROM users'))!.n;
}

export function parseNewUser(input: unknown): z.output<typeof newUserSchema> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => `${i.path.join('.') || '用户'}：${i.message}`);
    throw new UserError(`用户信息有误：${msgs.join('；')}。`, 'Bad user.', 2);
  }
  return parsed.data;
}

export async function addUser(conn: DuckDBConnection, input: unknown): Promise<SessionUser> {
  const u = parseNewUser(input);
  if (await findUser(conn, u.username))
    throw new UserError(`用户名 ${u.username} 已存在。`, `User ${u.username} exists.`, 2);
  await run(
    conn,
    `INSERT INTO users (username, role, agency, districts, password_hash, created_at, password_changed_at)
     VALUES ($username, $role, $agency, $districts, $hash, now()::TIMESTAMP, now()::TIMESTAMP)`,
    {
      username: u.username,
      role: u.role,
      agency: u.agency,
      districts: u.districts,
      hash: await hashPassword(u.password),
    },
  );
  const row = (await findUser(conn, u.username))!;
  return toSessionUser(row);
}

export function toSessionUser(row: UserRow): SessionUser {
  return {
    user_id: row.user_id,
    username: row.username,
    role: row.role,
    agency: row.agency,
    districts: scopeOf(row.role, row.districts),
  };
}

/** Records a failed sign-in and locks the account at the fifth failure within the window; true when now locked. */
export async function recordFailure(conn: DuckDBConnection, username: string): Promise<boolean> {
  await run(conn, 'INSERT INTO login_failures VALUES ($u, now()::TIMESTAMP)', { u: username });
  const recent = await one<{ n: number }>(
    conn,
    `SELECT count(*) AS n FROM login_failures
     WHERE username = $u AND failed_at > now()::TIMESTAMP - to_minutes(${FAILURE_WINDOW_MINUTES})`,
    { u: username },
  );
  if (recent!.n < LOCK_AFTER_FAILURES) return false;
  await run(conn, 'UPDATE users SET locked_at = now()::TIMESTAMP WHERE username = $u AND locked_at IS NULL', {
    u: username,
  });
  return true;
}

export async function recordLogin(conn: DuckDBConnection, userId: number, username: string): Promise<void> {
  await run(conn, 'UPDATE users SET last_login_at = now()::TIMESTAMP WHERE user_id = $id', { id: userId });
  await run(conn, 'DELETE FROM login_failures WHERE username = $u', { u: username });
}

export async function unlockUser(conn: DuckDBConnection, username: string): Promise<boolean> {
  const u = await findUser(conn, username);
  if (!u) return false;
  await run(conn, 'UPDATE users SET locked_at = NULL WHERE user_id = $id', { id: u.user_id });
  await run(conn, 'DELETE FROM login_failures WHERE username = $u', { u: username });
  return true;
}
