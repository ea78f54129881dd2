import { spawn, type ChildProcess } from 'node:child_process';
import { createOutput } from '../../src/cli/output.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real executable (bin/zhenjian.js through tsx) as a child process, without blocking this process's event
 * loop — a server running in this test process must keep answering while the CLI talks to it.
 */
export function zhenjian(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/zhenjian.js', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running command (serve) and a way to wait for its output. */
export function spawnZhenjian(args: string[]): {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  waitFor: (pattern: RegExp, ms?: number) => Promise<string>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['bin/zhenjian.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    waitFor: (pattern, ms = 15_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const tick = () => {
          const m = pattern.exec(stdout);
          if (m) return resolve(m[0]);
          if (Date.now() - started > ms || child.exitCode !== null)
            return reject(new Error(`no ${pattern} in output:\n${stdout}\n${stderr}`));
          setTimeout(tick, 50);
        };
        tick();
      }),
  };
}

/** An Output whose two streams are strings: for running a command's direct path in this process. */
export function capturedOutput(json: boolean) {
  const text = { stdout: '', stderr: '' };
  const out = createOutput(
    json,
    { write: (s: string) => (text.stdout += s) } as unknown as typeof process.stdout,
    { write: (s: string) => (text.stderr += s) } as unknown as typeof process.stderr,
  );
  return { out, text };
}
