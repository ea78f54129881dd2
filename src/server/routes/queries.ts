import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { toArrow } from '../../../queries/output/arrow.ts';
import { toCsv } from '../../../queries/output/csv.ts';
import { toXlsx } from '../../../queries/output/xlsx.ts';
import type { QueryModule } from '../../../queries/module.ts';
import { MODULES, findModule } from '../../../queries/registry.ts';
import { runModule, type QueryResult } from '../../../queries/run.ts';
import { caseIdsSummary } from '../audit/log.ts';
import type { Role } from '../auth/sessions.ts';
import { auditBase, clientGone, sessionOf, type ServerContext } from '../context.ts';
import { HttpError, badRequest, notFound } from '../http-errors.ts';
import { readPurpose } from '../purpose.ts';
import { limitersOf, takeOrRefuse } from '../rate-limit.ts';

export const ARROW_TYPE = 'application/vnd.apache.arrow.stream';
/** Parameters of the request, not of the module. */
const RESERVED = new Set(['format', 'purpose']);
/** Served only through /cases/:id, where the purpose and the per-case scope check happen. */
const CASE_DETAIL_ONLY = new Set(['case-timeline']);

/** The modules a role may run (spec/api.md): admin none with case-level rows, auditor none at all. */
export function modulesFor(role: Role): QueryModule[] {
  if (role === 'auditor') return [];
  return MODULES.filter((m) => !CASE_DETAIL_ONLY.has(m.name) && (role !== 'admin' || !m.caseLevel));
}

/** `?a=1&b=2` → strings; a repeated key or a nested one is refused rather than guessed at. */
function moduleParams(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) {
    if (RESERVED.has(k)) continue;
    if (typeof v !== 'string') throw badRequest(`参数 ${k} 只能给一次，且为单个值。`);
    out[k] = v;
  }
  return out;
}

function wantsArrow(req: Request): boolean {
  return (req.get('accept') ?? '').includes(ARROW_TYPE);
}

function contentDisposition(fileName: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Drill-down filters every module understands, beyond its own parameters (city → district → unit): `district`
 * narrows the scope to one district already in it (modules that declare `district` get it as a parameter instead),
 * and `police_unit` keeps the rows of one unit, for modules whose rows carry it. Both come out of `params`.
 */
function drillFilters(
  m: QueryModule,
  params: Record<string, string>,
  districts: readonly string[],
): { scope: readonly string[]; unit?: string } {
  const declared = Object.keys(m.params.shape);
  let scope = districts;
  if (params.district !== undefined && !declared.includes('district')) {
    scope = [params.district];
    delete params.district;
  }
  let unit: string | undefined;
  if (params.police_unit !== undefined && !declared.includes('police_unit')) {
    if (!m.columns.some((c) => c.name === 'police_unit'))
      throw badRequest(`模块 ${m.name} 的结果不含办案单位，不能按 police_unit 筛选。`);
    unit = params.police_unit;
    delete params.police_unit;
  }
  return { scope, unit };
}

export function queryRoutes(ctx: ServerContext): Router {
  const router = Router();

  router.get('/queries', (_req, res) => {
    const role = sessionOf(res).user.role;
    res.json({
      queries: modulesFor(role).map((m) => ({
        name: m.name,
        title: m.title,
        case_level: m.caseLevel,
        basis: m.basis,
        columns: m.columns,
        params: z.toJSONSchema(m.params, { io: 'input', unrepresentable: 'any' }),
      })),
    });
  });

  router.get('/queries/:name', async (req: Request<{ name: string }>, res: Response) => {
    const session = sessionOf(res);
    const m = modulesFor(session.user.role).find((x) => x.name === req.params.name);
    if (!m) {
      if (
        findModule(req.params.name) &&
        session.user.role !== 'auditor' &&
        !CASE_DETAIL_ONLY.has(req.params.name)
      )
        throw new HttpError(403, 'forbidden', '您的角色不能运行返回案件明细的查询模块。');
      throw notFound();
    }
    const format = req.query.format;
    if (format !== undefined && format !== 'csv' && format !== 'xlsx')
      throw badRequest('format 应为 csv 或 xlsx（JSON 为默认，Arrow 用 Accept 请求头）。');
    const params = moduleParams(req);
    const purpose = readPurpose(req, ctx.config.purposes, m.caseLevel && format !== undefined);
    const audit = { ...auditBase(req, res), query: m.name, params: { ...params }, purpose };
    // a district named in the request is checked against the session's scope: outside it looks like nothing there
    if (params.district !== undefined && !session.user.districts.includes(params.district)) {
      await ctx.audit.write({ ...audit, event: 'query', outcome: 'denied', detail: 'district_out_of_scope' });
      throw notFound();
    }
    const { scope, unit } = drillFilters(m, params, session.user.districts);
    // case-level reads share the per-user budget with case detail (mass exfiltration, ASVS 2.4.1)
    if (m.caseLevel)
      await takeOrRefuse(ctx, limitersOf(ctx).caseReads, session.user.username, {
        ...audit,
        event: 'rate_limited',
        outcome: 'denied',
        detail: 'query',
      });
    const started = Date.now();
    const exporting = format !== undefined;
    const result: QueryResult = await ctx.pool.use(
      (conn) => runModule(conn, m.name, params, { districts: scope }),
      exporting ? 120_000 : undefined,
      clientGone(req, res),
    );
    if (unit !== undefined) result.rows = result.rows.filter((r) => r.police_unit === unit);
    if (exporting && result.rows.length > ctx.config.exportRowCap) {
      throw badRequest(
        `结果有 ${result.rows.length} 行，超过导出上限 ${ctx.config.exportRowCap} 行：请缩小时间范围或按区、单位筛选后再导出。`,
      );
    }
    const labels = Object.fromEntries(m.columns.map((c) => [c.name, c.label]));
    let body: string | Uint8Array;
    if (format === 'csv') {
      body = toCsv(result.columns, result.rows, labels);
      res.type('text/csv; charset=utf-8');
      res.setHeader(
        'Content-Disposition',
        contentDisposition(`${m.title}-${result.meta.as_of}.csv`, `${m.name}.csv`),
      );
    } else if (format === 'xlsx') {
      body = await toXlsx(m.title, result.columns, result.rows, labels);
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader(
        'Content-Disposition',
        contentDisposition(`${m.title}-${result.meta.as_of}.xlsx`, `${m.name}.xlsx`),
      );
    } else if (wantsArrow(req)) {
      body = toArrow(result.columns, result.rows, {
        ...result.meta,
        query: result.query,
        params: result.params,
        columns: result.columns.map((c) => ({ ...c, label: labels[c.name] ?? c.name })),
      });
      res.type(ARROW_TYPE);
    } else {
      body = JSON.stringify({
        ...result,
        columns: result.columns.map((c) => ({ ...c, label: labels[c.name] ?? c.name })),
      });
      res.type('application/json; charset=utf-8');
    }
    if (m.caseLevel) {
      const ids = result.rows.map((r) => r.case_id).filter((x): x is string => typeof x === 'string');
      await ctx.audit.write({
        ...audit,
        event: exporting ? 'export' : 'query',
        outcome: 'ok',
        rows: result.rows.length,
        bytes: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
        duration_ms: Date.now() - started,
        detail: exporting ? `format=${format}` : undefined,
        ...caseIdsSummary(ids),
      });
    }
    res.send(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });

  return router;
}
