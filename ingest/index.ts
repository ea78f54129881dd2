import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureCaseIndexes, type IndexResult } from '../src/db/case-indexes.ts';
import { schemaVersion } from '../src/db/migrate.ts';
import { UserError, explainDatabaseError } from '../src/db/errors.ts';
import type { Database } from '../src/db/open.ts';
import { hmacPads, readSecret } from '../src/db/secret.ts';
import { one } from '../src/db/sql.ts';
import { getDataAsOf, pinDataAsOf, refreshDataAsOf, type DataAsOf } from './asOf.ts';
import { inferTable, planHeader } from './contract/header.ts';
import { LOAD_ORDER, schemas, type TableName } from './contract/tables.ts';
import { loadFile, type BatchResult, type FilePlan } from './load/loadFile.ts';
import { readMapping } from './mapping.ts';
import { InputError, inspectFile } from './read/index.ts';
import { createMacros } from './validate/macros.ts';
import { refreshMarts } from '../queries/marts.ts';

export interface IngestOptions {
  table?: string;
  mappingPath?: string;
  encoding?: string;
  sheet?: string;
  asOf?: string;
  user: string;
  /** the day of loading (YYYY-MM-DD, Beijing): the computed data-as-of date never passes it */
  today: string;
  /** per file: the phase (read, check, write), the fraction of the file read, rows read so far */
  onProgress?: (file: string, phase: string, fraction: number, rows: number) => void;
}

export interface IngestResult {
  batches: BatchResult[];
  data_as_of: DataAsOf;
  /** the marts' rebuild after the load, timed apart from it (null when nothing was loaded) */
  marts: { seconds: number } | null;
  /** the case indexes rebuilt after a bulk load dropped them (src/db/case-indexes.ts), timed apart too */
  indexes: IndexResult | null;
}

const TABLES = Object.keys(schemas) as TableName[];

/**
 * Checks every file (readable, decodable, known table, required columns, mapping) before writing anything —
 * unusable input throws a UserError with exit code 2 and nothing is written — then loads them in dependency
 * order, one transaction per file.
 */
export async function ingestFiles(db: Database, paths: string[], opts: IngestOptions): Promise<IngestResult> {
  if (paths.length === 0)
    throw new UserError('未指定要导入的文件：zhenjian ingest 文件1 [文件2 …]', 'No files given.', 2);
  if (opts.table && !TABLES.includes(opts.table as TableName)) {
    throw new UserError(
      `未知的表「${opts.table}」：--table 可用 ${TABLES.join('、')}。`,
      `Unknown table ${opts.table}; use one of ${TABLES.join(', ')}.`,
      2,
    );
  }
  if (opts.asOf && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) {
    throw new UserError(
      `--as-of 日期格式应为 YYYY-MM-DD，实为「${opts.asOf}」。`,
      `--as-of must be YYYY-MM-DD.`,
      2,
    );
  }
  if ((await schemaVersion(db.conn)) === 0) {
    throw new UserError(
      `数据库 ${db.path} 尚未初始化：请先运行 zhenjian init。`,
      `Run zhenjian init first.`,
      2,
    );
  }
  const mapping = opts.mappingPath ? readMapping(opts.mappingPath) : undefined;
  const plans: FilePlan[] = [];
  for (const path of paths) {
    let file;
    try {
      file = await inspectFile(path, {
        encoding: opts.encoding ?? mapping?.encoding,
        sheet: opts.sheet ?? mapping?.sheet,
      });
    } catch (e) {
      if (e instanceof InputError) throw new UserError(e.zh, e.en, 2);
      throw e;
    }
    const table = (opts.table as TableName | undefined) ?? mapping?.table ?? inferTable(file.header);
    if (!table) {
      throw new UserError(
        `无法从文件 ${file.name} 的表头判断它属于哪张表（表头中没有任何表的编号列，如 案件编号/case_id）：请用 --table 指定，或用 --mapping 提供映射文件。`,
        `Cannot tell the table of ${file.name} from its header; use --table or --mapping.`,
        2,
      );
    }
    plans.push({ file, table, header: planHeader(file.name, table, file.header, mapping), mapping });
  }
  plans.sort((a, b) => LOAD_ORDER.indexOf(a.table) - LOAD_ORDER.indexOf(b.table));

  const stagingDir = join(dirname(db.path), '.staging');
  mkdirSync(stagingDir, { recursive: true });
  const secret = readSecret(db.path);
  const { ipad, opad } = hmacPads(secret);
  const mask = await one<{ value: string }>(
    db.conn,
    "SELECT value FROM settings WHERE key = 'privacy.mask_names'",
  );
  await createMacros(db.conn);
  const batches: BatchResult[] = [];
  try {
    for (const plan of plans) {
      batches.push(
        await loadFile(db.conn, plan, {
          user: opts.user,
          stagingDir,
          typing: {
            dateFormats: plan.mapping?.date_formats ?? [],
            ipad,
            opad,
            maskNames: mask?.value !== 'false',
          },
          onProgress: (phase, fraction, rows) => opts.onProgress?.(plan.file.name, phase, fraction, rows),
        }),
      );
    }
    if (opts.asOf) await pinDataAsOf(db.conn, opts.asOf);
    const loaded = batches.some((b) => b.status === 'loaded');
    const data_as_of = loaded ? await refreshDataAsOf(db.conn, opts.today) : await getDataAsOf(db.conn);
    const marts = loaded || opts.asOf ? await refreshMarts(db.conn) : null;
    // after the marts: an index being built holds its memory, which the marts' queries would then lack
    const indexes = loaded ? await ensureCaseIndexes(db.conn) : null;
    return { batches, data_as_of, marts, indexes };
  } catch (e) {
    throw explainDatabaseError(e, db.path) ?? e;
  }
}
