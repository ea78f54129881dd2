import { UserError } from '../../db/errors.ts';
import { databasePath } from '../../db/open.ts';
import { runUserOpDirect } from '../../server/admin/direct-ops.ts';
import type { PublicUser, UserOpName } from '../../server/admin/users-ops.ts';
import { parse } from '../args.ts';
import { callServer, findServer } from '../control.ts';
import type { Output } from '../output.ts';

export const usersHelp = `zhenjian users add --username U --role admin|city|district|auditor [--agency 检察|公安] [--districts 110105,110108] --password-stdin
zhenjian users list
zhenjian users disable|enable|unlock --username U
zhenjian users reset-password --username U --password-stdin
zhenjian users totp --username U [--remove]
  管理用户：city 为市级办公室（全部 16 个区），district 为区级用户（须注明单位并列出所辖区），auditor 只能查看审计记录。
  密码从标准输入读取（如 printf '%s' "$PW" | zhenjian users add …），不出现在命令行和进程列表中；至少 12 个字符。
  totp 绑定动态口令，otpauth 链接只显示这一次。停用、改密和改变范围立即结束该用户的会话。操作记入审计记录（cli:系统用户名）。`;

const SUBCOMMANDS = ['add', 'list', 'disable', 'enable', 'unlock', 'reset-password', 'totp'] as const;

export type ReadStdin = () => Promise<string>;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function need(value: string | undefined, flag: string, sub: string): string {
  if (!value)
    throw new UserError(
      `zhenjian users ${sub} 需要 --${flag}。运行 zhenjian users --help 查看用法。`,
      `zhenjian users ${sub} needs --${flag}.`,
      2,
    );
  return value;
}

async function password(
  values: { 'password-stdin'?: boolean },
  sub: string,
  stdin: ReadStdin,
): Promise<string> {
  if (!values['password-stdin'])
    throw new UserError(
      `zhenjian users ${sub} 需要 --password-stdin：密码从标准输入读取，不写在命令行上（命令行会留在 shell 历史和进程列表中）。`,
      `zhenjian users ${sub} needs --password-stdin.`,
      2,
    );
  // one trailing newline is the end of the line typed or echoed, not part of the password
  const pw = (await stdin()).replace(/\r?\n$/, '');
  if (!pw) throw new UserError('标准输入中没有密码。', 'No password on standard input.', 2);
  return pw;
}

/** The operation and JSON arguments a command line asks for: the same request the control channel forwards. */
export async function usersRequest(
  args: string[],
  stdin: ReadStdin = readStdin,
): Promise<{ help: true } | { help: false; dbPath: string; op: UserOpName; args: Record<string, unknown> }> {
  const { values, positionals } = parse('users', args, {
    username: { type: 'string' },
    role: { type: 'string' },
    agency: { type: 'string' },
    districts: { type: 'string' },
    'password-stdin': { type: 'boolean', default: false },
    remove: { type: 'boolean', default: false },
  });
  if (values.help) return { help: true };
  const sub = positionals[0] as (typeof SUBCOMMANDS)[number] | undefined;
  if (!sub || !SUBCOMMANDS.includes(sub) || positionals.length > 1)
    throw new UserError(
      `zhenjian users 后应为 ${SUBCOMMANDS.join('、')} 之一${sub ? `，实为「${positionals.join(' ')}」` : ''}。运行 zhenjian users --help 查看用法。`,
      `zhenjian users needs one of: ${SUBCOMMANDS.join(', ')}.`,
      2,
    );
  const dbPath = databasePath(values.db);
  const user = () => need(values.username, 'username', sub);
  switch (sub) {
    case 'add':
      return {
        help: false,
        dbPath,
        op: 'add',
        args: {
          username: user(),
          role: need(values.role, 'role', sub),
          agency: values.agency ?? null,
          districts: values.districts
            ? values.districts
                .split(/[,，]/)
                .map((d) => d.trim())
                .filter(Boolean)
            : [],
          password: await password(values, sub, stdin),
        },
      };
    case 'list':
      return { help: false, dbPath, op: 'list', args: {} };
    case 'reset-password':
      return {
        help: false,
        dbPath,
        op: 'reset_password',
        args: { user: user(), password: await password(values, sub, stdin) },
      };
    case 'totp':
      return {
        help: false,
        dbPath,
        op: values.remove ? 'totp_remove' : 'totp_enrol',
        args: { user: user() },
      };
    default:
      return { help: false, dbPath, op: sub, args: { user: user() } };
  }
}

const STATE = (u: PublicUser) =>
  [u.disabled ? '已停用' : '启用', u.locked ? '已锁定' : '', u.totp_enrolled ? '动态口令' : '']
    .filter(Boolean)
    .join('，');

/** What a finished operation prints; the control channel calls this on the server so both paths print alike. */
export function printUserOp(out: Output, op: UserOpName, value: unknown): void {
  out.result(op === 'list' ? { users: value } : value);
  if (op === 'list') {
    for (const u of value as PublicUser[])
      out.say(
        `${u.user_id}\t${u.username}\t${u.role_label}\t${u.agency ?? '-'}\t${u.districts.join(',') || '-'}\t${STATE(u)}\t最近登录 ${u.last_login_at ?? '从未'}`,
      );
    return;
  }
  if (op === 'totp_enrol') {
    const v = value as { username: string; otpauth_uri: string; replaced: boolean };
    out.say(
      `已为 ${v.username} ${v.replaced ? '重新' : ''}绑定动态口令。请立即用认证器应用扫码或录入以下链接（只显示这一次）：`,
    );
    // under --json the URI is in the JSON document only: shown once, in one place
    if (!out.json) out.say(v.otpauth_uri);
    return;
  }
  const u = value as PublicUser;
  const done: Partial<Record<UserOpName, string>> = {
    add: `已添加用户 ${u.username}（${u.role_label}）。`,
    disable: `已停用用户 ${u.username}，其会话已结束。`,
    enable: `已启用用户 ${u.username}。`,
    unlock: `已解锁用户 ${u.username}。`,
    reset_password: `已重置 ${u.username} 的密码（同时解除锁定），其会话已结束。`,
    totp_remove: `已解除 ${u.username} 的动态口令。`,
  };
  out.say(done[op] ?? `已完成：${u.username}`);
}

/** `stdin` is for tests, which give the password without a pipe. */
export async function usersCommand(
  args: string[],
  out: Output,
  stdin: ReadStdin = readStdin,
): Promise<number> {
  const req = await usersRequest(args, stdin);
  if (req.help) return (out.say(usersHelp), 0);
  const server = await findServer(req.dbPath);
  if (server) {
    const r = await callServer(server, 'users', () => ({ op: req.op, args: req.args }), out);
    return r.exitCode;
  }
  printUserOp(out, req.op, await runUserOpDirect(req.dbPath, req.op, req.args));
  return 0;
}
