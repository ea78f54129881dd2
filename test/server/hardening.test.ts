import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { all } from '../../src/db/sql.ts';
import { tempDir } from '../helpers/db.ts';
import { CASE_HEADER, caseRow } from '../helpers/files.ts';
import { withServer } from '../helpers/server.ts';

const PERMISSION = /Permission Error|disabled by configuration/;
const LOCKED = /configuration has been locked/;

describe('DuckDB hardening at server start (security-reliability-research.md requirement 36)', () => {
  it('settings read back; files outside staging refused; no SET can loosen the configuration', async () => {
    await withServer(
      async (s) => {
        const staging = join(s.dir, '.staging');
        await s.server.ctx.pool.use(async (conn) => {
          const settings = Object.fromEntries(
            (
              await all<{ name: string; value: string }>(
                conn,
                `SELECT name, value FROM duckdb_settings() WHERE name IN ('threads', 'memory_limit',
                   'max_temp_directory_size', 'autoload_known_extensions', 'autoinstall_known_extensions',
                   'enable_external_access', 'lock_configuration', 'allowed_directories')`,
              )
            ).map((r) => [r.name, r.value]),
          );
          expect(settings).toMatchObject({
            threads: '2',
            autoload_known_extensions: 'false',
            autoinstall_known_extensions: 'false',
            enable_external_access: 'false',
            lock_configuration: 'true',
          });
          // 768 MB as DuckDB prints it (MiB units); 8 GB likewise
          expect(settings.memory_limit).toMatch(/^7\d\d\.\d MiB$/);
          expect(settings.max_temp_directory_size).toMatch(/GiB$/);
          expect(settings.allowed_directories).toContain(`${staging}/`);

          await expect(conn.run("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(PERMISSION);
          // the key file sits beside the database, outside the allowed folders
          await expect(
            conn.run(`SELECT * FROM read_csv('${join(s.dir, 'server.duckdb.key')}')`),
          ).rejects.toThrow(PERMISSION);
          await expect(conn.run(`ATTACH '${join(s.dir, 'other.duckdb')}' AS o`)).rejects.toThrow(PERMISSION);
          await expect(conn.run(`COPY (SELECT 1) TO '${join(s.dir, 'out.csv')}'`)).rejects.toThrow(
            PERMISSION,
          );
          for (const set of [
            'SET enable_external_access = true',
            'SET lock_configuration = false',
            "SET memory_limit = '16GB'",
            "SET allowed_directories = ['/']",
            'SET autoload_known_extensions = true',
          ])
            await expect(conn.run(set), set).rejects.toThrow(LOCKED);

          // inside the staging folder DuckDB reads (the ingest path): a file there is readable
          mkdirSync(staging, { recursive: true });
          writeFileSync(join(staging, 'ok.csv'), 'a,b\n1,2\n');
          const rows = await all(conn, `SELECT * FROM read_csv('${join(staging, 'ok.csv')}')`);
          expect(rows).toEqual([{ a: 1, b: 2 }]);
        });

        // a load still works under the hardening: Parquet is the format DuckDB itself reads from the upload
        const t = tempDir();
        try {
          const pq = join(t.dir, 'cases.parquet');
          const scratch = await DuckDBInstance.create(':memory:');
          const c = await scratch.connect();
          const cols = CASE_HEADER.map((h, i) => `$${i + 1}::VARCHAR AS ${h}`).join(', ');
          await c.run(`COPY (SELECT ${cols}) TO '${pq}' (FORMAT parquet)`, caseRow('PQ1'));
          c.closeSync();
          scratch.closeSync();
          await s.addUser({ username: 'loader', role: 'admin', districts: [] });
          const cookie = await s.login('loader');
          const body = new FormData();
          body.append('file', new Blob([readFileSync(pq)]), 'cases.parquet');
          const res = await s.fetch('/api/v1/ingest', { method: 'POST', cookie, body });
          const { job_id } = (await res.json()) as { job_id: string };
          const text = await (await s.fetch(`/api/v1/ingest/${job_id}/events`, { cookie })).text();
          expect(text).toContain('event: result');
          expect(text).toContain('"rows_loaded":1');
        } finally {
          t.cleanup();
        }
      },
      { start: { threads: 2 } },
    );
  });
});
