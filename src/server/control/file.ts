import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/**
 * The local control channel (spec/cli.md, last paragraph): while `zhenjian serve` holds the database, it writes
 * `.server.json` next to it — port, pid and a random token, mode 0600 — so that CLI commands run by the same OS
 * user can reach it over loopback instead of failing on DuckDB's file lock.
 */
export function controlFilePath(dbPath: string): string {
  return join(dirname(dbPath), '.server.json');
}

const controlSchema = z.object({
  version: z.literal(1),
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65535),
  token: z.string().regex(/^[0-9a-f]{64}$/),
  db: z.string(),
  started_at: z.string(),
});
export type ControlInfo = z.infer<typeof controlSchema>;

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Written to a temporary name and renamed, so a reader never sees half a file; 0600 before the token is in it. */
export function writeControlFile(dbPath: string, info: Omit<ControlInfo, 'version'>): string {
  const path = controlFilePath(dbPath);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, '', { mode: 0o600, flag: 'w' });
  chmodSync(tmp, 0o600);
  writeFileSync(tmp, `${JSON.stringify({ version: 1, ...info }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  return path;
}

/** Removes the file only if it is still ours (a second server in the same folder must not lose its file). */
export function removeControlFile(dbPath: string, token: string): void {
  const path = controlFilePath(dbPath);
  try {
    if (readControlFile(path)?.token === token) rmSync(path, { force: true });
  } catch {
    // unreadable or already gone: nothing of ours to remove
  }
}

/** The parsed file, undefined when absent; throws when it exists but cannot be read or parsed. */
export function readControlFile(path: string): ControlInfo | undefined {
  if (!existsSync(path)) return undefined;
  return controlSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Group or other bits on the file would let another local user read the token. */
export function isPrivate(path: string): boolean {
  return (statSync(path).mode & 0o077) === 0;
}

export type Probe =
  | { state: 'absent' }
  | { state: 'stale'; info: ControlInfo; why: string }
  | { state: 'live'; info: ControlInfo };

/** What the control file says and whether its server answers (pid alive is not enough: pids are reused). */
export async function probeControlFile(path: string): Promise<Probe> {
  const info = readControlFile(path);
  if (!info) return { state: 'absent' };
  if (!pidAlive(info.pid))
    return { state: 'stale', info, why: `记录的服务进程（PID ${info.pid}）已不在运行` };
  try {
    const res = await fetch(`http://127.0.0.1:${info.port}/api/v1/control/ping`, {
      method: 'POST',
      headers: { authorization: `Bearer ${info.token}` },
      signal: AbortSignal.timeout(5000),
    });
    if (res.status === 200) return { state: 'live', info };
  } catch {
    // no answer: handled below
  }
  return { state: 'stale', info, why: `端口 ${info.port} 上没有应答的 zhenjian 服务（PID ${info.pid}）` };
}
