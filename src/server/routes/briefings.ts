import { Router, type Request, type Response } from 'express';
import { UserError } from '../../db/errors.ts';
import { requireRole } from '../auth/middleware.ts';
import { renderBriefing } from '../briefings/render.ts';
import { moduleParams, parseBriefingRequest } from '../briefings/request.ts';
import { auditBase, sessionOf, type ServerContext } from '../context.ts';
import { HttpError, forbidden, notFound } from '../http-errors.ts';

/** This server as the request reached it: the renderer's browser connects to the same listening address. */
function ownOrigin(req: Request): string {
  const host = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return `http://${host.includes(':') ? `[${host}]` : host}:${req.socket.localPort}`;
}

/** POST /api/v1/briefings: the 情况通报 (第24条) as a PDF or XLSX download, in the caller's scope. */
export function briefingRoutes(ctx: ServerContext): Router {
  const router = Router();

  router.post('/briefings', requireRole('city', 'district'), async (req: Request, res: Response) => {
    const session = sessionOf(res);
    const request = parseBriefingRequest(req.body);
    const audit = {
      ...auditBase(req, res),
      query: 'briefing',
      params: moduleParams(request),
      detail: `format=${request.format}`,
    };
    if (session.user.role === 'district' && request.level !== '区级')
      throw forbidden('区级用户只能生成本区的区级情况通报：请选择 区级 并指定区。');
    // a district outside the session's scope looks like nothing there, and the attempt is recorded
    if (request.district !== undefined && !session.user.districts.includes(request.district)) {
      await ctx.audit.write({
        ...audit,
        event: 'briefing',
        outcome: 'denied',
        detail: 'district_out_of_scope',
      });
      throw notFound();
    }
    const started = Date.now();
    let file;
    try {
      file = await renderBriefing(ctx, {
        origin: ownOrigin(req),
        user: session.user,
        request,
        generatedBy: session.user.username,
      });
    } catch (e) {
      await ctx.audit.write({
        ...audit,
        event: 'briefing',
        outcome: 'failed',
        duration_ms: Date.now() - started,
      });
      // no browser on this server is not the caller's fault, and not an internal error either: say what to do
      if (e instanceof UserError && e.exitCode === 3) throw new HttpError(503, 'renderer_unavailable', e.zh);
      throw e;
    }
    await ctx.audit.write({
      ...audit,
      event: 'briefing',
      outcome: 'ok',
      bytes: file.bytes.byteLength,
      duration_ms: Date.now() - started,
    });
    res.type(file.contentType);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${file.ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    );
    res.send(file.bytes);
  });

  return router;
}
