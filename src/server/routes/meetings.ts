import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { periodParam } from '../../../queries/period.ts';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { run } from '../../db/sql.ts';
import { AGENCIES, MEETING_KINDS, MEETING_LEVELS } from '../../records/schemas.ts';
import { insertAppRecord } from '../../records/store.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { auditBase, sessionOf, type ServerContext } from '../context.ts';
import { HttpError, badRequest } from '../http-errors.ts';
import {
  KeyedLock,
  beijingNow,
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
  canSeeMeeting,
  canSeePack,
  canWriteMeeting,
  carriedActions,
  findAction,
  findMeeting,
  listMeetings,
  meetingActions,
  summary,
  type MeetingRow,
} from '../resources/meeting-items.ts';

const district = z.enum(ALL_DISTRICTS, {
  error: 'district_code（区划代码）应为北京市 16 个区之一（如 110105）',
});
const topics = z
  .array(text('topics（议题）的每一项', 200), { error: 'topics（议题）应为文字列表' })
  .max(20, { error: 'topics（议题）最多 20 项' });
const period = periodParam;

const createBody = z
  .strictObject({
    level: z.enum(MEETING_LEVELS, { error: 'level（层级）应为 市级 或 区级' }),
    district_code: district.nullable().optional(),
    held_on: dateField('held_on（会议日期）'),
    kind: z.enum(MEETING_KINDS, { error: 'kind（会议类型）应为 定期 或 专题' }),
    topics: topics.optional(),
    has_minutes: z.boolean({ error: 'has_minutes（是否形成纪要）应为 true 或 false' }).optional(),
    period: period.optional(),
  })
  .refine((b) => (b.level === '区级') === !!b.district_code, {
    error: '区级联席会议须填写 district_code（区划代码），市级联席会议不填',
    path: ['district_code'],
  });
const patchBody = z
  .strictObject({
    held_on: dateField('held_on（会议日期）').optional(),
    kind: z.enum(MEETING_KINDS, { error: 'kind（会议类型）应为 定期 或 专题' }).optional(),
    topics: topics.nullable().optional(),
    has_minutes: z.boolean({ error: 'has_minutes（是否形成纪要）应为 true 或 false' }).optional(),
    period: period.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: '请至少给出一个要修改的字段' });
const FIXED = ['level', 'district_code', 'pack', 'created_by', 'meeting_id'];

const agency = z.enum(AGENCIES, { error: 'owner_agency（牵头机关）应为 公安 或 检察' });
const actionBody = z.strictObject({
  text: text('text（议定事项）', 500),
  owner_agency: agency,
  owner_unit: text('owner_unit（责任单位）', 100).optional(),
  due_on: dateField('due_on（完成时限）').optional(),
  closed_on: pastDate('closed_on（办结日期）').optional(),
});
const actionPatch = z
  .strictObject({
    text: text('text（议定事项）', 500).optional(),
    owner_agency: agency.optional(),
    owner_unit: text('owner_unit（责任单位）', 100).nullable().optional(),
    due_on: dateField('due_on（完成时限）').nullable().optional(),
    closed_on: pastDate('closed_on（办结日期）').nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: '请至少给出一个要修改的字段' });
const packBody = z.strictObject({ as_of: dateField('as_of（数据截止日期）').optional() });

const owner = (agencyName: string, unit: string | null | undefined) =>
  unit ? `${agencyName} ${unit}` : agencyName;

function actionDates(m: MeetingRow, a: { due_on?: string | null; closed_on?: string | null }): void {
  if (a.due_on && a.due_on < m.held_on) throw badRequest('due_on（完成时限）不能早于会议日期。');
  if (a.closed_on && a.closed_on < m.held_on) throw badRequest('closed_on（办结日期）不能早于会议日期。');
}

/**
 * 联席会议 (京检发〔2022〕169号 第22条): meetings, their 议定事项 (carried to the next meetings of the same series
 * until closed), and the figures shown, frozen as the joint-meeting-pack module's rows with their data-as-of date so
 * that later loads (which update rows in place) never change what the meeting saw.
 */
