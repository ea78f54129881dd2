import { spawn, type ChildProcess } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: children run the real executable from there, whatever the caller's directory. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** resolves with the exit code, or the signal's name when a signal ended it */
  exited: Promise<number | string>;
  alive: () => boolean;
  /** SIGKILL; true when the process was still running (a kill that hit something) */
  kill9: () => boolean;
}

/** `node bin/zhenjian.js …` as a child of its own: the process the suites kill. */
export function zhenjianProc(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Proc {
  const child = spawn(process.execPath, ['bin/zhenjian.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | string>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    alive,
    kill9: () => {
      const was = alive();
      child.kill('SIGKILL');
      return was;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `text()` matches, the process ends, or `ms` pass. */
export async function waitFor(p: Proc, pattern: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(p.stdout()) ?? pattern.exec(p.stderr());
    if (m) return m;
    if (!p.alive()) throw new Error(`process ended before ${pattern}: ${p.stderr().slice(-500)}`);
    if (Date.now() > until) throw new Error(`no ${pattern} within ${ms} ms`);
    await sleep(50);
  }
}

/** Ends a process we started: SIGTERM (a server stops gracefully), SIGKILL if it has not gone after `ms`. */
export async function stop(p: Proc, ms = 45_000): Promise<number | string> {
  if (!p.alive()) return p.exited;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), ms);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** `zhenjian serve --port 0` on a database; resolves once it listens, with its URL. */
export async function startServe(dbPath: string): Promise<{ proc: Proc; url: string }> {
  const proc = zhenjianProc(['serve', '--port', '0', '--db', dbPath]);
  const m = await waitFor(proc, /服务已启动：(http:\/\/127\.0\.0\.1:\d+)/);
  return { proc, url: m[1]! };
}

/** Signs in and returns the Cookie header value. */
export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** A browser's upload form: every file in the `file` field, read from disk as it is sent. */
export async function uploadForm(paths: string[]): Promise<FormData> {
  const form = new FormData();
  for (const p of paths) form.append('file', await openAsBlob(p, { type: 'text/csv' }), basename(p));
  return form;
}
