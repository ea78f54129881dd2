import type { ErrorRequestHandler } from 'express';
import { UserError } from '../db/errors.ts';
import { AbandonedError, OverloadedError, QueryTimeoutError } from './pool.ts';
import type { ServerLog } from './server-log.ts';

/** An error answered as-is: its status and a Chinese message the user can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = () => new HttpError(404, 'not_found', '未找到：不存在，或不在您的查看范围内。');
export const forbidden = (why = '您的角色无权执行此操作。') => new HttpError(403, 'forbidden', why);
export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);

/**
 * The last handler: known errors get their status and message; anything else is a 500 with an id that matches the
 * server log line — never SQL text, a stack trace or a file path in the response (ASVS 16.5.1).
 */
export function errorHandler(log: ServerLog): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let body: { code: string; message: string; id?: string };
    if (err instanceof HttpError) {
      status = err.status;
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      body = { code: err.code, message: err.message };
    } else if (err instanceof UserError && err.exitCode === 2) {
      status = 400;
      body = { code: 'bad_request', message: err.zh };
    } else if (err instanceof OverloadedError) {
      status = 503;
      res.setHeader('Retry-After', '2');
      body = { code: 'overloaded', message: '服务器繁忙，请稍后重试。' };
    } else if (err instanceof AbandonedError) {
      // nobody is listening; close quietly without logging an error
      return void res.destroy();
    } else if (err instanceof QueryTimeoutError) {
      status = 503;
      res.setHeader('Retry-After', '5');
      body = { code: 'timeout', message: '查询超时：请缩小时间范围或筛选条件后重试。' };
    } else if (/^Out of Memory Error/.test(String((err as Error)?.message ?? ''))) {
      // DuckDB's buffer limit, not a defect: at 5M cases 挂案 at an arbitrary date needs more than the default
      // 768 MB (docs/benchmarks.md); the query is gone and the server is fine
      status = 503;
      res.setHeader('Retry-After', '10');
      log.error('out_of_memory', { method: req.method, route: req.route?.path });
      body = {
        code: 'out_of_memory',
        message:
          '查询所需内存超过服务的上限：请缩小范围（如选择单个区或较短期间）后重试；如经常出现，请管理员以 --memory-limit 提高服务的内存上限。',
      };
    } else if ((err as { type?: string }).type === 'entity.too.large') {
      status = 413;
      body = { code: 'too_large', message: '请求内容过大。' };
    } else if ((err as { type?: string }).type === 'entity.parse.failed') {
      status = 400;
      body = { code: 'bad_json', message: '请求内容不是有效的 JSON。' };
    } else {
      const id = Math.random().toString(36).slice(2, 10);
      log.error('request_failed', {
        id,
        method: req.method,
        route: req.route?.path,
        error: String(err?.stack ?? err),
      });
      body = { code: 'internal', message: `服务器内部错误（编号 ${id}），请联系管理员。`, id };
    }
    if (res.headersSent) return void res.end();
    res.status(status).json({ error: body });
  };
}
