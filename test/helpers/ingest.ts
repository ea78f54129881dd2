import { ingestFiles, type IngestOptions, type IngestResult } from '../../ingest/index.ts';
import type { Database } from '../../src/db/open.ts';
import { all } from '../../src/db/sql.ts';

export function ingest(
  db: Database,
  paths: string[],
  opts: Partial<IngestOptions> = {},
): Promise<IngestResult> {
  return ingestFiles(db, paths, { user: 'test', today: '2026-11-27', ...opts });
}

export function rows<T = Record<string, unknown>>(db: Database, sql: string): Promise<T[]> {
  return all<T>(db.conn, sql);
}
