import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { UserError } from '../../db/errors.ts';
import { captureOutput } from '../control/capture.ts';
import { CONTROL_COMMANDS, type CommandEnv } from '../control/commands.ts';
import type { ServerContext } from '../context.ts';
import { HttpError, badRequest, notFound } from '../http-errors.ts';
import { writerOf } from '../ingest-jobs.ts';
import { safeFileName } from './ingest.ts';
import { securityHeaders } from '../security.ts';

/** A CLI command may run as long as a large load or backup takes; the pool's 30 s is for web requests. */
const CLI_TIMEOUT_MS = 6 * 3_600_000;
/** Streamed files not claimed by a command within this time are removed. */
const UPLOAD_TTL_MS = 3_600_000;

export function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address));
}

/**
 * Only the local CLI: the socket must come from loopback and carry no proxy header (a reverse proxy on the same
 * machine connects from loopback on behalf of remote clients), no browser marks (Origin, Sec-Fetch-*, cookies —
 * a browser session never reaches this), and the token from the control file, compared in constant time.
 */
function guard(ctx: ServerContext, token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req, _res, next) => {
    const client = req.socket.remoteAddress;
    const deny = async (status: number, code: string, message: string) => {
      await ctx.audit
        .write({
          event: 'control',
          outcome: 'denied',
          client,
          endpoint: `${req.method} ${req.baseUrl}${req.path}`,
          detail: code,
        })
        .catch(() => undefined);
      next(new HttpError(status, code, message, status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}));
    };
    const proxied = ['x-forwarded-for', 'forwarded', 'x-real-ip'].some((h) => req.get(h) !== undefined);
    if (!isLoopback(client) || proxied)
      return void deny(403, 'local_only', '本机控制通道只接受本机回环地址上的命令行调用。');
    if (req.get('origin') || req.get('cookie') || req.get('sec-fetch-site'))
      return void deny(403, 'local_only', '本机控制通道不接受浏览器请求。');
    const given = Buffer.from(/^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return void deny(401, 'bad_token', '控制令牌无效：请使用与服务同一数据目录下 .server.json 中的令牌。');
    next();
  };
}

const bodySchema = z.strictObject({
  args: z.unknown(),
  user: z.string().regex(/^[\w.@-]{1,64}$/, '系统用户名无效'),
  json: z.boolean(),
});

interface Upload {
  path: string;
  dir: string;
  at: number;
}

/** POST /api/v1/control/<command>: how CLI commands reach the server that holds the database. */
export function controlRoutes(ctx: ServerContext, token: string): Router {
  const router = Router();
  const uploads = new Map<string, Upload>();
  const root = join(dirname(ctx.db.path), '.staging', 'cli');

  const drop = async (id: string) => {
    const u = uploads.get(id);
    uploads.delete(id);
    if (u) await rm(u.dir, { recursive: true, force: true }).catch(() => undefined);
  };

  router.use(securityHeaders(ctx.config.secure));
  router.use(guard(ctx, token));

  router.post('/ping', (_req, res) => void res.json({ ok: true, pid: process.pid }));

  // the CLI's files arrive as the body, so the server (and DuckDB) only ever read its own staging folder
  router.post('/upload', async (req, res, next) => {
    const id = randomUUID();
    const dir = join(root, id);
    try {
      for (const [old, u] of uploads) if (Date.now() - u.at > UPLOAD_TTL_MS) await drop(old);
      const raw = req.get('x-file-name');
      if (!raw) throw badRequest('缺少 X-File-Name。');
      const name = safeFileName(decodeURIComponent(raw));
      const declared = Number(req.get('content-length') ?? 0);
      if (declared > ctx.config.uploadLimitBytes)
        throw new HttpError(413, 'too_large', '文件超过服务端的上传大小上限。');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, name);
      let bytes = 0;
      req.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes > ctx.config.uploadLimitBytes)
          req.destroy(new HttpError(413, 'too_large', '文件超过服务端的上传大小上限。'));
      });
      await pipeline(req, createWriteStream(path, { mode: 0o600 }));
      uploads.set(id, { path, dir, at: Date.now() });
      res.json({ upload_id: id, path });
    } catch (e) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      next(e);
    }
  });

  router.post('/:command', express.json({ limit: '16mb' }), async (req, res, next) => {
    const name = String(req.params.command);
    const cmd = Object.hasOwn(CONTROL_COMMANDS, name) ? CONTROL_COMMANDS[name]! : undefined;
    if (!cmd) return next(notFound());
    const body = bodySchema.safeParse(req.body);
    if (!body.success) return next(badRequest(`控制请求有误：${body.error.issues[0]!.message}`));
    const args = cmd.args.safeParse(body.data.args);
    if (!args.success)
      return next(
        badRequest(
          `命令 ${name} 的参数有误：${args.error.issues[0]!.path.join('.')} ${args.error.issues[0]!.message}`,
        ),
      );
    const started = Date.now();
    const user = `cli:${body.data.user}`;
    const out = captureOutput(body.data.json);
    const used: string[] = [];
    let lastProgress = 0;
    res.status(200);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.flushHeaders();
    const env: CommandEnv = {
      ctx,
      user,
      stagingDir: join(dirname(ctx.db.path), '.staging'),
      file(id) {
        const u = uploads.get(id);
        if (!u) throw new UserError('上传的文件已过期或不存在：请重新运行命令。', 'Upload not found.', 2);
        used.push(id);
        return u.path;
      },
      progress(label, fraction, rows) {
        const now = Date.now();
        if (now - lastProgress < 100 && fraction < 1) return;
        lastProgress = now;
        res.write(`${JSON.stringify({ type: 'progress', label, fraction, rows })}\n`);
      },
    };
    let outcome: Record<string, unknown>;
    try {
      const exitCode =
        cmd.mode === 'writer'
          ? await writerOf(ctx).run(() => cmd.run(ctx.db, args.data, out, env))
          : cmd.mode === 'reader'
            ? await ctx.pool.use(
                (conn) => cmd.run({ ...ctx.db, conn, close() {} }, args.data, out, env),
                CLI_TIMEOUT_MS,
              )
            : await cmd.run(ctx.db, args.data, out, env);
      outcome = { exit_code: exitCode };
    } catch (e) {
      if (e instanceof UserError) {
        outcome = { exit_code: e.exitCode, error: { zh: e.zh, en: e.en, code: e.exitCode } };
      } else {
        const id = Math.random().toString(36).slice(2, 10);
        ctx.log.error('control_command_failed', {
          id,
          command: name,
          error: String((e as Error)?.stack ?? e),
        });
        outcome = {
          exit_code: 3,
          error: {
            zh: `服务端执行失败（编号 ${id}，详见服务日志）。写入数据库的操作都在事务中完成，不会留下写了一半的数据。`,
            en: `The server failed to run the command (id ${id}; see the server log).`,
            code: 3,
          },
        };
      }
    }
    for (const id of used) await drop(id);
    const exit = outcome.exit_code as number;
    await ctx.audit.write({
      event: `cli.${name}`,
      outcome: exit <= 1 ? 'ok' : 'failed',
      user,
      client: req.socket.remoteAddress,
      endpoint: `POST /api/v1/control/${name}`,
      duration_ms: Date.now() - started,
      detail: `退出码 ${exit}`,
    });
    res.end(
      `${JSON.stringify({ type: 'outcome', ...outcome, lines: out.lines, result: out.value.result, has_result: out.value.set })}\n`,
    );
  });

  return router;
}
