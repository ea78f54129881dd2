import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { runModule } from '../../../queries/run.ts';
import { all, run } from '../../db/sql.ts';
import { AGENCIES, CAMPAIGN_STATUSES, INSPECTION_RESULTS } from '../../records/schemas.ts';
import { insertAppRecord } from '../../records/store.ts';
import { caseIdsSummary } from '../audit/log.ts';
import { auditBase, sessionOf, type ServerContext } from '../context.ts';
import { badRequest } from '../http-errors.ts';
import { readPurpose } from '../purpose.ts';
import {
  KeyedLock,
  beijingNow,
  beijingToday,
  checkQuery,
  conflict,
  dateField,
  hidden,
  newId,
  parseBody,
  pastDate,
  pathId,
  refuse,
  requireRecordRole,
  text,
} from '../resources/common.ts';
import {
  criteriaModules,
  findFinding,
  findingsInScope,
  inspectionExists,
  inspectionProgress,
  matchedCase,
  matchedCases,
  visibleInspections,
} from '../resources/inspection-items.ts';

const datesInOrder = (b: { start_on?: string | null; end_on?: string | null }) =>
  !b.start_on || !b.end_on || b.start_on <= b.end_on;
const ORDER_MESSAGE = { error: 'end_on（结束日期）不能早于 start_on（开始日期）', path: ['end_on'] };

const createBody = z
  .strictObject({
    name: text('name（检查名称）', 100),
    topic: text('topic（主题）', 100).optional(),
    start_on: dateField('start_on（开始日期）').optional(),
    end_on: dateField('end_on（结束日期）').optional(),
    criteria: z.strictObject(
      {
        module: z.string({ error: 'criteria.module（查询模块）必填' }),
        params: z.record(z.string(), z.unknown(), { error: 'criteria.params 应为对象' }).default({}),
      },
      { error: 'criteria（纳入条件）应为 {module, params}' },
    ),
  })
  .refine(datesInOrder, ORDER_MESSAGE);
const patchBody = z
  .strictObject({
    name: text('name（检查名称）', 100).optional(),
    topic: text('topic（主题）', 100).nullable().optional(),
    start_on: dateField('start_on（开始日期）').nullable().optional(),
    end_on: dateField('end_on（结束日期）').nullable().optional(),
    status: z.enum(CAMPAIGN_STATUSES, { error: 'status（状态）应为 进行中、已完成 或 已撤销' }).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: '请至少给出一个要修改的字段' });
const FIXED = ['criteria', 'matched', 'created_by', 'created_at'];

const result = z.enum(INSPECTION_RESULTS, { error: 'result（检查结论）应为 无问题 或 有问题' });
const responsible = z.enum(AGENCIES, { error: 'responsible（责任机关）应为 公安 或 检察' });
const findingBody = z.strictObject({
  case_id: z.string({ error: 'case_id（案件编号）必填' }).min(1).max(100),
  checked_on: pastDate('checked_on（检查日期）').optional(),
  result,
  text: text('text（检查情况）', 1000).optional(),
  responsible: responsible.optional(),
  rectified_on: pastDate('rectified_on（整改日期）').optional(),
});
const findingPatch = z
  .strictObject({
    checked_on: pastDate('checked_on（检查日期）').optional(),
    result: result.optional(),
    text: text('text（检查情况）', 1000).nullable().optional(),
    responsible: responsible.nullable().optional(),
    rectified_on: pastDate('rectified_on（整改日期）').nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: '请至少给出一个要修改的字段' });

interface Finding {
  checked_on: string;
  result: string;
  responsible?: string | null;
  rectified_on?: string | null;
}
/** A check is one row per case: responsibility and rectification belong to a case with a problem. */
function findingProblem(f: Finding): string | undefined {
  if (f.result === '无问题' && (f.responsible || f.rectified_on))
    return '检查结论为「无问题」时不填写 responsible（责任机关）和 rectified_on（整改日期）。';
  if (f.rectified_on && f.rectified_on < f.checked_on)
    return 'rectified_on（整改日期）不能早于 checked_on（检查日期）。';
  return undefined;
}

const OPEN = '进行中';
const closedMessage = (status: string) =>
  `专项检查状态为「${status}」，不再接受检查结果；如需补录，请先由市级办公室将状态改回「进行中」。`;

/**
 * 专项检查 (京检发〔2022〕169号 第9条): the city office defines an inspection by a query module and its parameters;
 * the cases it matches over the whole city are stored at creation (progress = checked / matched, as the
 * inspection-results module counts). District users (and the city) record one check per matched case in their
 * districts: the finding, responsibility, and the rectification date.
 */
