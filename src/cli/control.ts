import { createReadStream } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { statFile } from '../../ingest/read/file-pass.ts';
import { InputError } from '../../ingest/read/errors.ts';
import { UserError } from '../db/errors.ts';
import {
  controlFilePath,
  isPrivate,
  probeControlFile,
  readControlFile,
  type ControlInfo,
} from '../server/control/file.ts';
import type { Output } from './output.ts';

export interface LiveServer {
  base: string;
  info: ControlInfo;
  controlFile: string;
}

export const THROUGH_SERVER = '数据库由运行中的服务持有，已通过本机控制通道执行。';

function stale(path: string, why: string): UserError {
  return new UserError(
    `发现过期的控制文件 ${path}：${why}。若确认没有 zhenjian serve 在运行，请删除该文件后重试；若服务仍在运行，请先正常停止它（Ctrl+C）。`,
    `Stale control file ${path}: ${why}. Delete it if no zhenjian server runs, then try again.`,
    3,
  );
}

/**
 * The running server that holds this database, if any (spec/cli.md, last paragraph). A control file whose server
 * is gone is reported (exit 3) rather than silently ignored: the database might still be held by something else.
 */
export async function findServer(dbPath: string): Promise<LiveServer | undefined> {
  const path = controlFilePath(dbPath);
  let info: ControlInfo | undefined;
  try {
    info = readControlFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'EACCES'
        ? `无法读取控制文件 ${path}（权限不足）：请以运行 zhenjian serve 的系统用户执行此命令。`
        : `控制文件 ${path} 已损坏：若确认没有 zhenjian serve 在运行，请删除该文件后重试。`,
      `Cannot read the control file ${path}.`,
      3,
    );
  }
  // another database in the same folder has its own server; this one is not held by it
  if (!info || resolve(info.db) !== resolve(dbPath)) return undefined;
  if (!isPrivate(path))
    throw new UserError(
      `控制文件 ${path} 的权限不是 0600（其他用户可读）：出于安全考虑拒绝使用；请停止服务、删除该文件后重新启动服务。`,
      `The control file ${path} is readable by others; refusing to use it.`,
      3,
    );
  const probe = await probeControlFile(path);
  if (probe.state === 'stale') throw stale(path, probe.why);
  if (probe.state === 'absent') return undefined;
  const base = `http://127.0.0.1:${info.port}/api/v1/control`;
  return { base, info, controlFile: path };
}

export interface CallOptions {
  /** local files to stream to the server first; the command's args name them by upload id */
  uploads?: string[];
  onProgress?: (label: string, fraction: number, rows: number) => void;
  /** the caller formats the result itself (query); otherwise it is printed with out.result as the direct path does */
  keepResult?: boolean;
  /** called once the command has finished, before its lines are printed (e.g. to clear a progress bar) */
  beforeOutput?: () => void;
}

interface Outcome {
  exit_code: number;
  lines: { stream: 'say' | 'error'; text: string }[];
  result?: unknown;
  has_result: boolean;
  error?: { zh: string; en: string; code: 2 | 3 };
}

/** Streams one file into the server's staging folder; the file is read once, never held whole in memory. */
async function upload(server: LiveServer, path: string): Promise<{ id: string; staged: string }> {
  try {
    await statFile(path);
  } catch (e) {
    if (e instanceof InputError) throw new UserError(e.zh, e.en, 2);
    throw e;
  }
  const res = await fetch(`${server.base}/upload`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${server.info.token}`,
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(basename(path)),
    },
    body: Readable.toWeb(createReadStream(path)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (res.status !== 200) throw serverError(res.status, await res.text());
  const body = (await res.json()) as { upload_id: string; path: string };
  return { id: body.upload_id, staged: body.path };
}

function serverError(status: number, text: string): UserError {
  let message = text;
  try {
    message = (JSON.parse(text) as { error: { message: string } }).error.message;
  } catch {
    // not our JSON: show the text as it came
  }
  return new UserError(
    `运行中的服务拒绝了本机控制请求（HTTP ${status}）：${message}`,
    `The running server refused the control request (HTTP ${status}).`,
    3,
  );
}

/**
 * Runs `command` on the running server and prints what it printed, in order, through `out` — so the output is
 * the direct path's, the --json document included. Returns the exit code and the command's result; a UserError from
 * the server is thrown again here so main() reports it as usual.
 */
export async function callServer(
  server: LiveServer,
  command: string,
  args: (uploadIds: string[]) => Record<string, unknown>,
  out: Output,
  opts: CallOptions = {},
): Promise<{ exitCode: number; result: unknown; hasResult: boolean }> {
  // on stderr, so that stdout (a query's body, the --json document) is byte for byte the direct path's
  out.error(THROUGH_SERVER);
  const staged: [string, string][] = [];
  const ids: string[] = [];
  for (const path of opts.uploads ?? []) {
    const u = await upload(server, path);
    ids.push(u.id);
    staged.push([u.staged, resolve(path)]);
  }
  // messages name the staged copy; the user knows the file by the path they gave
  const local = (text: string) => staged.reduce((t, [from, to]) => t.split(from).join(to), text);
  const res = await fetch(`${server.base}/${command}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.info.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ args: args(ids), user: userInfo().username, json: out.json }),
  });
  if (res.status !== 200 || !res.body) throw serverError(res.status, await res.text());
  let outcome: Outcome | undefined;
  let buffered = '';
  const decoder = new TextDecoder();
  const handle = (line: string) => {
    if (!line) return;
    const msg = JSON.parse(line) as { type: string } & Record<string, unknown>;
    if (msg.type === 'progress')
      opts.onProgress?.(msg.label as string, msg.fraction as number, msg.rows as number);
    else if (msg.type === 'outcome') outcome = msg as unknown as Outcome;
  };
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buffered.indexOf('\n')) >= 0) {
      handle(buffered.slice(0, i));
      buffered = buffered.slice(i + 1);
    }
  }
  handle(buffered);
  if (!outcome)
    throw new UserError(
      '与运行中的服务的连接中断，未收到执行结果：请查看服务日志，必要时重试。',
      'The connection to the server broke before the result arrived.',
      3,
    );
  opts.beforeOutput?.();
  if (outcome.has_result && !opts.keepResult) out.result(outcome.result);
  for (const l of outcome.lines) (l.stream === 'say' ? out.say : out.error)(local(l.text));
  if (outcome.error)
    throw new UserError(local(outcome.error.zh), local(outcome.error.en), outcome.error.code);
  return { exitCode: outcome.exit_code, result: outcome.result, hasResult: outcome.has_result };
}
