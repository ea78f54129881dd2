import type { DuckDBConnection } from '@duckdb/node-api';
import { columnNames, tempTable } from './sql.ts';

export interface CsvTableOptions {
  columns: number;
  delimiter: ',' | '\t';
  header: boolean;
  longestRecord: number;
  /**
   * The record terminator when it is known: the rewritten staging copy ends every record with LF. Left to DuckDB,
   * a CR inside the first quoted field could be taken for the line break (a lone "\r" cell ended in an error).
   */
  newLine?: '\n';
  onProgress?: (fraction: number) => void;
}

const DEFAULT_MAX_LINE = 2 * 1024 * 1024;

/**
 * CREATE TEMP TABLE … AS SELECT from DuckDB's CSV reader with nothing left to sniffing: every column VARCHAR,
 * RFC 4180 quoting, strict. Returns the number of rows. rowid follows file order because DuckDB preserves
 * insertion order for CTAS (preserve_insertion_order is on by default and the caller must not turn it off).
 */
export async function createTableFromCsv(
  conn: DuckDBConnection,
  table: string,
  path: string,
  options: CsvTableOptions,
): Promise<number> {
  const names = columnNames(options.columns);
  const columns = names.map((name) => `'${name}': 'VARCHAR'`).join(', ');
  const maxLine = Math.max(DEFAULT_MAX_LINE, options.longestRecord * 2 + 1024);
  const delimiter = options.delimiter === '\t' ? '\\t' : ',';
  const sql =
    `CREATE TEMP TABLE ${tempTable(table)} AS SELECT ${names.join(', ')} FROM read_csv($1, ` +
    `columns = {${columns}}, header = ${options.header}, delim = '${delimiter}', quote = '"', escape = '"', ` +
    `auto_detect = false, strict_mode = true, null_padding = false, ignore_errors = false, ` +
    `max_line_size = ${maxLine}, encoding = 'utf-8'${options.newLine ? ", new_line = '\\n'" : ''})`;
  await withProgress(conn, options.onProgress, () => conn.run(sql, [path]));
  return countRows(conn, table);
}

export async function countRows(conn: DuckDBConnection, table: string): Promise<number> {
  const reader = await conn.runAndReadAll(`SELECT count(*) FROM ${tempTable(table)}`);
  return Number(reader.getRows()[0]![0]);
}

export async function dropTable(conn: DuckDBConnection, table: string): Promise<void> {
  await conn.run(`DROP TABLE IF EXISTS ${tempTable(table)}`);
}

/** DuckDB reports query progress while the statement runs on its own thread; poll it for the caller's bar. */
async function withProgress<T>(
  conn: DuckDBConnection,
  onProgress: ((fraction: number) => void) | undefined,
  run: () => Promise<T>,
): Promise<T> {
  if (!onProgress) return run();
  const timer = setInterval(() => {
    const percentage = conn.progress.percentage;
    if (percentage >= 0) onProgress(Math.min(percentage, 100) / 100);
  }, 200);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}
