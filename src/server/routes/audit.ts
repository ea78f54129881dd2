import { Router } from 'express';
import { UserError } from '../../db/errors.ts';
import { parseAuditFilter, readAudit } from '../admin/audit-read.ts';
import { requireRoleAudited } from '../admin/guard.ts';
import { auditBase, type ServerContext } from '../context.ts';

/**
 * The audit trail for the auditor (spec/api.md `GET /audit`): filtered, newest first, a page at a time. Reading
 * it is itself an audited event (CJIS AU-2(c)(5)); the admin, who manages the system, may not read it.
 */
export function auditRoutes(ctx: ServerContext): Router {
  const router = Router();
  router.get('/audit', requireRoleAudited(ctx, 'audit_read', 'auditor'), async (req, res) => {
    const base = { ...auditBase(req, res), event: 'audit_read' };
    let filter;
    try {
      filter = parseAuditFilter(req.query);
    } catch (err) {
      await ctx.audit.write({
        ...base,
        outcome: 'failed',
        detail: err instanceof UserError ? err.en : 'error',
      });
      throw err;
    }
    const started = Date.now();
    const page = await readAudit(ctx.audit.path, filter);
    await ctx.audit.write({
      ...base,
      outcome: 'ok',
      params: { ...filter },
      rows: page.records.length,
      duration_ms: Date.now() - started,
    });
    res.json({
      records: page.records,
      limit: filter.limit,
      offset: filter.offset,
      has_more: page.has_more,
    });
  });
  return router;
}
