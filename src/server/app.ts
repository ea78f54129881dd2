import express, { type RequestHandler } from 'express';
import { authRoutes } from './auth/routes.ts';
import { authenticate } from './auth/middleware.ts';
import type { ServerContext } from './context.ts';
import { errorHandler, notFound } from './http-errors.ts';
import { caseRoutes } from './routes/cases.ts';
import { inspectionRoutes } from './routes/inspections.ts';
import { meetingRoutes } from './routes/meetings.ts';
import { reviewCampaignRoutes } from './routes/review-campaigns.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { queryRoutes } from './routes/queries.ts';
import { auditRoutes } from './routes/audit.ts';
import { briefingRoutes } from './routes/briefings.ts';
import { settingsRoutes } from './routes/settings.ts';
import { userRoutes } from './routes/users.ts';
import { originCheck, securityHeaders } from './security.ts';

export interface AppOptions {
  /** the SvelteKit handler (adapter-node) for pages; absent in API-only tests */
  pages?: RequestHandler;
  /** the local control channel (routes/control.ts), mounted at /api/v1/control before sessions are looked at */
  control?: express.Router;
  /** routers added by later features, mounted under /api/v1 after authentication */
  extraRoutes?: ((ctx: ServerContext) => express.Router)[];
}

/**
 * The HTTP app: /api/v1 as spec/api.md, every route behind a server-side session except sign-in; pages from
 * SvelteKit. Loopback by default; `trust proxy` only for loopback so req.ip is the real client behind a local proxy.
 */
export function createApp(ctx: ServerContext, opts: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');

  const api = express.Router();
  api.use(securityHeaders(ctx.config.secure));
  api.use(express.json({ limit: '1mb' }));
  api.use(originCheck);
  api.use(authRoutes(ctx));
  api.use(authenticate(ctx));
  api.use(queryRoutes(ctx));
  api.use(caseRoutes(ctx));
  api.use(reviewCampaignRoutes(ctx));
  api.use(inspectionRoutes(ctx));
  api.use(meetingRoutes(ctx));
  api.use(ingestRoutes(ctx));
  api.use(userRoutes(ctx));
  api.use(settingsRoutes(ctx));
  api.use(auditRoutes(ctx));
  api.use(briefingRoutes(ctx));
  for (const r of opts.extraRoutes ?? []) api.use(r(ctx));
  api.use((_req, _res, next) => next(notFound()));
  api.use(errorHandler(ctx.log));
  // the CLI's channel takes a bearer token from the control file, never a browser session
  if (opts.control) app.use('/api/v1/control', opts.control);
  app.use('/api/v1', api);

  if (opts.pages) app.use(opts.pages);
  app.use(errorHandler(ctx.log));
  return app;
}
