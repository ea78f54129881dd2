import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  inspectFile,
  stageFile,
  type InspectedFile,
  type InspectOptions,
  type StagedFile,
} from '../../ingest/read/index.ts';

export const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', 'read', name);

/** A scratch directory and an in-memory DuckDB per test file. */
export class Scratch {
  dir = '';
  stagingDir = '';
  conn!: DuckDBConnection;
  private instance!: DuckDBInstance;
  private tables = 0;

  async open(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'zj-read-'));
    this.stagingDir = join(this.dir, 'staging');
    this.instance = await DuckDBInstance.create(':memory:');
    this.conn = await this.instance.connect();
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
    await rm(this.dir, { recursive: true, force: true });
  }

  async write(name: string, content: string | Uint8Array): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, content);
    return path;
  }

  async stage(
    path: string,
    options: InspectOptions = {},
  ): Promise<{ file: InspectedFile; staged: StagedFile; rows: (string | null)[][] }> {
    const file = await inspectFile(path, options);
    const staged = await stageFile(this.conn, file, `stg_${++this.tables}`, { stagingDir: this.stagingDir });
    return { file, staged, rows: await this.rows(staged.table) };
  }

  async rows(table: string): Promise<(string | null)[][]> {
    const reader = await this.conn.runAndReadAll(`SELECT * FROM ${table} ORDER BY rowid`);
    return reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
  }

  async stagingLeftovers(): Promise<string[]> {
    return readdir(this.stagingDir).catch(() => []);
  }
}

/** All lines of a staged file, for comparing with hand-worked expectations. */
export function linesOf(staged: StagedFile): number[] {
  return Array.from({ length: staged.rows }, (_, row) => staged.lineOf(row));
}
