import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { UserError } from '../../db/errors.ts';
import { one, run, transaction } from '../../db/sql.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/password.ts';
import type { Role } from '../auth/sessions.ts';
import { newTotpSecret, otpauthUri } from '../auth/totp.ts';
import {
  ROLES,
  ROLE_LABELS,
  addUser,
  findUser,
  findUserById,
  listUsers,
  recordFailure,
  unlockUser,
  type UserRow,
} from '../auth/users.ts';

/**
 * User administration as plain functions of a connection and JSON-shaped arguments, so the admin API, the CLI
 * (database opened directly) and the control channel (CLI → running server) validate and do exactly the same
 * thing. Each returns the audit detail (never a password, secret or personal data) and, when the change must take
 * effect at once, the user whose sessions the server has to end (ASVS 7.4.2, 8.3.2).
 */
export interface UserOpOutcome<T> {
  value: T;
  detail: string;
  endSessionsOf?: number;
}

export interface PublicUser {
  user_id: number;
  username: string;
  role: Role;
  role_label: string;
  agency: '检察' | '公安' | null;
  /** the districts listed for a district user; city users see all 16 without a list */
  districts: string[];
  created_at: string;
  last_login_at: string | null;
  locked: boolean;
  locked_at: string | null;
  disabled: boolean;
  disabled_at: string | null;
  totp_enrolled: boolean;
}

function publicUser(
  u: Omit<UserRow, 'password_hash' | 'totp_secret'> & { totp_enrolled: boolean },
): PublicUser {
  return {
    user_id: u.user_id,
    username: u.username,
    role: u.role,
    role_label: ROLE_LABELS[u.role],
    agency: u.agency,
    districts: [...u.districts],
    created_at: u.created_at,
    last_login_at: u.last_login_at,
    locked: u.locked_at !== null,
    locked_at: u.locked_at,
    disabled: u.disabled_at !== null,
    disabled_at: u.disabled_at,
    totp_enrolled: u.totp_enrolled,
  };
}

const toPublic = ({ password_hash: _p, totp_secret, ...rest }: UserRow) =>
  publicUser({ ...rest, totp_enrolled: totp_secret !== null });

/** A user named by id (the API's :id) or by username (the CLI's --username). */
const target = z.union([z.number().int().positive(), z.string().min(1).max(64)], {
  error: '应为用户编号或用户名',
});

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) =>
      i.code === 'unrecognized_keys'
        ? `不能修改 ${i.keys.join('、')}`
        : `${i.path.join('.') || what}：${i.message}`,
    );
    throw new UserError(`${what}有误：${msgs.join('；')}。`, `Bad ${what}.`, 2);
  }
  return parsed.data;
}

async function resolve(conn: DuckDBConnection, user: number | string): Promise<UserRow> {
  const row = typeof user === 'number' ? await findUserById(conn, user) : await findUser(conn, user);
  if (!row) {
    const name = typeof user === 'number' ? `编号 ${user}` : user;
    throw new UserError(`用户 ${name} 不存在。`, `No such user ${user}.`, 2);
  }
  return row;
}

/** Refuses a change that would leave no admin able to sign in to manage users. */
async function keepOneAdmin(conn: DuckDBConnection, u: UserRow): Promise<void> {
  const others = await one<{ n: number }>(
    conn,
    "SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL AND user_id <> $id",
    { id: u.user_id },
  );
  if (others!.n === 0)
    throw new UserError(
      `${u.username} 是唯一启用的系统管理员，不能停用或改为其他角色：请先添加或启用另一名系统管理员。`,
      `${u.username} is the last active admin.`,
      2,
    );
}

const district = z.enum(ALL_DISTRICTS, { error: '区划代码应为北京市 16 个区之一（如 110105）' });
const updateSchema = z.strictObject({
  user: target,
  role: z.enum(ROLES, { error: '角色应为 admin、city、district 或 auditor' }).optional(),
  agency: z.enum(['检察', '公安'], { error: '单位应为 检察 或 公安' }).nullable().optional(),
  districts: z.array(district).optional(),
  disabled: z.boolean({ error: '应为 true 或 false' }).optional(),
});

