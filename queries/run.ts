import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { getDataAsOf } from '../ingest/asOf.ts';
import { UserError } from '../src/db/errors.ts';
import { query, queryPage, type SqlParam } from '../src/db/sql.ts';
import { martRelation, pendingRelation } from './marts.ts';
import { sqlParamName, type QueryModule } from './module.ts';
import { MODULES, findModule } from './registry.ts';
import { THRESHOLDS, readThresholds, type ThresholdKey } from './thresholds.ts';

export interface QueryResult {
  query: string;
  params: Record<string, unknown>;
  meta: {
    as_of: string;
    basis: string;
    thresholds: Record<string, { value: number; unit: string; label: string; basis: string }>;
  };
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  /** present when the caller asked for a page (limit / offset): the rows' place in the whole result */
  page?: Page;
}

export interface Page {
  limit: number | null;
  offset: number;
  /** rows of the whole result */
  total: number;
}

export interface Scope {
  /** district codes the caller may see; empty = no rows, never all rows */
  districts: readonly string[];
}

const sqlCache = new Map<string, string>();
function sqlText(m: QueryModule): string {
  let text = sqlCache.get(m.sql);
  if (!text) {
    text = readFileSync(new URL(`./${m.sql}`, import.meta.url), 'utf8');
    sqlCache.set(m.sql, text);
  }
  return text;
}

/** Validates a module's parameters: unknown names and bad values are unusable input (exit 2 / HTTP 400). */
export function parseParams(m: QueryModule, raw: Record<string, unknown>): Record<string, unknown> {
  const known = Object.keys(m.params.shape);
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new UserError(
      `模块 ${m.name} 没有参数 ${unknown.join('、')}。可用参数：${known.join('、') || '（无）'}。`,
      `Module ${m.name} has no parameter ${unknown.join(', ')}; it takes: ${known.join(', ')}.`,
      2,
    );
  }
  const parsed = m.params.safeParse(raw);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => `${i.path.join('.') || '参数'}：${i.message}`);
    throw new UserError(
      `模块 ${m.name} 的参数有误：${msgs.join('；')}。`,
      `Bad parameters for ${m.name}.`,
      2,
    );
  }
  return parsed.data as Record<string, unknown>;
}

// Paging is the runner's, not a module's: every module takes limit and offset (the server pages long lists; the CLI
// and exports take everything, as without them).
const pageInt = (label: string, min: number) =>
  z.coerce
    .number({ error: `${label}应为整数` })
    .int({ error: `${label}应为整数` })
    .min(min, { error: `${label}不能小于 ${min}` })
    .max(1_000_000, { error: `${label}过大` });
const PAGING = z.strictObject({
  limit: pageInt('limit（每页行数）', 1).optional(),
  offset: pageInt('offset（起始行）', 0).optional(),
});

/** Splits the runner's paging values (limit, offset) from the module's own parameters. */
export function splitPaging(
  m: QueryModule,
  raw: Record<string, unknown>,
): { rest: Record<string, unknown>; paging?: { limit: number | null; offset: number } } {
  const { limit, offset, ...rest } = raw;
  if (limit === undefined && offset === undefined) return { rest };
  const parsed = PAGING.safeParse({ limit, offset });
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => `${i.path.join('.')}：${i.message}`);
    throw new UserError(
      `模块 ${m.name} 的分页参数有误：${msgs.join('；')}。`,
      `Bad paging for ${m.name}.`,
      2,
    );
  }
  return { rest, paging: { limit: parsed.data.limit ?? null, offset: parsed.data.offset ?? 0 } };
}

/**
 * Runs a read-only module within a scope. Values are bound, never spliced: the SQL names what it needs as $name
 * and gets exactly that from the parameters, the derived values, the thresholds, $as_of and $districts. The only
 * text substitutions are the placeholder comments SOURCE and MART:name, each replaced by one of two fixed relations
 * (the mart, or the macro that computes the same rows; queries/marts.ts).
 */
