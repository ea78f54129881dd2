import { readdirSync, readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { all, run, transaction } from './sql.ts';

const DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations shipped with this version, in order (files `NNN_name.sql`). */
export function migrations(): Migration[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f.slice(4, -4),
      sql: readFileSync(new URL(f, DIR), 'utf8'),
    }));
}

export async function schemaVersion(conn: DuckDBConnection): Promise<number> {
  await run(
    conn,
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
  );
  const [row] = await all<{ v: number | null }>(conn, 'SELECT max(version) AS v FROM schema_migrations');
  return row?.v ?? 0;
}

/**
 * Brings the schema to the newest version, one transaction per migration, so an interrupted migration leaves the
 * database at the previous version. Returns the versions applied.
 */
export async function migrate(conn: DuckDBConnection, list: Migration[] = migrations()): Promise<number[]> {
  const current = await schemaVersion(conn);
  const newest = list.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(
      `数据库结构版本 ${current} 高于本程序支持的 ${newest}：请升级 zhenjian 后再打开此数据库。`,
    );
  }
  const applied: number[] = [];
  // every version not yet recorded, in order — not only those above the newest applied: a migration numbered below
  // one that was added first on another branch of work must still run
  const done = new Set(
    (await all<{ version: number }>(conn, 'SELECT version FROM schema_migrations')).map((r) => r.version),
  );
  for (const m of list.filter((x) => !done.has(x.version))) {
    await transaction(conn, async () => {
      for (const stmt of splitStatements(m.sql)) await run(conn, stmt);
      await run(conn, 'INSERT INTO schema_migrations VALUES ($v, $n, now()::TIMESTAMP)', {
        v: m.version,
        n: m.name,
      });
    });
    applied.push(m.version);
  }
  return applied;
}

// Migration files are ours (no user input); statements end with ';' at a line end, comments start with '--'.
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}