/** The scope rules of newUserSchema, for a user as it would be after a change. */
function scopeProblems(role: Role, agency: string | null, districts: readonly string[]): string[] {
  const out: string[] = [];
  if (role === 'district' && districts.length === 0) out.push('districts：区级用户至少要有一个区');
  if (role === 'district' && !agency) out.push('agency：区级用户须注明单位（检察 或 公安）');
  if (role !== 'district' && districts.length > 0) out.push('districts：只有区级用户按区限定范围');
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

export async function listUsersOp(conn: DuckDBConnection): Promise<UserOpOutcome<PublicUser[]>> {
  const rows = await listUsers(conn);
  return {
    value: rows.map((r) => publicUser(r as Parameters<typeof publicUser>[0])),
    detail: `count=${rows.length}`,
  };
}

export async function createUserOp(
  conn: DuckDBConnection,
  input: unknown,
): Promise<UserOpOutcome<PublicUser>> {
  const created = await addUser(conn, input);
  const row = (await findUser(conn, created.username))!;
  return {
    value: toPublic(row),
    detail: `target=${row.username} role=${row.role} agency=${row.agency ?? '-'} districts=${row.districts.join(',') || '-'}`,
  };
}

/**
 * Role, agency, districts, disabled. Turning a district user into a non-district role drops the district list
 * unless new districts are given. Any change of role or scope, and disabling, ends the user's sessions.
 */
export async function updateUserOp(
  conn: DuckDBConnection,
  input: unknown,
): Promise<UserOpOutcome<PublicUser>> {
  const p = parse(updateSchema, input, '用户修改');
  return transaction(conn, async () => {
    const u = await resolve(conn, p.user);
    const role = p.role ?? u.role;
    const agency = p.agency === undefined ? u.agency : p.agency;
    const districts = p.districts ? [...new Set(p.districts)] : role === 'district' ? u.districts : [];
    const problems = scopeProblems(role, agency, districts);
    if (problems.length > 0)
      throw new UserError(`用户修改有误：${problems.join('；')}。`, 'Bad user change.', 2);
    const disable = p.disabled === true && u.disabled_at === null;
    const enable = p.disabled === false && u.disabled_at !== null;
    const activeAdmin = u.role === 'admin' && u.disabled_at === null;
    if (activeAdmin && (role !== 'admin' || disable)) await keepOneAdmin(conn, u);

    const changes: string[] = [];
    if (role !== u.role) changes.push(`role:${u.role}→${role}`);
    if (agency !== u.agency) changes.push(`agency:${u.agency ?? '-'}→${agency ?? '-'}`);
    if (!sameList(districts, u.districts))
      changes.push(`districts:${u.districts.join(',') || '-'}→${districts.join(',') || '-'}`);
    const scopeChanged = changes.length > 0;
    if (disable) changes.push('disabled');
    if (enable) changes.push('enabled');
    if (changes.length > 0) {
      await run(
        conn,
        `UPDATE users SET role = $role, agency = $agency, districts = $districts,
           disabled_at = CASE WHEN $disable THEN now()::TIMESTAMP WHEN $enable THEN NULL ELSE disabled_at END
         WHERE user_id = $id`,
        { role, agency, districts: [...districts], disable, enable, id: u.user_id },
      );
    }
    const after = (await findUserById(conn, u.user_id))!;
    return {
      value: toPublic(after),
      detail: `target=${u.username} ${changes.join(' ') || 'no_change'}`,
      endSessionsOf: scopeChanged || disable ? u.user_id : undefined,
    };
  });
}

const targetOnly = z.strictObject({ user: target });

export async function unlockUserOp(
  conn: DuckDBConnection,
  input: unknown,
): Promise<UserOpOutcome<PublicUser>> {
  const p = parse(targetOnly, input, '参数');
  const u = await resolve(conn, p.user);
  await unlockUser(conn, u.username);
  return { value: toPublic((await findUserById(conn, u.user_id))!), detail: `target=${u.username}` };
}

const resetSchema = z.strictObject({ user: target, password: z.string({ error: '请提供新密码' }) });

/** An admin sets a new password: the user's sessions end, and a lockout is lifted (the guessing it stopped is moot). */
export async function resetPasswordOp(
  conn: DuckDBConnection,
  input: unknown,
): Promise<UserOpOutcome<PublicUser>> {
  const p = parse(resetSchema, input, '参数');
  const problem = passwordProblem(p.password);
  if (problem) throw new UserError(`新密码不符合要求：${problem}`, 'Password too short or too long.', 2);
  const u = await resolve(conn, p.user);
  const hash = await hashPassword(p.password);
  await run(
    conn,
    `UPDATE users SET password_hash = $hash, password_changed_at = now()::TIMESTAMP, locked_at = NULL
     WHERE user_id = $id`,
    { hash, id: u.user_id },
  );
  await run(conn, 'DELETE FROM login_failures WHERE username = $u', { u: u.username });
  return {
    value: toPublic((await findUserById(conn, u.user_id))!),
    detail: `target=${u.username}`,
    endSessionsOf: u.user_id,
  };
}

const ownSchema = z.strictObject({
  user: z.number().int().positive(),
  current_password: z.string({ error: '请提供当前密码' }).max(1024),
  new_password: z.string({ error: '请提供新密码' }),
});

/**
 * A signed-in user changes their own password, proving the current one (ASVS 6.2.3). A wrong current password
 * counts towards the lockout like a failed sign-in, so a stolen session cannot be used to guess it. All the user's
 * sessions end afterwards: they sign in again with the new password.
 */
export async function changeOwnPasswordOp(
  conn: DuckDBConnection,
  input: unknown,
): Promise<UserOpOutcome<{ locked: boolean }>> {
  const p = parse(ownSchema, input, '参数');
  const u = await resolve(conn, p.user);
  if (!(await verifyPassword(p.current_password, u.password_hash))) {
    const locked = await recordFailure(conn, u.username);
    throw new UserError(
      locked ? '当前密码不正确，账户已锁定：请联系系统管理员解锁。' : '当前密码不正确。',
      'Current password is wrong.',
      2,
    );
  }
  const problem = passwordProblem(p.new_password);
  if (problem) throw new UserError(`新密码不符合要求：${problem}`, 'Password too short or too long.', 2);
  if (p.new_password === p.current_password)
    throw new UserError('新密码不能与当前密码相同。', 'New password equals the current one.', 2);
  await run(
    conn,
    'UPDATE users SET password_hash = $hash, password_changed_at = now()::TIMESTAMP WHERE user_id = $id',
    { hash: await hashPassword(p.new_password), id: u.user_id },
  );
  return { value: { locked: false }, detail: `target=${u.username}`, endSessionsOf: u.user_id };
}

/**
 * Enrols (or re-enrols, replacing the old secret) TOTP. The otpauth URI carries the secret: it is returned this
 * once, for the user's authenticator app, and is never shown again or written to any log.
 */
export async function enrolTotpOp(
  conn: DuckDBConnection,
  input: unknown,
): Promise<UserOpOutcome<{ username: string; otpauth_uri: string; replaced: boolean }>> {
  const p = parse(targetOnly, input, '参数');
  const u = await resolve(conn, p.user);
  const secret = newTotpSecret();
  await run(conn, 'UPDATE users SET totp_secret = $s WHERE user_id = $id', { s: secret, id: u.user_id });
  return {
    value: {
      username: u.username,
      otpauth_uri: otpauthUri(u.username, secret),
      replaced: u.totp_secret !== null,
    },
    detail: `target=${u.username}${u.totp_secret ? ' replaced' : ''}`,
  };
}

export async function removeTotpOp(
  conn: DuckDBConnection,
  input: unknown,
): Promise<UserOpOutcome<PublicUser>> {
  const p = parse(targetOnly, input, '参数');
  const u = await resolve(conn, p.user);
  await run(conn, 'UPDATE users SET totp_secret = NULL WHERE user_id = $id', { id: u.user_id });
  return { value: toPublic((await findUserById(conn, u.user_id))!), detail: `target=${u.username}` };
}

/** The user a sessions-only action (revoke) is about, checked to exist. */
export async function userRefOp(
  conn: DuckDBConnection,
  input: unknown,
): Promise<UserOpOutcome<{ user_id: number; username: string }>> {
  const p = parse(targetOnly, input, '参数');
  const u = await resolve(conn, p.user);
  return {
    value: { user_id: u.user_id, username: u.username },
    detail: `target=${u.username}`,
    endSessionsOf: u.user_id,
  };
}

/**
 * Every operation by name with its audit event: the control channel dispatches `{op, args}` through this table,
 * the API and the CLI call the same entries.
 */
export const USER_OPS = {
  list: { event: 'user_list', run: (conn: DuckDBConnection) => listUsersOp(conn) },
  add: { event: 'user_create', run: createUserOp },
  update: { event: 'user_update', run: updateUserOp },
  disable: {
    event: 'user_update',
    run: (conn: DuckDBConnection, a: unknown) => updateUserOp(conn, { ...(a as object), disabled: true }),
  },
  enable: {
    event: 'user_update',
    run: (conn: DuckDBConnection, a: unknown) => updateUserOp(conn, { ...(a as object), disabled: false }),
  },
  unlock: { event: 'user_unlock', run: unlockUserOp },
  reset_password: { event: 'password_reset', run: resetPasswordOp },
  change_own_password: { event: 'password_change', run: changeOwnPasswordOp },
  totp_enrol: { event: 'totp_enrol', run: enrolTotpOp },
  totp_remove: { event: 'totp_remove', run: removeTotpOp },
  revoke_sessions: { event: 'sessions_revoke', run: userRefOp },
} as const;
export type UserOpName = keyof typeof USER_OPS;
export type UserOpValue<N extends UserOpName> = Awaited<ReturnType<(typeof USER_OPS)[N]['run']>>['value'];
