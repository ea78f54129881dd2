import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../fixtures/generator/index.ts';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import type { Database } from '../../../src/db/open.ts';
import { generatedDatabase } from '../../helpers/modules.ts';

// End to end: the generator plants supervision anomalies and counts them (docs/generator.md); the modules must find
// exactly those counts at as_of = the manifest's `to`.
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

const run = async (name: string, params: Record<string, unknown> = {}) =>
  (await runModule(db.conn, name, { as_of: manifest.to, ...params }, { districts: ALL_DISTRICTS })).rows;

const countBy = (rows: Record<string, unknown>[], col: string) => {
  const out: Record<string, number> = {};
  for (const r of rows) out[String(r[col])] = (out[String(r[col])] ?? 0) + 1;
  return out;
};

describe('supervision modules against the generator manifest (seed 5, 20 000 cases)', () => {
  it('supervision-overdue finds supervision_overdue', async () => {
    const rows = await run('supervision-overdue');
    const want = manifest.anomalies.supervision_overdue;
    expect(rows).toHaveLength(want.total);
    const byForm = countBy(rows, 'form');
    for (const [form, n] of Object.entries(want.by_form)) expect(byForm[form] ?? 0).toBe(n);
    expect(rows.filter((r) => r.status === '逾期未回复')).toHaveLength(want.unanswered);
    expect(rows.filter((r) => r.status === '逾期回复')).toHaveLength(want.late);
  });

  it('supervision-ledger totals give the manifest adoption rate and the same overdue count', async () => {
    const [total] = await run('supervision-ledger', {
      from: manifest.from,
      to: manifest.to,
      group_by: 'total',
    });
    expect(Math.round((total!.adoption_rate as number) * 1e6) / 1e6).toBe(manifest.rates.adoption_rate);
    expect(total!.issued).toBe(manifest.rows.supervision);
    expect(total!.overdue).toBe(manifest.anomalies.supervision_overdue.total);
    expect(total!.overdue_unanswered).toBe(manifest.anomalies.supervision_overdue.unanswered);
  });

  it('supervision-levels finds supervision_levels', async () => {
    const rows = await run('supervision-levels');
    expect(countBy(rows, 'finding')).toEqual(manifest.anomalies.supervision_levels);
  });

  it('filing-supervision lapses match the overdue 要求说明理由 / 通知立案 / 通知撤案 (executed on the reply day)', async () => {
    const rows = await run('filing-supervision', { summary: true });
    const byForm = manifest.anomalies.supervision_overdue.by_form;
    // 不捕告知撤案 (规则 第287条) comes from decisions, which the manifest does not plant
    const forms = rows.filter((r) => r.form !== '不捕告知撤案');
    expect(Object.fromEntries(forms.map((r) => [r.form, r.lapsed]))).toEqual({
      要求说明理由: byForm.要求说明理由,
      通知立案: byForm.通知立案,
      通知撤案: byForm.通知撤案,
    });
  });
});
