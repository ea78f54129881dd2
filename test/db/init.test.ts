import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initDatabase } from '../../src/db/init.ts';
import { migrate, migrations, schemaVersion } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/open.ts';
import { resolveSuccessors } from '../../src/db/reference.ts';
import { readSecret, secretPath } from '../../src/db/secret.ts';
import { all, one } from '../../src/db/sql.ts';
import { tempDir, withDatabase } from '../helpers/db.ts';

describe('init', () => {
  it('creates the schema and loads the reference data', async () => {
    await withDatabase(async (db) => {
      expect(await schemaVersion(db.conn)).toBe(migrations().at(-1)!.version);
      const r = await one<{ d: number; c: number; h: number; ch: number }>(
        db.conn,
        `SELECT (SELECT count(*) FROM districts) d, (SELECT count(*) FROM charges) c,
                (SELECT count(*) FROM charge_history) h, (SELECT count(DISTINCT chapter_no) FROM charges) ch`,
      );
      expect(r).toEqual({ d: 16, c: 483, h: 59, ch: 10 });
      const codes = await all<{ code: string }>(
        db.conn,
        "SELECT code FROM districts WHERE code IN ('110103','110104','110105')",
      );
      expect(codes).toEqual([{ code: '110105' }]);
      // chapter counts of the 刑法分则 (fixtures/reference/SOURCE.md)
      const perChapter = await all<{ n: number }>(
        db.conn,
        'SELECT count(*) n FROM charges GROUP BY chapter_no ORDER BY chapter_no',
      );
      expect(perChapter.map((x) => x.n)).toEqual([12, 54, 110, 43, 13, 146, 23, 14, 37, 31]);
    });
  });

  it('maps district spellings and charge spellings', async () => {
    await withDatabase(async (db) => {
      const d = await all<{ input: string; code: string }>(
        db.conn,
        "SELECT input, code FROM district_lookup WHERE input IN ('朝阳', '朝阳区', '110105', '北京市朝阳区') ORDER BY input",
      );
      expect(d.map((x) => x.code)).toEqual(['110105', '110105', '110105', '110105']);
      const lookup = async (input: string) =>
        one<{ name: string; historical: boolean }>(
          db.conn,
          'SELECT name, historical FROM charge_lookup WHERE input = $i',
          { i: input },
        );
      expect(await lookup('盗窃')).toEqual({ name: '盗窃罪', historical: false });
      expect(await lookup('偷税罪')).toEqual({ name: '逃税罪', historical: false });
      // a chain of renames ends at the current name
      expect(await lookup('操纵证券交易价格罪')).toEqual({ name: '操纵证券、期货市场罪', historical: false });
      // split into two current names: kept and flagged
      expect(await lookup('国家机关工作人员徇私舞弊罪')).toEqual({
        name: '国家机关工作人员徇私舞弊罪',
        historical: true,
      });
      // abolished without successor
      expect(await lookup('嫖宿幼女罪')).toEqual({ name: '嫖宿幼女罪', historical: true });
      // two names that both became one current name resolve to it
      expect(await lookup('非法采伐、毁坏珍贵树木罪')).toEqual({
        name: '危害国家重点保护植物罪',
        historical: false,
      });
    });
  });

  it('loads the holiday calendar with 调休 working days', async () => {
    await withDatabase(async (db) => {
      const days = await all<{ day: string; kind: string }>(
        db.conn,
        "SELECT day::VARCHAR AS day, kind FROM holidays WHERE day IN ('2024-02-18', '2024-10-01', '2024-10-07', '2024-09-29') ORDER BY day",
      );
      expect(days).toEqual([
        { day: '2024-02-18', kind: '班' },
        { day: '2024-09-29', kind: '班' },
        { day: '2024-10-01', kind: '休' },
        { day: '2024-10-07', kind: '休' },
      ]);
      const years = await all<{ year: number }>(db.conn, 'SELECT year FROM calendar_years ORDER BY year');
      expect(years.map((y) => y.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    });
  });

  it('is idempotent and keeps the secret, mode 0600', async () => {
    await withDatabase(async (db) => {
      const before = statSync(secretPath(db.path));
      const again = await initDatabase(db);
      expect(again.migrations_applied).toEqual([]);
      expect(again.secret_created).toBe(false);
      expect(again.reference.charges).toBe(483);
      expect(statSync(secretPath(db.path)).mode & 0o777).toBe(0o600);
      expect(statSync(secretPath(db.path)).mtimeMs).toBe(before.mtimeMs);
    });
  });

  it('migrates an older schema forward, one migration at a time', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = await openDatabase(join(dir, 'm.duckdb'));
      const list = migrations();
      expect(await migrate(db.conn, list.slice(0, 2))).toEqual([1, 2]);
      expect(await schemaVersion(db.conn)).toBe(2);
      const rest = await migrate(db.conn, list);
      expect(rest).toEqual(list.slice(2).map((m) => m.version));
      const tables = await all<{ n: number }>(
        db.conn,
        "SELECT count(*) n FROM duckdb_tables() WHERE table_name IN ('batches', 'meetings')",
      );
      expect(tables[0]!.n).toBe(2);
      db.close();
    } finally {
      cleanup();
    }
  });

  it('applies a migration numbered below one already applied (008 added after 009 and 010 ran)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = await openDatabase(join(dir, 'gap.duckdb'));
      // as it happened: 009 and 010 were applied before 008 arrived (011 on, which redefine 008's macros, came later)
      const list = migrations().filter((m) => m.version <= 10);
      const without8 = list.filter((m) => m.version !== 8);
      await migrate(db.conn, without8);
      expect(await migrate(db.conn, list)).toEqual([8]);
      const [macro] = await all<{ n: number }>(
        db.conn,
        "SELECT count(*) AS n FROM duckdb_functions() WHERE function_name LIKE 'zj_%' AND function_type = 'table_macro'",
      );
      expect(macro!.n).toBeGreaterThan(1);
      db.close();
    } finally {
      cleanup();
    }
  });

  it('refuses a database from a newer version', async () => {
    await withDatabase(async (db) => {
      await db.conn.run("INSERT INTO schema_migrations VALUES (999, 'future', now()::TIMESTAMP)");
      await expect(migrate(db.conn)).rejects.toThrow(/高于本程序支持/);
    });
  });

  it('resolves historical successors through chains and splits', () => {
    const current = new Set(['C罪', 'D罪']);
    const history = new Map([
      ['A罪', ['B罪']],
      ['B罪', ['C罪']],
      ['E罪', ['C罪', 'D罪']],
      ['F罪', []],
    ]);
    const s = resolveSuccessors(current, history);
    expect([...s.get('A罪')!]).toEqual(['C罪']);
    expect([...s.get('E罪')!].sort()).toEqual(['C罪', 'D罪']);
    expect(s.get('F罪')!.size).toBe(0);
  });
});

describe('in-memory database secret', () => {
  it('keeps the ID-hashing key in the process and writes no key file', async () => {
    const db = await openDatabase(':memory:');
    try {
      const result = await initDatabase(db);
      expect(result.secret_created).toBe(true);
      expect(readSecret(':memory:')).toHaveLength(32);
      expect(existsSync(':memory:.key')).toBe(false);
    } finally {
      db.close();
    }
  });
});
