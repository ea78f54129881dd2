import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { explainDatabaseError } from './errors.ts';

export const DEFAULT_DB = './data/zhenjian.duckdb';

/**
 * DuckDB's buffer cap while loading: the process adds Node and DuckDB's own allocations on top; 512 MB kept the
 * peak RSS of a 1M-case load near 1 GB (768 MB: 1.19 GB and 8 % faster; bench/results.json).
 */
export const INGEST_MEMORY_LIMIT = '512MB';

/** DuckDB's buffer cap otherwise (the server): 768 MB serves 1M cases; 5M cases need about 2 GB (docs/benchmarks.md). */
export const SERVER_MEMORY_LIMIT = '768MB';

export interface OpenOptions {
  threads?: number;
  /** DuckDB's own cap; the process adds Node's heap on top (issue 2: peak RSS ≤ 1 GB while ingesting). */
  memoryLimit?: string;
}

export interface Database {
  path: string;
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  close(): void;
}

/** The database path from --db, else ZHENJIAN_DB, else ./data/zhenjian.duckdb (spec/cli.md). */
export function databasePath(flag?: string): string {
  return resolve(flag ?? process.env.ZHENJIAN_DB ?? DEFAULT_DB);
}

/**
 * Opens (creating if needed) the one read-write database file. Extension autoload and autoinstall are off: nothing
 * may be downloaded at run time, and the extensions we use (parquet, json, icu) are built in.
 */
export async function openDatabase(path: string, opts: OpenOptions = {}): Promise<Database> {
  mkdirSync(dirname(path), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, {
      threads: String(opts.threads ?? 2),
      memory_limit: opts.memoryLimit ?? SERVER_MEMORY_LIMIT,
      temp_directory: join(dirname(path), '.tmp'),
      max_temp_directory_size: '8GB',
      autoload_known_extensions: 'false',
      autoinstall_known_extensions: 'false',
    });
  } catch (err) {
    throw explainDatabaseError(err, path) ?? err;
  }
  const conn = await instance.connect();
  // Timestamps in the data are Beijing local time (contract.md); now() must agree with them.
  await conn.run("SET TimeZone = 'Asia/Shanghai'");
  return {
    path,
    instance,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
