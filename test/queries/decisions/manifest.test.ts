import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../fixtures/generator/index.ts';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import type { Database } from '../../../src/db/open.ts';
import { generatedDatabase } from '../../helpers/modules.ts';
import { all } from '../../../src/db/sql.ts';

// End to end: the generator's realised rates and planted anomalies (docs/generator.md) against the decisions
// modules at as_of = the manifest's `to`; the app records go in through the API's own code.
let db: Database;
let manifest: Manifest;
let cleanup: () => void;

beforeAll(async () => {
  ({ db, manifest, cleanup } = await generatedDatabase({
    cases: 20000,
    seed: 5,
    from: '2023-01-01',
    to: '2025-06-30',
  }));
});

afterAll(() => cleanup?.());

const rowsOf = (sql: string) => all(db.conn, sql);

const run = async (name: string, params: Record<string, unknown> = {}) =>
  (await runModule(db.conn, name, { as_of: manifest.to, ...params }, { districts: ALL_DISTRICTS })).rows;

describe('decisions modules against the generator manifest (seed 5, 20 000 cases)', () => {
  it('decision-rates over [from, to] gives the realised 不捕率 and 不诉率', async () => {
    const [all] = await run('decision-rates', { from: manifest.from, to: manifest.to, group_by: 'all' });
    // the manifest rounds to 6 decimals
    expect(all!.non_arrest_rate).toBeCloseTo(manifest.rates.non_arrest_rate, 6);
    expect(all!.non_prosecution_rate).toBeCloseTo(manifest.rates.non_prosecution_rate, 6);
    // the districts add up to the whole: persons belong to one case and so to one district
    const byDistrict = await run('decision-rates', { from: manifest.from, to: manifest.to });
    const sum = (k: string) => byDistrict.reduce((s, r) => s + (r[k] as number), 0);
    expect(sum('arrest_decided')).toBe(all!.arrest_decided);
    expect(sum('non_prosecution')).toBe(all!.non_prosecution);
  });

  it('review-sample finds the population the generator counted for each review campaign', async () => {
    const campaigns = (await rowsOf(
      'SELECT review_campaign_id, population, seed, population_count, size FROM review_campaigns ORDER BY 1',
    )) as { population: string; seed: number; population_count: number; size: number }[];
    expect(campaigns.length).toBeGreaterThan(0);
    for (const c of campaigns) {
      const { module, params } = JSON.parse(c.population) as {
        module: string;
        params: Record<string, unknown>;
      };
      expect(module).toBe('review-sample');
      const rows = await run('review-sample', { ...params, seed: c.seed, size: c.size });
      expect(rows).toHaveLength(c.size);
      expect(rows[0]!.population_count).toBe(c.population_count);
    }
  });

  it('review-results counts every generated review, at as_of = to', async () => {
    const rows = await run('review-results');
    expect(rows.reduce((s, r) => s + (r.reviewed as number), 0)).toBe(manifest.app_records.reviews);
    expect(rows.reduce((s, r) => s + (r.findings as number), 0)).toBe(manifest.app_records.review_findings);
  });

  it('inspection-results covers the generated inspection and its findings', async () => {
    const rows = await run('inspection-results');
    expect(rows).toHaveLength(manifest.app_records.inspection_campaigns);
    expect(rows.reduce((s, r) => s + (r.checked as number), 0)).toBe(
      manifest.app_records.inspection_findings,
    );
  });

  it('file-receipt finds property_refused_without_reason', async () => {
    const rows = await run('file-receipt', { view: 'property' });
    expect(rows).toHaveLength(manifest.anomalies.property_refused_without_reason);
  });
});
