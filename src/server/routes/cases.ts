import { Router, type Request, type Response } from 'express';
import { runModule } from '../../../queries/run.ts';
import { all, one } from '../../db/sql.ts';
import { auditBase, sessionOf, type ServerContext } from '../context.ts';
import { badRequest, forbidden, notFound } from '../http-errors.ts';
import { readPurpose } from '../purpose.ts';
import { limitersOf, rateLimit } from '../rate-limit.ts';

const CASE_ID = /^[\p{L}\p{N}_\-.]{1,100}$/u;

/**
 * One case (spec/api.md `GET /cases/:id`): the case, its suspects (masked names only — no ID hash or birth date:
 * ASVS 14.2.6, the minimum needed) and the case-timeline module's rows with each deadline met or late. A purpose is
 * required; a case outside the caller's districts answers exactly like one that does not exist, and is audited.
 */
export function caseRoutes(ctx: ServerContext): Router {
  const router = Router();
  const limit = rateLimit(
    ctx,
    limitersOf(ctx).caseReads,
    'case_detail',
    (_req, res) => sessionOf(res).user.username,
  );
  router.get('/cases/:id', limit, async (req: Request<{ id: string }>, res: Response) => {
    const session = sessionOf(res);
    if (session.user.role !== 'city' && session.user.role !== 'district')
      throw forbidden('您的角色不能查看案件明细。');
    const id = req.params.id;
    if (!CASE_ID.test(id)) throw badRequest('案件编号格式不正确。');
    const purpose = readPurpose(req, ctx.config.purposes, true);
    const audit = {
      ...auditBase(req, res),
      event: 'case_detail',
      query: 'case-timeline',
      purpose,
      case_ids: [id],
    };
    const scope = session.user.districts;
    const started = Date.now();
    const found = await ctx.pool.use(async (conn) => {
      const c = await one<Record<string, unknown>>(
        conn,
        // the case by its index first, the scope checked afterwards: a scope filter on the same scan would make
        // DuckDB read the whole table (src/db/case-indexes.ts)
        `WITH picked AS MATERIALIZED (SELECT * FROM cases WHERE case_id = $id)
         SELECT case_id, district_code, d.name AS district_name, police_unit, charge, charge_historical, other_charges,
                accepted_on, filed_on, filing_basis, status, closed_on, enterprise_related, economic_dispute, major_case,
                supervised_listing, minor_victim, one_stop
         FROM picked LEFT JOIN districts d ON d.code = picked.district_code
         WHERE list_contains($districts, district_code)`,
        { id, districts: scope },
      );
      if (!c) return undefined;
      const suspects = await all(
        conn,
        `SELECT suspect_id, name_masked, gender, is_minor FROM suspects WHERE case_id = $id ORDER BY suspect_id`,
        { id },
      );
      const timeline = await runModule(conn, 'case-timeline', { case_id: id }, { districts: scope });
      return { c, suspects, timeline };
    });
    if (!found) {
      // denial or absence: the same answer; the audit record tells them apart for the auditor
      const exists = await ctx.pool.use((conn) =>
        one<{ n: number }>(conn, 'SELECT count(*) AS n FROM cases WHERE case_id = $id', { id }),
      );
      await ctx.audit.write({
        ...audit,
        outcome: exists!.n > 0 ? 'denied' : 'failed',
        detail: exists!.n > 0 ? 'out_of_scope' : 'not_found',
      });
      throw notFound();
    }
    await ctx.audit.write({
      ...audit,
      outcome: 'ok',
      rows: found.timeline.rows.length,
      duration_ms: Date.now() - started,
    });
    res.json({
      case: found.c,
      suspects: found.suspects,
      timeline: { meta: found.timeline.meta, columns: found.timeline.columns, rows: found.timeline.rows },
    });
  });
  return router;
}
