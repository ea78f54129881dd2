import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runModule } from '../../queries/run.ts';
import { importAppRecords } from '../../src/records/store.ts';
import { ALL_DISTRICTS } from '../../queries/scope.ts';
import { withDatabase } from '../helpers/db.ts';
import { ingest } from '../helpers/ingest.ts';

// Keeps the worked examples of docs/modules/*.md true: every ```zhenjian-example block is run against its fixture.
interface Example {
  fixture: string;
  module: string;
  params: Record<string, string | number | boolean>;
  as_of?: string;
  expect: { row_count: number; rows: Record<string, unknown>[] };
}

const DIR = 'docs/modules';
const examples: { file: string; example: Example }[] = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => f.endsWith('.md'))
      .flatMap((f) =>
        [...readFileSync(join(DIR, f), 'utf8').matchAll(/```zhenjian-example\n([\s\S]*?)```/g)].map((m) => ({
          file: f,
          example: JSON.parse(m[1]!) as Example,
        })),
      )
  : [];

describe('worked examples in docs/modules', () => {
  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((e) => [`${e.file}: ${e.example.module}`, e.example] as const))(
    '%s',
    async (_label, ex) => {
      await withDatabase(async (db) => {
        const files = readdirSync(ex.fixture)
          .filter((f) => /\.(csv|json|jsonl)$/.test(f) && f !== 'app-records.json')
          .map((f) => join(ex.fixture, f));
        await ingest(db, files, ex.as_of ? { asOf: ex.as_of } : {});
        // review campaigns, inspections and meetings go in the way the app writes them
        const app = join(ex.fixture, 'app-records.json');
        if (existsSync(app)) await importAppRecords(db.conn, JSON.parse(readFileSync(app, 'utf8')));
        const params = Object.fromEntries(Object.entries(ex.params).map(([k, v]) => [k, String(v)]));
        const r = await runModule(db.conn, ex.module, params, { districts: ALL_DISTRICTS });
        expect(r.rows).toHaveLength(ex.expect.row_count);
        ex.expect.rows.forEach((want, i) => expect(r.rows[i]).toMatchObject(want));
      });
    },
  );
});