export function meetingRoutes(ctx: ServerContext): Router {
  const router = Router();
  const lock = new KeyedLock();

  /** The meeting if the caller may see it (and, with `write`, keep it); else an audited 404 or 403. */
  async function meetingFor(
    req: Request<{ id: string }>,
    res: Response,
    event: string,
    write: boolean,
  ): Promise<{ meeting: MeetingRow; user: SessionUser }> {
    await requireRecordRole(ctx, req, res, event);
    const id = pathId(req.params.id);
    const user = sessionOf(res).user;
    const meeting = await ctx.pool.use((conn) => findMeeting(conn, id));
    if (!meeting || !canSeeMeeting(user, meeting)) return hidden(ctx, req, res, event, !!meeting);
    if (write && !canWriteMeeting(user, meeting))
      await refuse(
        ctx,
        req,
        res,
        event,
        meeting.level === '市级' ? '市级联席会议由市级办公室填报。' : '区级联席会议由本区用户填报。',
      );
    return { meeting, user };
  }

  router.post('/meetings', async (req: Request, res: Response) => {
    const event = 'meeting_create';
    await requireRecordRole(ctx, req, res, event);
    const body = parseBody(createBody, req.body);
    const user = sessionOf(res).user;
    const target = { level: body.level, district_code: body.district_code ?? null };
    if (target.district_code && !user.districts.includes(target.district_code))
      return hidden(ctx, req, res, event, true);
    if (!canWriteMeeting(user, target))
      await refuse(
        ctx,
        req,
        res,
        event,
        body.level === '市级' ? '市级联席会议由市级办公室填报。' : '区级联席会议由本区用户填报。',
      );
    const created = await ctx.pool.use(async (conn) => {
      const id = newId('MT');
      await insertAppRecord(conn, 'meetings', {
        meeting_id: id,
        level: body.level,
        district_code: target.district_code,
        held_on: body.held_on,
        kind: body.kind,
        topics: body.topics ?? null,
        has_minutes: body.has_minutes ?? false,
        pack: null,
        period: body.period ?? null,
        created_by: user.username,
      });
      return findMeeting(conn, id);
    });
    await ctx.audit.write({ ...auditBase(req, res), event, outcome: 'ok', detail: created!.meeting_id });
    res.status(201).json({ meeting: summary(created!) });
  });

  router.get('/meetings', async (req: Request, res: Response) => {
    await requireRecordRole(ctx, req, res, 'meeting_list');
    checkQuery(req, []);
    const user = sessionOf(res).user;
    res.json({ meetings: await ctx.pool.use((conn) => listMeetings(conn, user)) });
  });

  router.get('/meetings/:id', async (req: Request<{ id: string }>, res: Response) => {
    checkQuery(req, []);
    const { meeting } = await meetingFor(req, res, 'meeting_read', false);
    const out = await ctx.pool.use(async (conn) => ({
      actions: await meetingActions(conn, meeting.meeting_id),
      carried: await carriedActions(conn, meeting),
    }));
    res.json({ meeting: summary(meeting), actions: out.actions, carried_actions: out.carried });
  });

  router.patch('/meetings/:id', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'meeting_update';
    const fixed = Object.keys((req.body as object | undefined) ?? {}).filter((k) => FIXED.includes(k));
    const { meeting } = await meetingFor(req, res, event, true);
    if (fixed.length > 0)
      throw badRequest(
        `${fixed.join('、')} 不能修改：层级和区划决定会议归属；数据用 POST /api/v1/meetings/${meeting.meeting_id}/pack 固定。`,
      );
    const body = parseBody(patchBody, req.body);
    if (body.period !== undefined && meeting.pack && body.period !== meeting.period)
      throw conflict('本次会议的数据已固定，不能再改通报期间（period）。');
    const updated = await ctx.pool.use(async (conn) => {
      await run(
        conn,
        `UPDATE meetings SET held_on = coalesce($held_on::DATE, held_on), kind = coalesce($kind, kind),
           topics = CASE WHEN $set_topics THEN $topics ELSE topics END,
           has_minutes = coalesce($has_minutes, has_minutes),
           period = CASE WHEN $set_period THEN $period ELSE period END
         WHERE meeting_id = $id`,
        {
          id: meeting.meeting_id,
          held_on: body.held_on ?? null,
          kind: body.kind ?? null,
          set_topics: body.topics !== undefined,
          topics: body.topics ? JSON.stringify(body.topics) : null,
          has_minutes: body.has_minutes ?? null,
          set_period: body.period !== undefined,
          period: body.period ?? null,
        },
      );
      return findMeeting(conn, meeting.meeting_id);
    });
    await ctx.audit.write({ ...auditBase(req, res), event, outcome: 'ok', detail: meeting.meeting_id });
    res.json({ meeting: summary(updated!) });
  });

  router.post('/meetings/:id/actions', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'meeting_action_create';
    const { meeting } = await meetingFor(req, res, event, true);
    const body = parseBody(actionBody, req.body);
    actionDates(meeting, body);
    const stored = await ctx.pool.use(async (conn) => {
      const rec = await insertAppRecord(conn, 'meeting_actions', {
        action_id: newId('MA'),
        meeting_id: meeting.meeting_id,
        text: body.text,
        owner: owner(body.owner_agency, body.owner_unit),
        due_on: body.due_on ?? null,
        closed_on: body.closed_on ?? null,
      });
      return findAction(conn, meeting.meeting_id, rec.action_id as string);
    });
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      detail: `${meeting.meeting_id}/${stored!.action_id as string}`,
    });
    res.status(201).json({ action: stored });
  });

  router.get('/meetings/:id/actions', async (req: Request<{ id: string }>, res: Response) => {
    checkQuery(req, []);
    const { meeting } = await meetingFor(req, res, 'meeting_action_list', false);
    const out = await ctx.pool.use(async (conn) => ({
      actions: await meetingActions(conn, meeting.meeting_id),
      carried: await carriedActions(conn, meeting),
    }));
    res.json({ meeting_id: meeting.meeting_id, actions: out.actions, carried_actions: out.carried });
  });

  router.patch(
    '/meetings/:id/actions/:action',
    async (req: Request<{ id: string; action: string }>, res: Response) => {
      const event = 'meeting_action_update';
      const { meeting } = await meetingFor(req, res, event, true);
      const actionId = pathId(req.params.action);
      const body = parseBody(actionPatch, req.body);
      const before = await ctx.pool.use((conn) => findAction(conn, meeting.meeting_id, actionId));
      if (!before) return hidden(ctx, req, res, event, false);
      const merged = {
        text: body.text ?? (before.text as string),
        owner: owner(
          body.owner_agency ?? ((before.owner_agency as string | null) || AGENCIES[0]),
          body.owner_unit === undefined ? (before.owner_unit as string | null) : body.owner_unit,
        ),
        due_on: body.due_on === undefined ? (before.due_on as string | null) : body.due_on,
        closed_on: body.closed_on === undefined ? (before.closed_on as string | null) : body.closed_on,
      };
      actionDates(meeting, merged);
      const after = await ctx.pool.use(async (conn) => {
        await run(
          conn,
          `UPDATE meeting_actions SET text = $text, owner = $owner, due_on = $due_on::DATE, closed_on = $closed_on::DATE
           WHERE action_id = $id AND meeting_id = $meeting`,
          { ...merged, id: actionId, meeting: meeting.meeting_id },
        );
        return findAction(conn, meeting.meeting_id, actionId);
      });
      await ctx.audit.write({
        ...auditBase(req, res),
        event,
        outcome: 'ok',
        detail: `${meeting.meeting_id}/${actionId}`,
      });
      res.json({ action: after });
    },
  );

  router.post('/meetings/:id/pack', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'meeting_pack_freeze';
    const { meeting, user } = await meetingFor(req, res, event, true);
    const body = parseBody(packBody, req.body ?? {});
    if (!meeting.period)
      throw badRequest('会议未设置通报期间（period，如 2025Q2）：请先用 PATCH 填写，再固定数据。');
    const pack = await lock.run(meeting.meeting_id, () =>
      ctx.pool.use(async (conn) => {
        const current = await findMeeting(conn, meeting.meeting_id);
        if (current?.pack) throw conflict('本次会议的数据已固定，不再重算：会上所见的数据以固定时为准。');
        const result = await runModule(
          conn,
          'joint-meeting-pack',
          {
            period: meeting.period,
            level: meeting.level,
            // the deck's breakdowns too, so the deck reopened later is the one the meeting saw
            detail: true,
            ...(meeting.district_code ? { district: meeting.district_code } : {}),
            ...(body.as_of ? { as_of: body.as_of } : {}),
          },
          { districts: user.districts },
        );
        // the rows themselves: a load updates rows in place, so batch ids could not bring these figures back
        const frozen = {
          query: result.query,
          params: result.params,
          meta: result.meta,
          columns: result.columns,
          rows: result.rows,
          frozen_at: beijingNow(),
          frozen_by: user.username,
        };
        await run(conn, 'UPDATE meetings SET pack = $pack WHERE meeting_id = $id', {
          id: meeting.meeting_id,
          pack: JSON.stringify(frozen),
        });
        return frozen;
      }),
    );
    await ctx.audit.write({
      ...auditBase(req, res),
      event,
      outcome: 'ok',
      query: 'joint-meeting-pack',
      params: pack.params,
      rows: pack.rows.length,
      detail: meeting.meeting_id,
    });
    res.status(201).json(packResponse(meeting, pack));
  });

  router.get('/meetings/:id/pack', async (req: Request<{ id: string }>, res: Response) => {
    const event = 'meeting_pack_read';
    checkQuery(req, []);
    const { meeting, user } = await meetingFor(req, res, event, false);
    if (!canSeePack(user, meeting)) return hidden(ctx, req, res, event, true);
    if (!meeting.pack)
      throw new HttpError(404, 'not_frozen', '本次会议尚未固定数据：可用 POST …/pack 固定会上通报的数据。');
    res.json(packResponse(meeting, meeting.pack));
  });

  return router;
}

function packResponse(m: MeetingRow, pack: Record<string, unknown>): Record<string, unknown> {
  return {
    meeting_id: m.meeting_id,
    level: m.level,
    district_code: m.district_code,
    period: m.period,
    ...pack,
  };
}
