#!/usr/bin/env node
// `npm start` runs this first: builds the web app (vite build → build/) when it is missing or older than its sources,
// so `npm ci && npm start` serves the dashboard without a separate build step, and later starts stay fast.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const built = join(root, 'build', 'handler.js');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = ['src/routes', 'src/lib', 'dashboards', 'static', 'src/app.html'].map((p) => join(root, p));
const sourceTime = Math.max(
  ...sources.filter(existsSync).map((p) => (statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs)),
);
if (!existsSync(built) || statSync(built).mtimeMs < sourceTime) {
  process.stderr.write('正在构建 Web 界面（vite build）……\n');
  // the build's own timing chatter is noise on `npm start`: its output is shown only when it fails
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    process.stderr.write(`${e.stdout ?? ''}${e.stderr ?? ''}`);
    process.stderr.write('Web 界面构建失败（见上）：请运行 npm run build 查看详情。\n');
    process.exit(1);
  }
}
