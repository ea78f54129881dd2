import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError, inputErrors } from './errors.ts';
import { detectFormat } from './detect-format.ts';
import { encodingOption } from './encoding.ts';
import { readHead, statFile, type FileStat } from './file-pass.ts';
import { inspectCsv, type CsvScan } from './csv-inspect.ts';
import { stageCsv } from './csv-stage.ts';
import { inspectJson, stageJson } from './json-read.ts';
import { inspectXlsx, stageXlsx, type XlsxPlan } from './xlsx-read.ts';
import { inspectParquet, stageParquet, type ParquetPlan } from './parquet-read.ts';
import { checkTableName } from './sql.ts';
import type { InspectedFile, InspectOptions, StagedFile, StageOptions } from './types.ts';

export { InputError };
export type {
  Encoding,
  Format,
  InspectedFile,
  InspectOptions,
  Malformed,
  StagedFile,
  StageOptions,
} from './types.ts';

/** What phase 1 learned that phase 2 needs, kept off the public object. */
interface Prepared {
  stat: FileStat;
  options: InspectOptions;
  csv?: CsvScan;
  xlsx?: XlsxPlan;
  parquet?: ParquetPlan;
}

const prepared = new WeakMap<InspectedFile, Prepared>();

/**
 * Phase 1: every check that can fail on the file itself, without touching the database. For CSV/TSV this is the
 * one full pass (sha256, encoding, record structure); its result is kept for stageFile.
 */
export async function inspectFile(path: string, opts: InspectOptions = {}): Promise<InspectedFile> {
  const stat = await statFile(path);
  if (stat.bytes === 0) throw inputErrors.empty(path);
  const head = await readHead(path, 64 * 1024);
  const format = detectFormat(path, head);
  const base = { path, name: basename(path), bytes: stat.bytes, format };
  const keep: Prepared = { stat, options: opts };
  let file: InspectedFile;
  if (format === 'csv' || format === 'tsv') {
    const forced = encodingOption(path, opts.encoding);
    const { sha256, scan } = await inspectCsv(path, head, format === 'tsv' ? '\t' : ',', forced);
    file = { ...base, sha256, encoding: scan.encoding, header: scan.header };
    keep.csv = scan;
  } else if (format === 'json' || format === 'jsonl') {
    const forced = encodingOption(path, opts.encoding);
    const { sha256, encoding, header } = await inspectJson(path, head, format, forced);
    file = { ...base, sha256, encoding, header };
  } else if (format === 'xlsx') {
    const { sha256, header, plan } = await inspectXlsx(path, stat.bytes, opts.sheet, opts.maxUnzippedBytes);
    file = { ...base, sha256, encoding: null, header, sheet: plan.sheetName };
    keep.xlsx = plan;
  } else {
    const { sha256, header, plan } = await inspectParquet(path);
    file = { ...base, sha256, encoding: null, header };
    keep.parquet = plan;
  }
  prepared.set(file, keep);
  return file;
}

/** The phase-1 facts for `file`, re-derived (and the file checked unchanged) when the object is not ours. */
async function preparedFor(file: InspectedFile): Promise<Prepared> {
  const stat = await statFile(file.path);
  const known = prepared.get(file);
  if (known) {
    if (known.stat.bytes !== stat.bytes || known.stat.mtimeMs !== stat.mtimeMs)
      throw inputErrors.changed(file.path);
    return known;
  }
  const again = await inspectFile(file.path, { encoding: file.encoding ?? undefined, sheet: file.sheet });
  if (again.sha256 !== file.sha256) throw inputErrors.changed(file.path);
  return prepared.get(again)!;
}

function throttled(
  total: number,
  onProgress: StageOptions['onProgress'],
): { progress: (rows: number, bytes: number) => void } {
  let last = 0;
  return {
    progress: (rows, bytes) => {
      const now = Date.now();
      if (!onProgress || now - last < 100) return;
      last = now;
      onProgress(rows, Math.min(bytes, total), total);
    },
  };
}

/**
 * Phase 2: a TEMP table `table` with columns c0…c{n−1} VARCHAR in header order, one row per good record in file
 * order, rowid = 0-based staged row. Values are the cell text as written; an empty cell is NULL (never '').
 * Call it outside an explicit transaction: a CSV that DuckDB refuses to read in place is retried from a copy, and
 * inside a transaction the failed attempt would abort it.
 */
export async function stageFile(
  conn: DuckDBConnection,
  file: InspectedFile,
  table: string,
  opts: StageOptions,
): Promise<StagedFile> {
  checkTableName(table);
  // every later DROP is of a table this call created
  const existing = await conn.runAndReadAll(
    "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'temp' AND table_name = $1",
    [table],
  );
  if (Number(existing.getRows()[0]![0]) > 0) throw new Error(`staging table ${table} already exists`);
  const known = await preparedFor(file);
  const ctx = { file, table, stagingDir: opts.stagingDir, ...throttled(file.bytes, opts.onProgress) };
  let result;
  if (known.csv) result = await stageCsv(conn, ctx, known.csv);
  else if (known.xlsx) result = await stageXlsx(conn, ctx, known.xlsx);
  else if (known.parquet) result = await stageParquet(conn, ctx, known.parquet);
  else result = await stageJson(conn, ctx, file.format === 'json' ? 'json' : 'jsonl');
  opts.onProgress?.(result.rows, file.bytes, file.bytes);
  return { table, rows: result.rows, lineOf: result.lineOf, malformed: result.malformed };
}
