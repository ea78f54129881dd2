import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { UserError } from '../../db/errors.ts';
import { databasePath, openDatabase } from '../../db/open.ts';
import { AuditLog, auditPath } from '../../server/audit/log.ts';
import type { SessionUser } from '../../server/auth/sessions.ts';
import { chromiumPath } from '../../server/briefings/pdf.ts';
import { briefingWorkbook, renderBriefing } from '../../server/briefings/render.ts';
import { moduleParams, parseBriefingRequest, type BriefingRequest } from '../../server/briefings/request.ts';
import type { ServerContext } from '../../server/context.ts';
import { controlFilePath, readControlFile } from '../../server/control/file.ts';
import { memoryLog } from '../../server/server-log.ts';
import { startServer } from '../../server/start.ts';
import { parse } from '../args.ts';
import { callServer, findServer } from '../control.ts';
import type { Output } from '../output.ts';

export const briefingHelp = `zhenjian briefing --period 2025Q1|2025-03|2025 [--level 市级|区级] [--district CODE] --out FILE.pdf|FILE.xlsx [--db PATH] [--json]
  情况通报（京检发〔2022〕169号 第24条：犯罪形势、刑事立案、强制措施适用、类案、侦查监督）：文件扩展名决定格式。
  PDF 由 Chromium 打印（须安装 chromium 并已运行 npm run build），XLSX 不需要浏览器。服务运行时经本机控制通道生成。
  命令行以内置用户身份生成：市级为全市范围；区级须给 --district，只含该区。`;

const BUILD_HANDLER = fileURLToPath(new URL('../../../build/handler.js', import.meta.url));

/** The built-in CLI user: city scope, or the one district of a 区级 briefing. Never stored; lives as long as a render. */
export function cliUser(username: string, request: BriefingRequest): SessionUser {
  const district = request.level === '区级' && request.district;
  return {
    user_id: -1,
    username,
    role: district ? 'district' : 'city',
    agency: null,
    districts: district ? [district] : [...ALL_DISTRICTS],
  };
}

/** What the server sends back through the control channel: the file itself, since the CLI writes --out. */
interface ControlResult {
  file_base64: string;
  name: string;
  bytes: number;
}

/** The control command (src/server/control/commands.ts): renders on the running server, the bytes go back. */
export async function briefingViaControl(
  ctx: ServerContext,
  input: unknown,
  out: Output,
  user: string,
): Promise<number> {
  const request = parseBriefingRequest(input);
  const info = readControlFile(controlFilePath(ctx.db.path));
  if (!info) throw new UserError('服务的控制文件不存在：无法确定服务端口。', 'No control file.', 3);
  const file = await renderBriefing(ctx, {
    // the control channel itself is reached on loopback at this port (src/cli/control.ts)
    origin: `http://127.0.0.1:${info.port}`,
    user: cliUser(user, request),
    request,
    generatedBy: user,
  });
  await ctx.audit.write({
    event: 'briefing',
    outcome: 'ok',
    user,
    query: 'briefing',
    params: moduleParams(request),
    bytes: file.bytes.byteLength,
    detail: `format=${request.format}`,
  });
  const result: ControlResult = {
    file_base64: file.bytes.toString('base64'),
    name: file.name,
    bytes: file.bytes.byteLength,
  };
  out.result(result);
  return 0;
}

async function pagesHandler(): Promise<RequestHandler> {
  if (!existsSync(BUILD_HANDLER))
    throw new UserError(
      '生成 PDF 需要 Web 界面的打印页面，但尚未构建：请在项目目录运行 npm run build 后重试（XLSX 格式不需要）。',
      'The web app is not built: run npm run build (XLSX needs no build).',
      3,
    );
  return ((await import(pathToFileURL(BUILD_HANDLER).href)) as { handler: RequestHandler }).handler;
}

/** Without a running server: XLSX straight from the database; PDF through a server of our own on loopback. */
async function renderDirect(dbPath: string, request: BriefingRequest, user: string, out: Output) {
  const scope = cliUser(user, request);
  if (request.format === 'xlsx') {
    const db = await openDatabase(dbPath);
    try {
      return await briefingWorkbook(db.conn, request, scope.districts);
    } finally {
      db.close();
    }
  }
  // before a server is started on the database: no browser or no build says so at once
  chromiumPath();
  const pages = await pagesHandler();
  const running = await startServer({
    dbPath,
    port: 0,
    host: '127.0.0.1',
    controlChannel: false,
    pages,
    log: memoryLog(),
  });
  try {
    // startServer made the first administrator: as with `zhenjian serve`, its password is shown this once
    if (running.initialAdmin)
      out.error(
        `首次启动：已创建管理员账号 ${running.initialAdmin.username}，初始密码：${running.initialAdmin.password}（只显示这一次，请立即登录修改）`,
      );
    return (
      await renderBriefing(running.ctx, { origin: running.url, user: scope, request, generatedBy: user })
    ).bytes;
  } finally {
    await running.close();
  }
}

export async function briefingCommand(args: string[], out: Output): Promise<number> {
  const { values } = parse('briefing', args, {
    period: { type: 'string' },
    level: { type: 'string' },
    district: { type: 'string' },
    out: { type: 'string' },
  });
  if (values.help) return (out.say(briefingHelp), 0);
  const ext = values.out ? extname(values.out).toLowerCase() : '';
  if (!values.period || (ext !== '.pdf' && ext !== '.xlsx'))
    throw new UserError(
      `用法：zhenjian briefing --period 2025Q1 --out 情况通报.pdf（或 .xlsx）${values.out && !ext.match(/^\.(pdf|xlsx)$/) ? `；--out 的扩展名应为 .pdf 或 .xlsx，实为「${ext || '无'}」` : ''}`,
      'Usage: zhenjian briefing --period 2025Q1 --out FILE.pdf|FILE.xlsx',
      2,
    );
  const request = parseBriefingRequest({
    period: values.period,
    level: values.level ?? (values.district ? '区级' : '市级'),
    ...(values.district ? { district: values.district } : {}),
    format: ext.slice(1),
  });
  const target = resolve(values.out!);
  const user = `cli:${userInfo().username}`;
  const dbPath = databasePath(values.db);
  const server = await findServer(dbPath);
  let bytes: Buffer;
  if (server) {
    const r = await callServer(server, 'briefing', () => ({ ...request }), out, { keepResult: true });
    if (r.exitCode !== 0) return r.exitCode;
    bytes = Buffer.from((r.result as ControlResult).file_base64, 'base64');
  } else {
    let ok = false;
    try {
      bytes = await renderDirect(dbPath, request, user, out);
      ok = true;
    } finally {
      // the server audits what it renders; a direct render is audited here, into the same trail
      if (existsSync(dbPath)) {
        const audit = await AuditLog.open(auditPath(dbPath));
        await audit.write({
          event: 'briefing',
          outcome: ok ? 'ok' : 'failed',
          user,
          query: 'briefing',
          params: moduleParams(request),
          detail: `format=${request.format}`,
        });
        await audit.close();
      }
    }
  }
  await writeFile(target, bytes);
  out.result({
    file: target,
    format: request.format,
    bytes: bytes.byteLength,
    params: moduleParams(request),
  });
  out.say(`已生成情况通报：${target}（${request.format.toUpperCase()}，${bytes.byteLength} 字节）`);
  return 0;
}