export function inspectionRoutes(ctx: ServerContext): Router {
  const router = Router();
  const lock = new KeyedLock();

  async function detail(id: string, scope: readonly string[]) {
    return ctx.pool.use(async (conn) => {
      const [inspection] = await visibleInspections(conn, scope, id);
      if (!inspection) return undefined;
      const [progress] = await inspectionProgress(conn, scope, id);
      const byDistrict = await inspectionProgress(conn, scope, id, true);
      const cases = await matchedCases(conn, id, scope);
      return { inspection, progress: progress ?? null, by_district: byDistrict, cases };
    });
  }

  router.post('/inspections', async (req: Request, res: Response) => {
    const event = 'inspection_create';
    await requireRecordRole(ctx, req, res, event);
    const session = sessionOf(res);
    if (session.user.role !== 'city') await refuse(ctx, req, res, event, '专项检查由市级办公室创建。');
    const body = parseBody(createBody, req.body);
    const allowed = criteriaModules();
    const m = allowed.find((x) => x.name === body.criteria.module);
    if (!m)
      throw badRequest(
        `criteria.module（查询模块）应为列出案件的模块之一：${allowed.map((x) => x.name).join('、')}。`,
      );
    const scope = session.user.districts;
    const created = await ctx.pool.use(async (conn) => {
      // over the whole city: the city user's scope is all 16 districts
      const found = await runModule(conn, m.name, body.criteria.params, { districts: scope });
      const matched = [
        ...new Set(found.rows.map((r) => r.case_id).filter((x): x is string => typeof x === 'string')),
      ];
      if (matched.length === 0) throw badRequest('按所给条件没有匹配的案件，无法创建专项检查。');
      const id = newId('IC');
      await insertAppRecord(conn, 'inspection_campaigns', {
        inspection_campaign_id: id,
        name: body.name,
        topic: body.topic ?? null,
        start_on: body.start_on ?? null,
        end_on: body.end_on ?? null,
        criteria: { module: m.name, params: found.params },
        matched,
        created_by: session.user.username,
        created_at: beijingNow(),
        status: OPEN,
      });
      return { id, matched, params: found.params };
    });
    const out = await detail(created.id, scope);
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      query: m.name,
      params: created.params,
      rows: created.matched.length,
      detail: created.id,
      ...caseIdsSummary(created.matched),
    });
    res.status(201).json(out);
  });

  router.get('/inspections', async (req: Request, res: Response) => {
    await requireRecordRole(ctx, req, res, 'inspection_list');
    checkQuery(req, []);
    const scope = sessionOf(res).user.districts;
    const inspections = await ctx.pool.use(async (conn) => {
      const rows = await visibleInspections(conn, scope);
      const progress = new Map(
        (await inspectionProgress(conn, scope)).map((p) => [p.inspection_campaign_id, p]),
      );
      return rows.map((r) => ({ ...r, progress: progress.get(r.inspection_campaign_id) ?? null }));
    });
    res.json({ inspections });
  });

  router.get('/inspections/:id', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'inspection_read';
    await requireRecordRole(ctx, req, res, event);
    checkQuery(req, ['purpose']);
    const purpose = readPurpose(req, ctx.config.purposes, false);
    const id = pathId(req.params.id);
    const out = await detail(id, sessionOf(res).user.districts);
    if (!out) {
      const exists = await ctx.pool.use((conn) => inspectionExists(conn, id));
      return hidden(ctx, req, res, event, !!exists);
    }
    const ids = out.cases.map((c) => c.case_id as string);
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      purpose,
      detail: id,
      rows: ids.length,
      ...caseIdsSummary(ids),
    });
    res.json(out);
  });

  router.patch('/inspections/:id', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'inspection_update';
    await requireRecordRole(ctx, req, res, event);
    if (sessionOf(res).user.role !== 'city') await refuse(ctx, req, res, event, '专项检查由市级办公室修改。');
    const id = pathId(req.params.id);
    const fixed = Object.keys((req.body as object | undefined) ?? {}).filter((k) => FIXED.includes(k));
    if (fixed.length > 0)
      throw badRequest(
        `${fixed.join('、')} 不能修改：纳入案件在创建时按条件计算并固定；如需新的范围，请新建专项检查。`,
      );
    const body = parseBody(patchBody, req.body);
    const updated = await ctx.pool.use(async (conn) => {
      const before = await inspectionExists(conn, id);
      if (!before) return undefined;
      const merged = {
        start_on: body.start_on === undefined ? before.start_on : body.start_on,
        end_on: body.end_on === undefined ? before.end_on : body.end_on,
      };
      if (!datesInOrder(merged)) throw badRequest(`${ORDER_MESSAGE.error}。`);
      await run(
        conn,
        `UPDATE inspection_campaigns SET
           name = coalesce($name, name),
           topic = CASE WHEN $set_topic THEN $topic ELSE topic END,
           start_on = $start_on::DATE, end_on = $end_on::DATE,
           status = coalesce($status, status, '进行中')
         WHERE inspection_campaign_id = $id`,
        {
          id,
          name: body.name ?? null,
          set_topic: body.topic !== undefined,
          topic: body.topic ?? null,
          start_on: merged.start_on,
          end_on: merged.end_on,
          status: body.status ?? null,
        },
      );
      return inspectionExists(conn, id);
    });
    if (!updated) return hidden(ctx, req, res, event, false);
    await ctx.audit.write({ ...auditBase(req, res), event, outcome: 'ok', detail: id, params: body });
    res.json({ inspection: updated });
  });

  router.post('/inspections/:id/findings', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'inspection_finding_create';
    await requireRecordRole(ctx, req, res, event);
    const id = pathId(req.params.id);
    const body = parseBody(findingBody, req.body);
    const checkedOn = body.checked_on ?? beijingToday();
    const problem = findingProblem({ ...body, checked_on: checkedOn });
    if (problem) throw badRequest(problem);
    const scope = sessionOf(res).user.districts;
    const { inspection, item } = await ctx.pool.use(async (conn) => ({
      inspection: await inspectionExists(conn, id),
      item: await matchedCase(conn, id, body.case_id),
    }));
    if (!inspection || !item) return hidden(ctx, req, res, event, false, [body.case_id]);
    if (!scope.includes(item.district_code)) return hidden(ctx, req, res, event, true, [item.case_id]);
    if (inspection.status !== OPEN) throw conflict(closedMessage(inspection.status));
    const stored = await lock.run(`${id}\n${item.case_id}`, () =>
      ctx.pool.use(async (conn) => {
        const [existing] = await all<{ inspection_finding_id: string }>(
          conn,
          'SELECT inspection_finding_id FROM inspection_findings WHERE inspection_campaign_id = $id AND case_id = $c',
          { id, c: item.case_id },
        );
        if (existing)
          throw conflict(
            `案件 ${item.case_id} 已有检查结果（${existing.inspection_finding_id}）：请用 PATCH /api/v1/inspections/${id}/findings/${existing.inspection_finding_id} 修改。`,
          );
        return insertAppRecord(conn, 'inspection_findings', {
          inspection_finding_id: newId('IF'),
          inspection_campaign_id: id,
          case_id: item.case_id,
          checked_on: checkedOn,
          result: body.result,
          text: body.text ?? null,
          responsible: body.responsible ?? null,
          rectified_on: body.rectified_on ?? null,
        });
      }),
    );
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      detail: stored.inspection_finding_id as string,
      ...caseIdsSummary([item.case_id]),
    });
    res.status(201).json({ finding: { ...stored, district_code: item.district_code } });
  });

  router.get('/inspections/:id/findings', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'inspection_finding_list';
    await requireRecordRole(ctx, req, res, event);
    checkQuery(req, ['purpose']);
    const purpose = readPurpose(req, ctx.config.purposes, false);
    const id = pathId(req.params.id);
    const scope = sessionOf(res).user.districts;
    const findings = await ctx.pool.use(async (conn) =>
      (await visibleInspections(conn, scope, id)).length === 0 ? undefined : findingsInScope(conn, id, scope),
    );
    if (!findings) {
      const exists = await ctx.pool.use((conn) => inspectionExists(conn, id));
      return hidden(ctx, req, res, event, !!exists);
    }
    const ids = findings.map((f) => f.case_id as string);
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      purpose,
      detail: id,
      rows: findings.length,
      ...caseIdsSummary(ids),
    });
    res.json({ inspection_campaign_id: id, findings });
  });

  router.patch(
    '/inspections/:id/findings/:finding',
    async (req: Request<{ id: string; finding: string }>, res: Response) => {
      const event = 'inspection_finding_update';
      await requireRecordRole(ctx, req, res, event);
      const id = pathId(req.params.id);
      const findingId = pathId(req.params.finding);
      const body = parseBody(findingPatch, req.body);
      const scope = sessionOf(res).user.districts;
      const { inspection, before } = await ctx.pool.use(async (conn) => ({
        inspection: await inspectionExists(conn, id),
        before: await findFinding(conn, id, findingId),
      }));
      if (!inspection || !before) return hidden(ctx, req, res, event, false);
      const caseId = before.case_id as string;
      if (!scope.includes(before.district_code as string))
        return hidden(ctx, req, res, event, true, [caseId]);
      if (inspection.status !== OPEN) throw conflict(closedMessage(inspection.status));
      const pick = <K extends keyof typeof body>(k: K) => (body[k] === undefined ? before[k] : body[k]);
      const merged = {
        checked_on: pick('checked_on') as string,
        result: pick('result') as string,
        text: pick('text') as string | null,
        responsible: pick('responsible') as string | null,
        rectified_on: pick('rectified_on') as string | null,
      };
      const problem = findingProblem(merged);
      if (problem) throw badRequest(problem);
      const after = await ctx.pool.use(async (conn) => {
        await run(
          conn,
          `UPDATE inspection_findings SET checked_on = $checked_on::DATE, result = $result, text = $text,
             responsible = $responsible, rectified_on = $rectified_on::DATE
           WHERE inspection_finding_id = $id`,
          { id: findingId, ...merged },
        );
        return findFinding(conn, id, findingId);
      });
      await ctx.audit.write({
        ...auditBase(req, res),
        event,
        outcome: 'ok',
        detail: findingId,
        ...caseIdsSummary([caseId]),
      });
      res.json({ finding: after });
    },
  );

  return router;
}
