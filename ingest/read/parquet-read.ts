import { createHash } from 'node:crypto';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { InputError, inputErrors } from './errors.ts';
import { forEachChunk } from './file-pass.ts';
import { checkHeader } from './header.ts';
import { LineIndex } from './line-index.ts';
import { countRows, dropTable } from './duckdb-csv.ts';
import { columnNames, tempTable } from './sql.ts';
import type { StageContext, StageResult } from './types.ts';

export interface ParquetPlan {
  types: string[];
}

function invalid(path: string, error: unknown): InputError {
  const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return new InputError(
    path,
    `文件 ${path.split('/').pop()} 不是有效的 Parquet 文件（${detail}）：请确认导出是否完整后重新导入。`,
    `${path} is not a valid Parquet file (${detail})`,
  );
}

/** Phase 1 must not touch the caller's database, so the schema is read with a private in-memory DuckDB. */
export async function inspectParquet(
  path: string,
): Promise<{ sha256: string; header: string[]; plan: ParquetPlan }> {
  const hash = createHash('sha256');
  await forEachChunk(path, (chunk) => void hash.update(chunk));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  try {
    const conn = await instance.connect();
    try {
      let names: string[];
      let types: string[];
      let rows: number;
      try {
        const schema = await conn.runAndReadAll('DESCRIBE SELECT * FROM read_parquet($1)', [path]);
        names = schema.getRows().map((r) => String(r[0]));
        types = schema.getRows().map((r) => String(r[1]));
        const meta = await conn.runAndReadAll('SELECT count(*) FROM read_parquet($1)', [path]);
        rows = Number(meta.getRows()[0]![0]);
      } catch (error) {
        throw invalid(path, error);
      }
      const header = checkHeader(path, names);
      if (rows === 0) throw inputErrors.headerOnly(path);
      return { sha256: hash.digest('hex'), header, plan: { types } };
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Text as the contract wants it: dates as YYYY-MM-DD, timestamps as local YYYY-MM-DD HH:MM:SS, nested as JSON. */
function asText(column: string, type: string): string {
  const t = type.toUpperCase();
  let expr: string;
  if (t === 'VARCHAR') expr = column;
  else if (t === 'DATE') expr = `strftime(${column}, '%Y-%m-%d')`;
  else if (t === 'TIMESTAMP WITH TIME ZONE')
    expr = `strftime(timezone('Asia/Shanghai', ${column}), '%Y-%m-%d %H:%M:%S')`;
  else if (t.startsWith('TIMESTAMP')) expr = `strftime(${column}, '%Y-%m-%d %H:%M:%S')`;
  else if (/[[\]]|^(STRUCT|MAP|UNION)\b/.test(t)) expr = `CAST(to_json(${column}) AS VARCHAR)`;
  else expr = `CAST(${column} AS VARCHAR)`;
  return `NULLIF(${expr}, '')`;
}

const ACCESS_DENIED = /permission|not allowed|allowed_directories|external access/i;

export async function stageParquet(
  conn: DuckDBConnection,
  ctx: StageContext,
  plan: ParquetPlan,
): Promise<StageResult> {
  const { file, table } = ctx;
  const names = columnNames(plan.types.length);
  // positional aliases, so that no column name from the file is ever spliced into SQL
  const select = names.map((name, i) => `${asText(name, plan.types[i]!)} AS ${name}`).join(', ');
  const sql = `CREATE TEMP TABLE ${tempTable(table)} AS SELECT ${select} FROM read_parquet($1) AS src(${names.join(', ')})`;
  try {
    await conn.run(sql, [file.path]);
  } catch (error) {
    if (!(error instanceof Error) || !ACCESS_DENIED.test(error.message)) throw invalid(file.path, error);
    // DuckDB may be confined to the data and staging directories: read a copy from there
    await dropTable(conn, table);
    await mkdir(ctx.stagingDir, { recursive: true });
    const copy = join(ctx.stagingDir, `${table}-${randomUUID()}.parquet`);
    try {
      await copyFile(file.path, copy);
      await conn.run(sql, [copy]);
    } finally {
      await rm(copy, { force: true });
    }
  }
  const rows = await countRows(conn, table);
  ctx.progress(rows, file.bytes);
  return { rows, lineOf: LineIndex.offset(rows, 1).lineOf, malformed: [] };
}
