import type { DuckDBConnection } from '@duckdb/node-api';
import { runModule } from '../../../queries/run.ts';
import { all } from '../../db/sql.ts';
import { readOptions } from '../admin/settings-ops.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { ServerContext } from '../context.ts';
import { renderBriefingPdf } from './pdf.ts';
import { briefingFileName, moduleParams, type BriefingRequest } from './request.ts';
import { briefingXlsx } from './xlsx.ts';

export interface RenderedBriefing {
  bytes: Buffer;
  name: string;
  ascii: string;
  contentType: string;
}

const CONTENT_TYPES = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** 北京市… or the district's own title: the same words on the print page, in the PDF and in the workbook. */
export function briefingTitle(r: BriefingRequest, districtName: (code: string) => string): string {
  const who = r.level === '区级' && r.district ? districtName(r.district) : '北京市';
  return `${who}侦查监督与协作配合工作情况通报`;
}

/** The workbook on a connection of its own: the server's pool, or the CLI's database when no server runs. */
export async function briefingWorkbook(
  conn: DuckDBConnection,
  request: BriefingRequest,
  districts: readonly string[],
): Promise<Buffer> {
  const result = await runModule(conn, 'briefing', moduleParams(request), { districts });
  const names = await all<{ code: string; name: string }>(conn, 'SELECT code, name FROM districts');
  const byCode = new Map(names.map((d) => [d.code, d.name]));
  const districtName = (c: string) => byCode.get(c) ?? c;
  return briefingXlsx(result, { title: briefingTitle(request, districtName), districtName });
}

/**
 * Renders a briefing for `user` (scope from the user only, never from the request): XLSX from the module's rows
 * here, PDF through the print page on this server (`origin`). Callers check scope and audit.
 */
export async function renderBriefing(
  ctx: ServerContext,
  opts: { origin: string; user: SessionUser; request: BriefingRequest; generatedBy: string },
): Promise<RenderedBriefing> {
  const { request } = opts;
  const file = briefingFileName(request);
  const out = (bytes: Buffer) => ({ bytes, ...file, contentType: CONTENT_TYPES[request.format] });
  if (request.format === 'pdf') {
    const { 'security.marking': marking } = await ctx.pool.use((conn) => readOptions(conn));
    return out(
      await renderBriefingPdf(ctx, {
        origin: opts.origin,
        user: opts.user,
        request,
        marking,
        generatedBy: opts.generatedBy,
      }),
    );
  }
  return out(await ctx.pool.use((conn) => briefingWorkbook(conn, request, opts.user.districts), 120_000));
}
