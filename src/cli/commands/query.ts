import type { DuckDBConnection } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import { toArrow } from '../../../queries/output/arrow.ts';
import { toCsv } from '../../../queries/output/csv.ts';
import { toXlsx } from '../../../queries/output/xlsx.ts';
import { MODULES, findModule } from '../../../queries/registry.ts';
import { runModule, type QueryResult } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { UserError } from '../../db/errors.ts';
import { databasePath, openDatabase, type Database } from '../../db/open.ts';
import { parse } from '../args.ts';
import { auditCliQuery } from '../audit-query.ts';
import { AuditLog, auditPath } from '../../server/audit/log.ts';
import { userInfo } from 'node:os';
import { callServer, findServer } from '../control.ts';
import type { Output } from '../output.ts';

export const queryHelp = `zhenjian query NAME [--param key=value ...] [--format json|csv|xlsx|arrow] [--out FILE]
zhenjian query NAME … [--purpose 事由]（返回案件明细的模块记入审计日志）
zhenjian query --list
  运行一个只读查询模块（命令行为全部 16 个区的范围）。json 输出为 {query, params, meta:{as_of, basis, thresholds}, columns, rows}。`;

const FORMATS = ['json', 'csv', 'xlsx', 'arrow'] as const;

/** `key=value` pairs → an object; a key given twice is an error rather than a silent overwrite. */
function paramPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0)
      throw new UserError(`--param 应写成 key=value，实为「${p}」。`, `--param must be key=value.`, 2);
    const k = p.slice(0, i);
    if (k in out) throw new UserError(`参数 ${k} 给了两次。`, `Parameter ${k} given twice.`, 2);
    out[k] = p.slice(i + 1);
  }
  return out;
}

export async function queryCommand(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse('query', args, {
    param: { type: 'string', multiple: true },
    format: { type: 'string' },
    out: { type: 'string' },
    list: { type: 'boolean', default: false },
    purpose: { type: 'string' },
  });
  if (values.help) return (out.say(queryHelp), 0);
  if (values.list) {
    const list = MODULES.map((m) => ({
      name: m.name,
      title: m.title,
      case_level: m.caseLevel,
      params: Object.keys(m.params.shape),
      basis: m.basis,
    }));
    out.result(list);
    for (const m of list) out.say(`${m.name}\t${m.title}\t参数：${m.params.join(', ') || '（无）'}`);
    return 0;
  }
  const name = positionals[0];
  if (!name || !findModule(name)) {
    throw new UserError(
      `${name ? `未知的查询模块「${name}」` : '缺少模块名'}。可用模块：${MODULES.map((m) => m.name).join('、')}。`,
      `Unknown module; available: ${MODULES.map((m) => m.name).join(', ')}.`,
      2,
    );
  }
  const format = (values.format ?? 'json') as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) {
    throw new UserError(
      `--format 应为 ${FORMATS.join(' / ')}，实为「${values.format}」。`,
      `Bad --format.`,
      2,
    );
  }
  if ((format === 'xlsx' || format === 'arrow') && !values.out && process.stdout.isTTY) {
    throw new UserError(
      `${format} 是二进制格式：请用 --out 文件名 保存。`,
      `${format} is binary: use --out FILE.`,
      2,
    );
  }
  const dbPath = databasePath(values.db);
  const params = paramPairs(values.param ?? []);
  const server = await findServer(dbPath);
  let db: Database | undefined;
  try {
    let result: QueryResult;
    const purpose = values.purpose?.trim().slice(0, 200) || undefined;
    const m = findModule(name)!;
    if (server) {
      const r = await callServer(server, 'query', () => ({ name, params, purpose, format }), out, {
        keepResult: true,
      });
      result = r.result as QueryResult;
    } else {
      db = await openDatabase(dbPath);
      result = await runModule(db.conn, name, params, { districts: ALL_DISTRICTS });
      const audit = await AuditLog.open(auditPath(db.path));
      try {
        await auditCliQuery(audit, `cli:${userInfo().username}`, m, result, { purpose, format });
      } finally {
        await audit.close();
      }
    }
    const labels = Object.fromEntries(m.columns.map((c) => [c.name, c.label]));
    let body: string | Uint8Array;
    if (format === 'csv') body = toCsv(result.columns, result.rows, labels);
    else if (format === 'xlsx') body = await toXlsx(m.title, result.columns, result.rows, labels);
    else if (format === 'arrow')
      body = toArrow(result.columns, result.rows, {
        ...result.meta,
        query: result.query,
        params: result.params,
      });
    else body = `${JSON.stringify(result, null, 2)}\n`;
    if (values.out) {
      writeFileSync(values.out, body);
      out.say(
        `${m.title}（${m.name}）：${result.rows.length} 行，截至 ${result.meta.as_of}，已写入 ${values.out}`,
      );
    } else {
      process.stdout.write(body);
    }
    return 0;
  } finally {
    db?.close();
  }
}

/** The module's result for the whole city (the CLI's scope), as the server runs it for a CLI call. */
export async function queryWith(
  conn: DuckDBConnection,
  name: string,
  params: Record<string, string>,
  out: Output,
  audit?: { log: AuditLog; user: string; purpose?: string; format: string },
): Promise<number> {
  const result = await runModule(conn, name, params, { districts: ALL_DISTRICTS });
  const m = findModule(name);
  if (audit && m) await auditCliQuery(audit.log, audit.user, m, result, audit);
  out.result(result);
  return 0;
}
