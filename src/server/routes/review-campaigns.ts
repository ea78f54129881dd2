import { randomInt } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { runModule } from '../../../queries/run.ts';
import { all, run } from '../../db/sql.ts';
import {
  AGENCIES,
  CAMPAIGN_MODES,
  CAMPAIGN_STATUSES,
  GRADES,
  REVIEW_DIMENSIONS,
} from '../../records/schemas.ts';
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
  campaignExists,
  campaignProgress,
  emptyProgress,
  findReview,
  sampleItem,
  sampleItems,
  visibleCampaigns,
  type ReviewRow,
} from '../resources/review-items.ts';

const grade = z.enum([...GRADES, '瑕疵'], {
  error: 'grade（评查等次）应为 优质、合格、基本合格 或 不合格（瑕疵 按 基本合格 记录）',
});
const reviewer = z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, {
  error: 'reviewer（评查人代号）为 1–32 个字母、数字、下划线、点或连字符',
});

const createBody = z.strictObject({
  name: text('name（活动名称）', 100),
  mode: z.enum(CAMPAIGN_MODES, { error: 'mode（评查方式）应为 常规抽查、重点评查、专项评查 或 联合评查' }),
  // review-sample's own parameters (from, to, size, seed, decision, district, as_of), checked by the module
  params: z.record(z.string(), z.unknown(), { error: 'params（抽样参数）应为对象' }).default({}),
});
const patchBody = z
  .strictObject({
    name: text('name（活动名称）', 100).optional(),
    status: z.enum(CAMPAIGN_STATUSES, { error: 'status（状态）应为 进行中、已完成 或 已撤销' }).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: '请至少给出 name 或 status' });
/** What the draw produced: the audit record of the sample, never changed after creation. */
const DRAWN = [
  'sample',
  'seed',
  'size',
  'population',
  'population_count',
  'params',
  'created_at',
  'created_by',
];

const reviewBody = z.strictObject({
  decision_id: z.string({ error: 'decision_id（决定编号）必填' }).min(1).max(64),
  grade,
  reviewed_on: pastDate('reviewed_on（评查日期）').optional(),
  reviewer: reviewer.optional(),
});
const reviewPatch = z
  .strictObject({
    grade: grade.optional(),
    reviewed_on: pastDate('reviewed_on（评查日期）').optional(),
    reviewer: reviewer.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: '请至少给出 grade、reviewed_on 或 reviewer' });
const findingBody = z.strictObject({
  dimension: z.enum(REVIEW_DIMENSIONS, {
    error: `dimension（问题类别）应为 ${REVIEW_DIMENSIONS.join('、')} 之一`,
  }),
  responsible: z.enum(AGENCIES, { error: 'responsible（责任机关）应为 公安 或 检察' }),
  text: text('text（问题描述）', 1000).optional(),
});

/** The campaign's sampled items in the caller's districts ($id, $districts), as a subquery. */
const sampleItemsSql = `
  SELECT x.decision_id, d.case_id, c.district_code, d.decision
  FROM (
    SELECT unnest(from_json(sample, '["VARCHAR"]')) AS decision_id FROM review_campaigns WHERE review_campaign_id = $id
  ) x
  JOIN decisions d ON d.decision_id = x.decision_id
  JOIN cases c ON c.case_id = d.case_id
  WHERE list_contains($districts, c.district_code)`;

const OPEN = '进行中';
const closedMessage = (status: string) =>
  `评查活动状态为「${status}」，不再接受评查结果；如需补录，请先由市级办公室将状态改回「进行中」。`;

/**
 * Art. 9 joint quality review (京检发〔2022〕169号 第9条): the city office creates a campaign, which draws its
 * sample once with the review-sample module and stores it; district users (and the city) record a grade per
 * sampled decision in their districts and the problems found. A district user sees the items of a cross-district
 * campaign in their districts only.
 */
