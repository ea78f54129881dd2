import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import { UserError } from '../../db/errors.ts';
import { SERVER_MEMORY_LIMIT, databasePath } from '../../db/open.ts';
import { startServer } from '../../server/start.ts';
import { intOption, memoryOption, parse } from '../args.ts';
import type { Output } from '../output.ts';

export const serveHelp = `zhenjian serve [--port 3000] [--host 127.0.0.1] [--memory-limit 768MB] [--db PATH] [--json]
  启动 Web 界面与 API（默认只监听本机）。--memory-limit：DuckDB 的缓冲上限（默认 768MB；500 万件案件规模用 2GB）。运行期间在数据库旁写入 .server.json（端口与随机令牌，权限 0600），
  其他 zhenjian 命令经本机控制通道由服务代为执行。Ctrl+C 或 SIGTERM 停止：不再接受新连接，等待进行中的请求和导入完成。`;

/** How long a stop waits for in-flight requests and a running load before cutting them (the load rolls back). */
const GRACE_MS = 30_000;

const BUILD_HANDLER = fileURLToPath(new URL('../../../build/handler.js', import.meta.url));

/** Shown at / when the SvelteKit build is absent: the API works, the pages need `npm run build`. */
const NO_UI_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>侦查监督与协作配合 数据分析平台</title></head>
<body><h1>侦查监督与协作配合 数据分析平台</h1>
<p>API 已在 /api/v1 下运行。Web 界面尚未构建：请在项目目录运行 <code>npm run build</code> 后重新启动服务。</p>
</body></html>
`;

const noUiPage: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' || req.path !== '/') return next();
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.type('html').send(NO_UI_PAGE);
};

/** The SvelteKit handler (adapter-node) when `npm run build` has produced it. */
async function pages(): Promise<RequestHandler> {
  if (!existsSync(BUILD_HANDLER)) return noUiPage;
  const mod = (await import(pathToFileURL(BUILD_HANDLER).href)) as { handler: RequestHandler };
  return mod.handler;
}

/**
 * Serves until SIGINT/SIGTERM, then stops gracefully. A second signal during the stop exits at once (the
 * database's open transaction, if any, is rolled back by DuckDB on the next open).
 */
export async function serveUntilSignal(
  dbPath: string,
  where: { port: number; host: string; memoryLimit: string },
  out: Output,
): Promise<number> {
  let running;
  try {
    running = await startServer({ dbPath, ...where, pages: await pages() });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UserError(
        `端口 ${where.port} 已被占用：请用 --port 指定其他端口，或先停止占用它的程序。`,
        `Port ${where.port} is in use.`,
        3,
      );
    throw e;
  }
  out.result({ url: running.url, pid: process.pid, control_file: running.controlFile ?? null });
  out.say(`服务已启动：${running.url}（数据库 ${dbPath}；按 Ctrl+C 停止）`);
  if (!existsSync(BUILD_HANDLER)) out.say('提示：Web 界面尚未构建，运行 npm run build 后重启服务即可使用。');
  if (running.initialAdmin) {
    out.say(
      `首次启动：已创建管理员账号 ${running.initialAdmin.username}，初始密码：${running.initialAdmin.password}`,
    );
    out.say(
      '该密码只显示这一次，不会写入任何日志：请立即登录并修改密码（或运行 zhenjian users reset-password --username admin）。',
    );
  }
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  out.say(
    `收到 ${signal}，正在停止：不再接受新连接，等待进行中的请求和导入完成（最多 ${GRACE_MS / 1000} 秒）……`,
  );
  const force = () => process.exit(130);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  await running.close({ graceMs: GRACE_MS });
  out.say('服务已停止，数据库已关闭，控制文件已删除。');
  return 0;
}

export function serveOptions(values: { port?: string; host?: string; 'memory-limit'?: string }): {
  port: number;
  host: string;
  memoryLimit: string;
} {
  const port = intOption('port', values.port, 3000, 0);
  if (port > 65535) throw new UserError('--port 应在 0–65535 之间。', '--port must be 0–65535.', 2);
  return {
    port,
    host: values.host ?? '127.0.0.1',
    memoryLimit: memoryOption(values['memory-limit'], SERVER_MEMORY_LIMIT),
  };
}

export async function serveCommand(args: string[], out: Output): Promise<number> {
  const { values } = parse('serve', args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'memory-limit': { type: 'string' },
  });
  if (values.help) return (out.say(serveHelp), 0);
  return serveUntilSignal(databasePath(values.db), serveOptions(values), out);
}
