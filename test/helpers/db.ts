import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDatabase } from '../../src/db/init.ts';
import { openDatabase, type Database } from '../../src/db/open.ts';

/** A fresh, initialised database file in its own temp directory, removed afterwards. */
export async function withDatabase<T>(fn: (db: Database, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'zhenjian-test-'));
  const db = await openDatabase(join(dir, 'test.duckdb'));
  try {
    await initDatabase(db);
    return await fn(db, dir);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'zhenjian-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