export async function runModule(
  conn: DuckDBConnection,
  name: string,
  raw: Record<string, unknown>,
  scope: Scope,
  /** what a composed module's parts share with it: read once per request, and the same for every part */
  shared?: { dataAsOf: string; thresholds: Record<ThresholdKey, number> },
): Promise<QueryResult> {
  const m = findModule(name);
  if (!m) {
    throw new UserError(
      `未知的查询模块「${name}」。可用模块：${MODULES.map((x) => x.name).join('、')}。`,
      `Unknown module ${name}.`,
      2,
    );
  }
  const { rest, paging } = splitPaging(m, raw);
  const params = parseParams(m, rest);
  const asOf = (params.as_of as string | undefined) ?? shared?.dataAsOf ?? (await getDataAsOf(conn)).date;
  if (!asOf) {
    throw new UserError(
      '数据库中还没有数据，无法确定统计截止日期：请先导入数据，或用 --param as_of=YYYY-MM-DD 指定。',
      'No data yet.',
      2,
    );
  }
  const thresholds = shared?.thresholds ?? (await readThresholds(conn));
  const h = head(m, params, asOf, thresholds);
  if (m.compose) {
    let dataAsOf: string | undefined;
    const rows = await m.compose({
      params: { ...params, as_of: asOf },
      districts: scope.districts,
      // a part never sees more than the caller's scope
      run: async (name, p, districts = scope.districts) =>
        (
          await runModule(
            conn,
            name,
            p,
            { districts: districts.filter((d) => scope.districts.includes(d)) },
            { dataAsOf: (dataAsOf ??= shared?.dataAsOf ?? (await getDataAsOf(conn)).date!), thresholds },
          )
        ).rows,
    });
    const columns = m.columns.map((c) => ({ name: c.name, type: c.type ?? 'VARCHAR' }));
    const result = { ...h, columns, rows };
    if (!paging) return result;
    const end = paging.limit === null ? undefined : paging.offset + paging.limit;
    return { ...result, rows: rows.slice(paging.offset, end), page: { ...paging, total: rows.length } };
  }
  let sql = sqlText(m);
  // 挂案 deadlines at $as_of (/*SOURCE*/) or at the module's $from (/*SOURCE:from*/): a mart when one holds them
  if (m.source === 'pending') {
    sql = sql.replace('/*SOURCE*/', await pendingRelation(conn, asOf, 'as_of', thresholds));
    if (sql.includes('/*SOURCE:from*/'))
      sql = sql.replace(
        '/*SOURCE:from*/',
        await pendingRelation(conn, String(params.from), 'from', thresholds),
      );
  }
  // a mart placeholder becomes the mart when it holds the figures for this as_of, else the macro computing them
  for (const [placeholder, name] of [...sql.matchAll(/\/\*MART:([a-z_]+)\*\//g)])
    sql = sql.replace(placeholder, await martRelation(conn, name!, asOf, thresholds));
  const available: Record<string, SqlParam> = {
    as_of: asOf,
    districts: [...scope.districts],
  };
  // every declared parameter is bindable; one left out (optional, no default) is NULL
  for (const k of Object.keys(m.params.shape))
    if (k !== 'as_of') available[k] = (params[k] ?? null) as SqlParam;
  for (const [k, v] of Object.entries(m.derive?.({ ...params, as_of: asOf }) ?? {})) available[k] = v;
  for (const [k, v] of Object.entries(thresholds)) available[sqlParamName(k)] = v;
  // names in comments are not parameters (DuckDB would refuse to bind them)
  const code = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const wanted = [...new Set([...code.matchAll(/\$([a-z_][a-z0-9_]*)/g)].map((x) => x[1]!))];
  const bound: Record<string, SqlParam> = {};
  for (const w of wanted) {
    if (!(w in available)) throw new Error(`${m.sql} uses $${w}, which nothing provides`);
    bound[w] = available[w]!;
  }
  if (!paging) {
    const { columns, rows } = await query(conn, sql, bound);
    return { ...h, columns, rows };
  }
  // one run: the page's rows converted, every row counted (queryPage); the module's ORDER BY gives the order
  const { limit, offset } = paging;
  const { columns, rows, total } = await queryPage(conn, sql, bound, offset, limit);
  return { ...h, columns, rows, page: { limit, offset, total } };
}

function head(
  m: QueryModule,
  params: Record<string, unknown>,
  asOf: string,
  thresholds: Record<string, number>,
): Omit<QueryResult, 'columns' | 'rows'> {
  return {
    query: m.name,
    params: { ...params, as_of: asOf },
    meta: {
      as_of: asOf,
      basis: m.basis,
      thresholds: Object.fromEntries(
        m.thresholds.map((k) => [k, { ...THRESHOLDS[k], value: thresholds[k]! }]),
      ),
    },
  };
}
