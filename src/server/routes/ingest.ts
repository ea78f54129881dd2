import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Busboy } from '@fastify/busboy';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { batchRejects } from '../../../ingest/ledger.ts';
import { all } from '../../db/sql.ts';
import { requireRole } from '../auth/middleware.ts';
import { auditBase, sessionOf, type ServerContext } from '../context.ts';
import { HttpError, badRequest, notFound } from '../http-errors.ts';
import { jobsOf, type JobEvent } from '../ingest-jobs.ts';

/** Files in one upload: a load is a handful of exports, not an archive. */
const MAX_FILES = 20;

const fieldsSchema = z.strictObject({
  table: z.string().max(40, '表名过长').optional(),
  encoding: z.string().max(20, '编码名过长').optional(),
  sheet: z.string().max(100, '工作表名过长').optional(),
  as_of: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '数据截止日期应为 YYYY-MM-DD')
    .optional(),
});

export function uploadRoot(ctx: ServerContext): string {
  return join(dirname(ctx.db.path), '.staging', 'uploads');
}

/**
 * A file name from the client, reduced to a plain base name: it is what the ledger records and what DuckDB reads
 * under the staging folder, so no separators, no control characters and no leading dots.
 */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f/]/g, '');
  const trimmed = base.replace(/^\.+/, '').slice(-200);
  return trimmed || 'upload';
}

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    'too_large',
    `上传文件超过大小上限（${(limit / 1024 ** 3).toFixed(limit >= 1024 ** 3 ? 0 : 2)} GB）：请分批导出后再上传。`,
  );
}

/** Streams the multipart body to the upload folder: files to disk as they arrive, never whole in memory. */
function receive(
  req: Request,
  dir: string,
  limit: number,
): Promise<{ paths: string[]; fields: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    let bb;
    try {
      bb = Busboy({
        headers: req.headers as { 'content-type': string },
        limits: { fileSize: limit, files: MAX_FILES, fields: 10, fieldSize: 1000, parts: MAX_FILES + 10 },
      });
    } catch {
      return reject(badRequest('请求应为 multipart/form-data，文件放在 file 字段中。'));
    }
    const paths: string[] = [];
    const used = new Set<string>();
    const fields: Record<string, string> = {};
    const writes: Promise<void>[] = [];
    let failure: unknown;
    const fail = (e: unknown) => {
      failure ??= e;
      req.unpipe(bb);
      req.resume();
      reject(failure);
    };
    bb.on('file', (_field, stream, filename) => {
      let name = safeFileName(filename);
      // two files of the same name would overwrite each other; the later one gets a suffix
      for (let i = 2; used.has(name); i++) name = `${i}-${safeFileName(filename)}`;
      used.add(name);
      const path = join(dir, name);
      paths.push(path);
      stream.on('limit', () => fail(tooLarge(limit)));
      writes.push(pipeline(stream, createWriteStream(path, { mode: 0o600 })).catch(fail));
    });
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('filesLimit', () => fail(badRequest(`一次最多上传 ${MAX_FILES} 个文件。`)));
    bb.on('fieldsLimit', () => fail(badRequest('表单字段过多。')));
    bb.on('partsLimit', () => fail(badRequest('表单字段过多。')));
    bb.on('error', () => fail(badRequest('上传内容不是有效的 multipart/form-data。')));
    bb.on('finish', () => {
      void Promise.all(writes).then(() => {
        if (!failure) resolve({ paths, fields });
      });
    });
    req.on('aborted', () => fail(badRequest('上传中断。')));
    req.pipe(bb);
  });
}

function sse(res: Response, e: JobEvent): void {
  res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
}

export function ingestRoutes(ctx: ServerContext): Router {
  const router = Router();
  const jobs = jobsOf(ctx);

  router.post('/ingest', requireRole('admin'), async (req, res, next) => {
    const limit = ctx.config.uploadLimitBytes;
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > limit + 1024 * 1024) return next(tooLarge(limit));
    const dir = join(uploadRoot(ctx), randomUUID());
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const { paths, fields } = await receive(req, dir, limit);
      const parsed = fieldsSchema.safeParse(fields);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw badRequest(
          issue.code === 'unrecognized_keys'
            ? `未知的表单字段：${issue.keys.join('、')}`
            : `字段 ${issue.path.join('.')} 有误：${issue.message}`,
        );
      }
      if (paths.length === 0) throw badRequest('没有收到文件：请在 file 字段中选择要导入的文件。');
      const base = auditBase(req, res);
      const user = sessionOf(res).user.username;
      const job = jobs.start({
        paths,
        dir,
        user,
        options: {
          table: parsed.data.table,
          encoding: parsed.data.encoding,
          sheet: parsed.data.sheet,
          asOf: parsed.data.as_of,
        },
        onDone: async ({ result, error }) => {
          await ctx.audit.write({
            ...base,
            event: 'ingest',
            outcome: result ? 'ok' : 'failed',
            rows: result?.batches.reduce((s, b) => s + b.rows_loaded + b.rows_updated, 0),
            // batch ids and counts only: file names may carry personal names
            detail: result
              ? `批次 ${
                  result.batches
                    .map((b) => `${b.batch_id ?? '跳过'}:${b.table}:拒绝${b.rows_rejected}`)
                    .join(',') || '无'
                }`
              : `失败：${error instanceof Error ? error.message.split('\n')[0] : String(error)}`.slice(
                  0,
                  300,
                ),
          });
        },
      });
      res.status(202).json({ job_id: job.id });
    } catch (e) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      await ctx.audit.write({
        ...auditBase(req, res),
        event: 'ingest',
        outcome: 'failed',
        detail: e instanceof HttpError ? e.code : 'upload_failed',
      });
      next(e);
    }
  });

  router.get('/ingest/:job_id/events', requireRole('admin'), (req, res, next) => {
    const job = jobs.get(String(req.params.job_id));
    if (!job) return next(notFound());
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    const seen = Number(req.get('last-event-id') ?? 0);
    for (const e of job.events) if (e.id > seen) sse(res, e);
    if (job.done) return void res.end();
    const stop = job.subscribe((e) => {
      sse(res, e);
      if (e.type === 'result' || e.type === 'error') {
        stop();
        res.end();
      }
    });
    res.on('close', () => stop());
  });

  router.get('/batches', requireRole('admin'), async (req, res, next) => {
    try {
      const q = z
        .strictObject({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          before: z.coerce.number().int().positive().optional(),
        })
        .safeParse(req.query);
      if (!q.success) throw badRequest(`查询参数有误：${q.error.issues[0]!.message}`);
      const batches = await ctx.pool.use(async (conn) => {
        const rows = await all<{ batch_id: number; rows_rejected: number }>(
          conn,
          `SELECT batch_id, file_name, sha256, table_name, format, encoding, mapping_sha256, retry_of, rows_read,
                  rows_loaded, rows_updated, rows_unchanged, rows_rejected, extra_columns, loaded_by, started_at,
                  finished_at
             FROM batches WHERE batch_id < $before
            ORDER BY batch_id DESC LIMIT $limit`,
          { before: q.data.before ?? 2 ** 31 - 1, limit: q.data.limit },
        );
        for (const r of rows) {
          (r as Record<string, unknown>).rejects =
            r.rows_rejected > 0 ? await batchRejects(conn, r.batch_id) : [];
        }
        return rows;
      });
      res.json({ batches });
    } catch (e) {
      next(e);
    }
  });

  return router;
}
