import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../fixtures/generator/index.ts';
import { initDatabase } from '../../src/db/init.ts';
import { openDatabase } from '../../src/db/open.ts';
import { all } from '../../src/db/sql.ts';
import { tempDir } from '../helpers/db.ts';

// Short version of the crash suite (issue 8): kill -9 the CLI while it loads, then check that every committed batch
// is whole — each table holds exactly the rows its ledger entries say were loaded — and that loading again completes.
describe('ingest: a crash mid-load leaves no partial batch', () => {
  it('after kill -9 at several moments, table rows equal the ledger and a reload converges', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const data = join(dir, 'data');
      await generate({ out: data, cases: 20000, seed: 3, from: '2023-01-01', to: '2024-12-31' });
      const files = readdirSync(data)
        .filter((f) => f.endsWith('.csv'))
        .map((f) => join(data, f));
      const dbPath = join(dir, 'z.duckdb');
      const db0 = await openDatabase(dbPath);
      await initDatabase(db0);
      db0.close();

      for (const delayMs of [1500, 2500, 3500]) {
        const child = spawn(process.execPath, ['bin/zhenjian.js', 'ingest', ...files, '--db', dbPath], {
          stdio: 'ignore',
        });
        const exited = new Promise((r) => child.on('exit', r));
        await new Promise((r) => setTimeout(r, delayMs));
        child.kill('SIGKILL');
        await exited;

        const db = await openDatabase(dbPath);
        try {
          const ledger = await all<{ table_name: string; loaded: number }>(
            db.conn,
            'SELECT table_name, sum(rows_loaded) AS loaded FROM batches GROUP BY 1',
          );
          for (const { table_name, loaded } of ledger) {
            const [{ n }] = (await all<{ n: number }>(
              db.conn,
              `SELECT count(*) AS n FROM ${table_name}`,
            )) as [{ n: number }];
            expect(n, `${table_name} after a kill at ${delayMs} ms`).toBe(Number(loaded));
          }
          const [{ orphans }] = (await all<{ orphans: number }>(
            db.conn,
            'SELECT count(*) AS orphans FROM rejects WHERE batch_id NOT IN (SELECT batch_id FROM batches)',
          )) as [{ orphans: number }];
          expect(orphans).toBe(0);
        } finally {
          db.close();
        }
      }

      // loading again after the kills finishes the job: every table then holds every generated row
      const final = spawn(process.execPath, ['bin/zhenjian.js', 'ingest', ...files, '--db', dbPath], {
        stdio: 'ignore',
      });
      const code = await new Promise((r) => final.on('exit', r));
      expect(code).toBe(0);
      const db = await openDatabase(dbPath);
      try {
        const [{ n }] = (await all<{ n: number }>(db.conn, 'SELECT count(*) AS n FROM cases')) as [
          { n: number },
        ];
        expect(n).toBe(20000);
      } finally {
        db.close();
      }
    } finally {
      cleanup();
    }
  }, 120_000);
});