export function reviewCampaignRoutes(ctx: ServerContext): Router {
  const router = Router();
  const lock = new KeyedLock();

  router.post('/review-campaigns', async (req: Request, res: Response) => {
    const event = 'review_campaign_create';
    await requireRecordRole(ctx, req, res, event);
    const session = sessionOf(res);
    if (session.user.role !== 'city') await refuse(ctx, req, res, event, '评查活动由市级办公室创建。');
    const body = parseBody(createBody, req.body);
    // the seed makes the draw repeatable; one not given is drawn here and stored with the campaign
    const seed = body.params.seed ?? randomInt(1, 2 ** 31);
    const scope = session.user.districts;
    const created = await ctx.pool.use(async (conn) => {
      const drawn = await runModule(conn, 'review-sample', { ...body.params, seed }, { districts: scope });
      if (drawn.rows.length === 0)
        throw badRequest(
          '按所给抽样参数，总体中没有不批准逮捕或不起诉决定，无法抽样：请检查 from、to、decision、district。',
        );
      const id = newId('RC');
      const first = drawn.rows[0]!;
      await insertAppRecord(conn, 'review_campaigns', {
        review_campaign_id: id,
        name: body.name,
        mode: body.mode,
        population: { module: 'review-sample', params: drawn.params },
        seed: Number(drawn.params.seed),
        population_count: Number(first.population_count),
        size: drawn.rows.length,
        created_by: session.user.username,
        created_at: beijingNow(),
        sample: drawn.rows.map((r) => r.decision_id as string),
        status: OPEN,
      });
      return { id, caseIds: drawn.rows.map((r) => r.case_id as string), params: drawn.params };
    });
    const detail = await ctx.pool.use((conn) => campaignDetail(conn, created.id, scope));
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      query: 'review-sample',
      params: created.params,
      rows: created.caseIds.length,
      detail: created.id,
      ...caseIdsSummary(created.caseIds),
    });
    res.status(201).json(detail);
  });

  router.get('/review-campaigns', async (req: Request, res: Response) => {
    await requireRecordRole(ctx, req, res, 'review_campaign_list');
    checkQuery(req, []);
    const scope = sessionOf(res).user.districts;
    const campaigns = await ctx.pool.use(async (conn) => {
      const rows = await visibleCampaigns(conn, scope);
      const progress = await campaignProgress(conn, scope);
      return rows.map((c) => ({
        ...c,
        progress: progress.get(c.review_campaign_id) ?? emptyProgress(c.sample_in_scope),
      }));
    });
    res.json({ review_campaigns: campaigns });
  });

  router.get('/review-campaigns/:id', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'review_campaign_read';
    await requireRecordRole(ctx, req, res, event);
    checkQuery(req, ['purpose']);
    const purpose = readPurpose(req, ctx.config.purposes, false);
    const id = pathId(req.params.id);
    const scope = sessionOf(res).user.districts;
    const detail = await ctx.pool.use((conn) => campaignDetail(conn, id, scope));
    if (!detail) {
      const exists = await ctx.pool.use((conn) => campaignExists(conn, id));
      return hidden(ctx, req, res, event, !!exists);
    }
    const ids = detail.sample.map((s) => s.case_id as string);
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      purpose,
      detail: id,
      rows: ids.length,
      ...caseIdsSummary(ids),
    });
    res.json(detail);
  });

  router.patch('/review-campaigns/:id', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'review_campaign_update';
    await requireRecordRole(ctx, req, res, event);
    if (sessionOf(res).user.role !== 'city') await refuse(ctx, req, res, event, '评查活动由市级办公室修改。');
    const id = pathId(req.params.id);
    const drawn = Object.keys((req.body as object | undefined) ?? {}).filter((k) => DRAWN.includes(k));
    if (drawn.length > 0)
      throw badRequest(
        `${drawn.join('、')} 不能修改：样本一经抽取即为抽样的审计记录，不再重抽；如需新的样本，请新建评查活动。`,
      );
    const body = parseBody(patchBody, req.body);
    const found = await ctx.pool.use(async (conn) => {
      if (!(await campaignExists(conn, id))) return undefined;
      await run(
        conn,
        `UPDATE review_campaigns SET name = coalesce($name, name), status = coalesce($status, status, '进行中')
         WHERE review_campaign_id = $id`,
        { id, name: body.name ?? null, status: body.status ?? null },
      );
      return campaignExists(conn, id);
    });
    if (!found) return hidden(ctx, req, res, event, false);
    await ctx.audit.write({ ...auditBase(req, res), event, outcome: 'ok', detail: id, params: body });
    res.json({ review_campaign: found });
  });

  router.post('/review-campaigns/:id/reviews', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'review_create';
    await requireRecordRole(ctx, req, res, event);
    const id = pathId(req.params.id);
    const body = parseBody(reviewBody, req.body);
    const session = sessionOf(res);
    const scope = session.user.districts;
    const { campaign, item } = await ctx.pool.use(async (conn) => ({
      campaign: await campaignExists(conn, id),
      item: await sampleItem(conn, id, body.decision_id),
    }));
    if (!campaign || !item) return hidden(ctx, req, res, event, false);
    if (!scope.includes(item.district_code)) return hidden(ctx, req, res, event, true, [item.case_id]);
    if (campaign.status !== OPEN) throw conflict(closedMessage(campaign.status));
    const stored = await lock.run(`${id}\n${body.decision_id}`, () =>
      ctx.pool.use(async (conn) => {
        const [existing] = await all<{ review_id: string }>(
          conn,
          'SELECT review_id FROM reviews WHERE review_campaign_id = $id AND decision_id = $d',
          { id, d: body.decision_id },
        );
        if (existing)
          throw conflict(
            `决定 ${body.decision_id} 已有评查结果（${existing.review_id}）：请用 PATCH /api/v1/reviews/${existing.review_id} 修改。`,
          );
        return insertAppRecord(conn, 'reviews', {
          review_id: newId('RV'),
          review_campaign_id: id,
          decision_id: body.decision_id,
          reviewer: body.reviewer ?? session.user.username,
          reviewed_on: body.reviewed_on ?? beijingToday(),
          grade: body.grade,
        });
      }),
    );
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      detail: stored.review_id as string,
      ...caseIdsSummary([item.case_id]),
    });
    res.status(201).json({ review: { ...stored, case_id: item.case_id, district_code: item.district_code } });
  });

  router.get('/review-campaigns/:id/reviews', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'review_list';
    await requireRecordRole(ctx, req, res, event);
    checkQuery(req, ['purpose']);
    const purpose = readPurpose(req, ctx.config.purposes, false);
    const id = pathId(req.params.id);
    const scope = sessionOf(res).user.districts;
    const reviews = await ctx.pool.use(async (conn) => {
      if ((await visibleCampaigns(conn, scope, id)).length === 0) return undefined;
      return all(
        conn,
        `SELECT r.review_id, r.decision_id, i.case_id, i.district_code, i.decision, r.grade, r.reviewer, r.reviewed_on,
           (SELECT count(*) FROM review_findings f WHERE f.review_id = r.review_id) AS findings
         FROM reviews r
         JOIN (${sampleItemsSql}) i ON i.decision_id = r.decision_id
         WHERE r.review_campaign_id = $id
         ORDER BY i.district_code, r.reviewed_on, r.review_id`,
        { id, districts: [...scope] },
      );
    });
    if (!reviews) {
      const exists = await ctx.pool.use((conn) => campaignExists(conn, id));
      return hidden(ctx, req, res, event, !!exists);
    }
    const ids = reviews.map((r) => r.case_id as string);
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      purpose,
      detail: id,
      rows: reviews.length,
      ...caseIdsSummary(ids),
    });
    res.json({ review_campaign_id: id, reviews });
  });

  /** The review, when its decision's case is in the caller's districts; else an audited 404. */
  async function reviewInScope(
    req: Request<{ id: string }>,
    res: Response,
    event: string,
  ): Promise<ReviewRow> {
    const id = pathId(req.params.id);
    const review = await ctx.pool.use((conn) => findReview(conn, id));
    const scope = sessionOf(res).user.districts;
    if (!review) return hidden(ctx, req, res, event, false);
    if (!review.district_code || !scope.includes(review.district_code))
      return hidden(ctx, req, res, event, true, review.case_id ? [review.case_id] : []);
    return review;
  }

  router.patch('/reviews/:id', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'review_update';
    await requireRecordRole(ctx, req, res, event);
    const body = parseBody(reviewPatch, req.body);
    const review = await reviewInScope(req, res, event);
    if (review.status !== OPEN) throw conflict(closedMessage(review.status));
    const updated = await ctx.pool.use(async (conn) => {
      await run(
        conn,
        `UPDATE reviews SET grade = coalesce($grade, grade), reviewed_on = coalesce($on::DATE, reviewed_on),
           reviewer = coalesce($reviewer, reviewer)
         WHERE review_id = $id`,
        {
          id: review.review_id,
          // 瑕疵 is stored as 基本合格 (contract.md), as on creation
          grade: body.grade === '瑕疵' ? '基本合格' : (body.grade ?? null),
          on: body.reviewed_on ?? null,
          reviewer: body.reviewer ?? null,
        },
      );
      return findReview(conn, review.review_id);
    });
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      detail: review.review_id,
      params: body,
      ...caseIdsSummary(review.case_id ? [review.case_id] : []),
    });
    res.json({ review: updated });
  });

  router.post('/reviews/:id/findings', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'review_finding_create';
    await requireRecordRole(ctx, req, res, event);
    const body = parseBody(findingBody, req.body);
    const review = await reviewInScope(req, res, event);
    if (review.status !== OPEN) throw conflict(closedMessage(review.status));
    const stored = await ctx.pool.use((conn) =>
      insertAppRecord(conn, 'review_findings', {
        review_finding_id: newId('RF'),
        review_id: review.review_id,
        dimension: body.dimension,
        responsible: body.responsible,
        text: body.text ?? null,
      }),
    );
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      detail: stored.review_finding_id as string,
      ...caseIdsSummary(review.case_id ? [review.case_id] : []),
    });
    res
      .status(201)
      .json({ finding: { ...stored, case_id: review.case_id, decision_id: review.decision_id } });
  });

  router.get('/reviews/:id/findings', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'review_finding_list';
    await requireRecordRole(ctx, req, res, event);
    checkQuery(req, ['purpose']);
    const purpose = readPurpose(req, ctx.config.purposes, false);
    const review = await reviewInScope(req, res, event);
    const findings = await ctx.pool.use((conn) =>
      all(
        conn,
        `SELECT review_finding_id, review_id, dimension, responsible, text FROM review_findings
         WHERE review_id = $id ORDER BY review_finding_id`,
        { id: review.review_id },
      ),
    );
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      purpose,
      detail: review.review_id,
      rows: findings.length,
      ...caseIdsSummary(review.case_id ? [review.case_id] : []),
    });
    res.json({ review, findings });
  });

  return router;
}

/** A campaign as the caller may see it: its record, progress in their districts and the items there; or none. */
async function campaignDetail(
  conn: Parameters<typeof visibleCampaigns>[0],
  id: string,
  scope: readonly string[],
): Promise<
  | {
      review_campaign: Record<string, unknown>;
      progress: Record<string, unknown>;
      sample: Record<string, unknown>[];
    }
  | undefined
> {
  const [campaign] = await visibleCampaigns(conn, scope, id);
  if (!campaign) return undefined;
  const progress =
    (await campaignProgress(conn, scope, id)).get(id) ?? emptyProgress(campaign.sample_in_scope);
  const sample = await sampleItems(conn, id, scope);
  return { review_campaign: campaign, progress, sample };
}
