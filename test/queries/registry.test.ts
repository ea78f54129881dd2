import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../fixtures/generator/index.ts';
import { MODULES } from '../../queries/registry.ts';
import { runModule } from '../../queries/run.ts';
import { ALL_DISTRICTS } from '../../queries/scope.ts';
import { importAppRecords } from '../../src/records/store.ts';
import { all } from '../../src/db/sql.ts';
import { withDatabase } from '../helpers/db.ts';
import { ingest } from '../helpers/ingest.ts';

const docs = readdirSync('docs/modules')
  .map((f) => readFileSync(join('docs/modules', f), 'utf8'))
  .join('\n');

describe('the module registry', () => {
  it('every module runs on generated data, returns exactly its declared columns, and is documented', async () => {
    await withDatabase(async (db, dir) => {
      const out = join(dir, 'gen');
      await generate({ out, cases: 3000, seed: 11, from: '2024-01-01', to: '2025-06-30' });
      await ingest(
        db,
        readdirSync(out)
          .filter((f) => f.endsWith('.csv'))
          .map((f) => join(out, f)),
      );
      await importAppRecords(db.conn, JSON.parse(readFileSync(join(out, 'app-records.json'), 'utf8')));
      const [someCase] = await all<{ id: string }>(
        db.conn,
        'SELECT case_id AS id FROM cases ORDER BY 1 LIMIT 1',
      );
      const required: Record<string, Record<string, string>> = {
        'case-timeline': { case_id: someCase!.id },
        'pending-clearance': { from: '2025-01-01' },
        'review-sample': { seed: '7' },
        'joint-meeting-pack': { period: '2025Q1' },
        briefing: { period: '2025Q1' },
      };
      expect(new Set(MODULES.map((m) => m.name)).size).toBe(MODULES.length);
      for (const m of MODULES) {
        const r = await runModule(db.conn, m.name, required[m.name] ?? {}, { districts: ALL_DISTRICTS });
        expect(
          r.columns.map((c) => c.name),
          m.name,
        ).toEqual(m.columns.map((c) => c.name));
        expect(r.meta.basis.length, m.name).toBeGreaterThan(5);
        expect(docs, `docs/modules lacks ${m.name}`).toContain(`\`${m.name}\``);
      }
    });
  }, 120_000);
});
