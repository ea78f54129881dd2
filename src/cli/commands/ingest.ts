import { userInfo } from 'node:os';
import { ingestFiles, type IngestOptions } from '../../../ingest/index.ts';
import { TABLE_ZH } from '../../../ingest/contract/tables.ts';
import { INGEST_MEMORY_LIMIT, databasePath, openDatabase, type Database } from '../../db/open.ts';
import { callServer, findServer } from '../control.ts';
import { memoryOption, parse, todayInBeijing } from '../args.ts';
import type { Output } from '../output.ts';
import { ProgressBar } from '../progress.ts';

export const ingestHelp = `zhenjian ingest FILE... [--table T] [--mapping M.json] [--encoding E] [--sheet NAME] [--as-of DATE] [--memory-limit 512MB] [--db PATH] [--json]
  导入交换格式文件（CSV/TSV、XLSX、JSON、JSON lines、Parquet；UTF-8 或 GB18030）。先检查全部文件再写入；
  每个文件一个事务；被拒绝的行报告行号、列和原因。--memory-limit：DuckDB 的缓冲上限（默认 512MB，进程峰值约为其 2 倍；
  数百万行的单个文件可用 2GB）。退出码：0 完成，1 有行被拒绝（其余已导入），2 输入不可用（未写入任何内容），3 其他原因未能完成。`;

const PHASE_ZH: Record<string, string> = { read: '读取', check: '校验', write: '写入' };

export async function ingestCommand(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse('ingest', args, {
    table: { type: 'string' },
    mapping: { type: 'string' },
    encoding: { type: 'string' },
    sheet: { type: 'string' },
    'as-of': { type: 'string' },
    'memory-limit': { type: 'string' },
  });
  if (values.help) return (out.say(ingestHelp), 0);
  const memoryLimit = memoryOption(values['memory-limit'], INGEST_MEMORY_LIMIT);
  const dbPath = databasePath(values.db);
  const bar = new ProgressBar();
  const options = {
    table: values.table,
    encoding: values.encoding,
    sheet: values.sheet,
    asOf: values['as-of'],
    today: todayInBeijing(),
  };
  try {
    const server = await findServer(dbPath);
    if (server) {
      if (values['memory-limit'])
        out.say('数据库由运行中的服务持有：--memory-limit 不适用，导入按服务的内存设置进行。');
      // the files go to the server as bytes: it reads only its own staging folder
      const mapping = values.mapping ? [values.mapping] : [];
      const r = await callServer(
        server,
        'ingest',
        (ids) => ({
          ...options,
          files: ids.slice(0, positionals.length),
          mapping: ids[positionals.length],
        }),
        out,
        {
          uploads: [...positionals, ...mapping],
          onProgress: (l, f, n) => bar.update(l, f, n),
          beforeOutput: () => bar.done(),
        },
      );
      return r.exitCode;
    }
    const db = await openDatabase(dbPath, { memoryLimit });
    try {
      return await ingestWith(
        db,
        positionals,
        { ...options, mappingPath: values.mapping, user: `cli:${userInfo().username}` },
        out,
        (l, f, n) => bar.update(l, f, n),
        () => bar.done(),
      );
    } finally {
      db.close();
    }
  } finally {
    bar.done();
  }
}

/**
 * The load and its report, on an open database: the CLI's own when no server runs, the server's when the CLI
 * reaches it through the control channel (the same lines either way).
 */
export async function ingestWith(
  db: Database,
  paths: string[],
  opts: Omit<IngestOptions, 'onProgress'>,
  out: Output,
  progress: (label: string, fraction: number, rows: number) => void,
  beforeOutput: () => void = () => undefined,
): Promise<number> {
  const result = await ingestFiles(db, paths, {
    ...opts,
    onProgress: (file, phase, fraction, rows) =>
      progress(`${file} ${PHASE_ZH[phase] ?? phase}`, fraction, rows),
  });
  beforeOutput();
  out.result(result);
  for (const b of result.batches) {
    if (b.status === 'skipped') {
      out.say(`${b.file}（${TABLE_ZH[b.table]}）：与已导入的文件完全相同，跳过。`);
      continue;
    }
    out.say(
      `${b.file}（${TABLE_ZH[b.table]}，批次 ${b.batch_id}）：读取 ${b.rows_read} 行，新增 ${b.rows_loaded}，更新 ${b.rows_updated}，` +
        `未变 ${b.rows_unchanged}，拒绝 ${b.rows_rejected}` +
        (b.extra_columns.length ? `；未使用的列：${b.extra_columns.join('、')}` : ''),
    );
    for (const r of b.rejects.slice(0, 20))
      out.say(`  第 ${r.line} 行${r.column ? ` [${r.column}]` : ''}：${r.reason}`);
    if (b.rows_rejected > 20)
      out.say(`  ……其余被拒绝的行见批次 ${b.batch_id} 的拒绝记录（zhenjian ingest --json 列出前 100 条）`);
  }
  out.say(
    `数据截止日期：${result.data_as_of.date ?? '（无数据）'}${result.data_as_of.source === 'explicit' ? '（由 --as-of 指定）' : ''}`,
  );
  if (result.indexes?.failed)
    out.say(
      `案件索引 ${result.indexes.failed.name} 未能重建（内存不足）：数据已完整导入，查询结果不受影响，单个案件的查询会较慢；下次启动时会再试。`,
    );
  return result.batches.some((b) => b.rows_rejected > 0) ? 1 : 0;
}
