import type { DuckDBConnection } from '@duckdb/node-api';
import { inputErrors } from './errors.ts';
import { strictDecoder } from './encoding.ts';
import { forEachChunk } from './file-pass.ts';
import { CsvScanner } from './csv-scanner.ts';
import { csvLine, splitRecord } from './csv-fields.ts';
import { RecordSorter, type CsvScan } from './csv-inspect.ts';
import { createTableFromCsv, dropTable } from './duckdb-csv.ts';
import { StagingFile } from './staging-file.ts';
import type { StageContext, StageResult } from './types.ts';

/**
 * Three ways to stage, cheapest first. DuckDB reads the original when it will see exactly the records the scan
 * saw (UTF-8, no malformed records, no irregular quoting). A GB18030 file like that is only transcoded. Anything
 * else is rewritten record by record. DuckDB's row count must match the scan, or the next way is taken.
 */
export async function stageCsv(
  conn: DuckDBConnection,
  ctx: StageContext,
  scan: CsvScan,
): Promise<StageResult> {
  const { table, file } = ctx;
  const clean =
    scan.malformed.length === 0 &&
    !scan.irregular &&
    scan.headerLine === 1 &&
    // DuckDB skips blank lines, except in a one-column file where a blank line is a NULL row
    (scan.blankLines === 0 || scan.header.length > 1);
  const expected = scan.index.rows;
  const tableOptions = {
    columns: scan.header.length,
    delimiter: scan.delimiter,
    longestRecord: scan.longestRecord,
    onProgress: (f: number) => ctx.progress(Math.round(f * expected), Math.round(f * file.bytes)),
  };

  if (clean) {
    const source = scan.encoding === 'utf-8' ? null : await transcode(ctx);
    try {
      const rows = await readInPlace(conn, table, () =>
        createTableFromCsv(conn, table, source?.path ?? file.path, { ...tableOptions, header: true }),
      );
      if (rows === expected) return { rows, lineOf: scan.index.lineOf, malformed: [] };
      if (rows >= 0) await dropTable(conn, table);
    } finally {
      await source?.remove();
    }
  }
  return rewrite(conn, ctx, scan);
}

/**
 * −1 when DuckDB refuses the file (e.g. its allowed_directories exclude it); the rewrite path then reads a copy
 * from the staging directory. Run stageFile outside an explicit transaction: a failed statement would abort it.
 */
async function readInPlace(
  conn: DuckDBConnection,
  table: string,
  create: () => Promise<number>,
): Promise<number> {
  try {
    return await create();
  } catch {
    await dropTable(conn, table);
    return -1;
  }
}

async function transcode(ctx: StageContext): Promise<StagingFile> {
  const out = await StagingFile.create(ctx.stagingDir, ctx.table);
  try {
    const decoder = strictDecoder('gb18030');
    await forEachChunk(ctx.file.path, async (chunk, offset) => {
      out.writeBytes(Buffer.from(decoder.decode(chunk, { stream: true })));
      ctx.progress(0, offset + chunk.length);
      await out.flushIfFull();
    });
    out.writeBytes(Buffer.from(decoder.decode()));
    await out.close();
    return out;
  } catch (error) {
    await out.remove();
    throw error;
  }
}

/** Writes the staged records only, with irregular quoting normalised, and reads that. */
async function rewrite(conn: DuckDBConnection, ctx: StageContext, scan: CsvScan): Promise<StageResult> {
  const { table, file } = ctx;
  const out = await StagingFile.create(ctx.stagingDir, table);
  try {
    const sorter = new RecordSorter();
    const utf8 = new TextDecoder();
    const scanner = new CsvScanner(
      { delimiter: scan.delimiter.charCodeAt(0), skipBom: scan.encoding === 'utf-8', capture: true },
      (rec) => {
        if (!sorter.take(rec)) return;
        const bytes = rec.bytes!;
        out.writeRecord(rec.irregular ? normalised(utf8.decode(bytes), scan.delimiter) : bytes);
      },
    );
    const decoder = scan.encoding === 'gb18030' ? strictDecoder('gb18030') : null;
    await forEachChunk(file.path, async (chunk, offset) => {
      scanner.push(decoder ? Buffer.from(decoder.decode(chunk, { stream: true })) : chunk);
      ctx.progress(sorter.index.rows, offset + chunk.length);
      await out.flushIfFull();
    });
    if (decoder) scanner.push(Buffer.from(decoder.decode()));
    scanner.finish();
    await out.close();
    if (sorter.index.rows !== scan.index.rows || sorter.malformed.length !== scan.malformed.length) {
      throw inputErrors.changed(file.path);
    }
    const rows = await createTableFromCsv(conn, table, out.path, {
      columns: scan.header.length,
      delimiter: scan.delimiter,
      header: false,
      longestRecord: out.longestLine,
      newLine: '\n',
    });
    if (rows !== sorter.index.rows) {
      await dropTable(conn, table);
      throw new Error(
        `staging ${file.name}: DuckDB read ${rows} rows from the rewritten file, expected ${sorter.index.rows}`,
      );
    }
    return { rows, lineOf: sorter.index.lineOf, malformed: sorter.malformed };
  } finally {
    await out.remove();
  }
}

function normalised(record: string, delimiter: ',' | '\t'): string {
  return csvLine(splitRecord(record, delimiter), delimiter).slice(0, -1);
}
