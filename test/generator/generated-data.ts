import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate, type GenerateOptions, type Manifest } from '../../fixtures/generator/index.ts';
import { COLUMNS } from '../../fixtures/generator/columns.ts';

export const DEFAULT_RUN = { cases: 20_000, seed: 1, from: '2022-01-01', to: '2025-12-31' } as const;

export interface GeneratedData {
  dir: string;
  manifest: Manifest;
  db: DuckDBConnection;
  /** Rows with BIGINT and DECIMAL turned into numbers and dates into YYYY-MM-DD strings. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

export async function generateInto(
  options: Partial<GenerateOptions> = {},
): Promise<{ dir: string; manifest: Manifest }> {
  const dir = await mkdtemp(join(tmpdir(), 'zhenjian-generator-'));
  const manifest = await generate({ ...DEFAULT_RUN, ...options, out: dir });
  return { dir, manifest };
}

const BOOL_COLUMNS = new Set([
  'enterprise_related',
  'economic_dispute',
  'major_case',
  'supervised_listing',
  'minor_victim',
  'one_stop',
  'is_minor',
  'plea',
  'fast_track',
]);

/** Typed column expression from the all-varchar CSV: the types of contract.md. */
function typed(column: string): string {
  if (column.endsWith('_at')) return `CAST(${column} AS TIMESTAMP) AS ${column}`;
  if (column.endsWith('_on') || column === 'birth_date') return `CAST(${column} AS DATE) AS ${column}`;
  if (BOOL_COLUMNS.has(column)) return `CAST(${column} AS BOOLEAN) AS ${column}`;
  if (column === 'returns') return `CAST(returns AS INTEGER) AS returns`;
  return column;
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * Generates a data set and loads its CSVs into an in-memory DuckDB as typed tables named like the exchange
 * tables, plus `params(as_of, from_on, to_on)` and the month arithmetic of rules.md §1 as `add_months`.
 */
export async function loadGenerated(options: Partial<GenerateOptions> = {}): Promise<GeneratedData> {
  const { dir, manifest } = await generateInto(options);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  for (const [table, columns] of Object.entries(COLUMNS)) {
    const file = sqlString(join(dir, `${table}.csv`));
    await db.run(
      `CREATE TABLE ${table} AS SELECT ${columns.map(typed).join(', ')} FROM read_csv(${file}, all_varchar = true, header = true)`,
    );
  }
  await db.run(
    `CREATE TABLE params AS SELECT CAST(${sqlString(manifest.as_of)} AS DATE) AS as_of, CAST(${sqlString(manifest.from)} AS DATE) AS from_on, CAST(${sqlString(manifest.to)} AS DATE) AS to_on`,
  );
  await db.run(await readFile(new URL('./sql/add-months.sql', import.meta.url), 'utf8'));
  const query = async (sql: string): Promise<Record<string, unknown>[]> => {
    const rows = (await db.runAndReadAll(sql)).getRowObjects();
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
  };
  return {
    dir,
    manifest,
    db,
    query,
    cleanup: async () => {
      db.closeSync();
      instance.closeSync();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object' && 'toString' in v && !Array.isArray(v)) {
    const s = String(v);
    return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
  }
  return v;
}

export async function sqlFile(name: string): Promise<string> {
  return readFile(new URL(`./sql/${name}`, import.meta.url), 'utf8');
}
