import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGenerated, sqlFile, type GeneratedData } from './generated-data.ts';

// Every count in manifest.json recomputed with SQL written from rules.md, independent of the generator's code:
// on the default period, and on a short one that ends on a month's last day and leaves out most plants.
const RUNS = [
  { name: 'default period', options: {}, planted: true },
  {
    name: '2024-03-01 … 2025-02-28',
    options: { cases: 5_000, seed: 9, from: '2024-03-01', to: '2025-02-28' },
    planted: false,
  },
];

describe.each(RUNS)('manifest counts equal what rules.md finds at as_of ($name)', ({ options, planted }) => {
  let data: GeneratedData;
  beforeAll(async () => {
    data = await loadGenerated(options);
  });
  afterAll(async () => {
    await data?.cleanup();
  });
  const count = async (sql: string): Promise<number> =>
    Number(Object.values((await data.query(sql))[0] ?? {})[0]);
  /** The planted populations exist (checked on the default period, where every plant fits). */
  const present = (n: number): void => {
    if (planted) expect(n).toBeGreaterThan(0);
  };

  it('挂案 by rule, severe, and 预警 (§2)', async () => {
    const pending = `(${await sqlFile('pending-cases.sql')})`;
    const [row] = await data.query(`
      SELECT count(*) FILTER (WHERE flagged AND rule = 'A') AS A,
             count(*) FILTER (WHERE flagged AND rule = 'B') AS B,
             count(*) FILTER (WHERE flagged AND rule = 'C') AS C,
             count(*) FILTER (WHERE severe) AS severe,
             count(*) FILTER (WHERE warning) AS warnings
      FROM ${pending}`);
    const m = data.manifest.anomalies;
    expect(row).toEqual({ ...m.pending_cases, warnings: m.pending_warnings });
    for (const rule of ['A', 'B', 'C'] as const) present(m.pending_cases[rule]);
    present(m.pending_cases.severe);
    present(m.pending_warnings);
  });

  it('overdue supervision replies by form (§3)', async () => {
    const overdue = `(${await sqlFile('supervision-overdue.sql')})`;
    const rows = await data.query(`
      SELECT form, count(*) FILTER (WHERE late) AS late, count(*) FILTER (WHERE unanswered) AS unanswered
      FROM ${overdue} GROUP BY form`);
    const byForm = Object.fromEntries(rows.map((r) => [r.form, Number(r.late) + Number(r.unanswered)]));
    const m = data.manifest.anomalies.supervision_overdue;
    for (const [form, n] of Object.entries(m.by_form)) expect([form, byForm[form] ?? 0]).toEqual([form, n]);
    const late = rows.reduce((s, r) => s + Number(r.late), 0);
    const unanswered = rows.reduce((s, r) => s + Number(r.unanswered), 0);
    expect({ total: late + unanswered, late, unanswered }).toEqual({
      total: m.total,
      late: m.late,
      unanswered: m.unanswered,
    });
    present(m.late);
    present(m.unanswered);
  });

  it('mis-levelled supervision (§4)', async () => {
    const [row] = await data.query(await sqlFile('supervision-levels.sql'));
    const m = data.manifest.anomalies.supervision_levels;
    expect(row).toEqual({ escalated: m.不当升格, downgraded: m.不当降格, unwarranted: m.不应当监督而监督 });
    present(Math.min(m.不当升格, m.不当降格, m.不应当监督而监督));
  });

  it('late and missing pushes (§7 data-flow-lag)', async () => {
    const rows = await data.query(await sqlFile('data-flow-lag.sql'));
    const late = Object.fromEntries(rows.map((r) => [r.source, r.late]));
    const missing = Object.fromEntries(rows.map((r) => [r.source, r.missing]));
    expect(late).toEqual(data.manifest.anomalies.late_pushes);
    expect(missing).toEqual(data.manifest.anomalies.missing_push);
    present(data.manifest.anomalies.late_pushes.events);
  });

  it('measure overruns (§7)', async () => {
    const rows = await data.query(
      `SELECT kind, count(*) AS n FROM (${await sqlFile('measure-overruns.sql')}) GROUP BY kind`,
    );
    const found = Object.fromEntries(rows.map((r) => [r.kind, r.n]));
    const m = data.manifest.anomalies.measure_overruns;
    for (const [kind, n] of Object.entries(m)) {
      expect([kind, found[kind] ?? 0]).toEqual([kind, n]);
      if (planted) expect([kind, n]).not.toEqual([kind, 0]);
    }
  });

  it('fast track over 48 hours (§7)', async () => {
    const fast = `(${await sqlFile('fast-track.sql')})`;
    const [row] = await data.query(
      `SELECT count(*) FILTER (WHERE hours > 48) AS over, count(*) FILTER (WHERE hours IS NULL) AS open FROM ${fast}`,
    );
    expect(row).toEqual({ over: data.manifest.anomalies.fast_track_over_48h, open: 0 });
    present(data.manifest.anomalies.fast_track_over_48h);
  });

  it('refused property without a written reason (§7 file-receipt)', async () => {
    const n = await count(
      `SELECT count(*) FROM property WHERE accepted IN ('不予接收', '部分接收') AND refusal_reason IS NULL`,
    );
    expect(n).toBe(data.manifest.anomalies.property_refused_without_reason);
    present(n);
  });

  it('rates and district shares as realised', async () => {
    const [rates] = await data.query(await sqlFile('decision-rates.sql'));
    for (const [k, v] of Object.entries(data.manifest.rates))
      expect([k, Number((rates as Record<string, number>)[k])]).toEqual([k, expect.closeTo(v, 6)]);
    const shares = await data.query(
      `SELECT district_code, count(*) / (SELECT count(*) FROM cases) AS share FROM cases GROUP BY district_code`,
    );
    for (const { district_code, share } of shares)
      expect(data.manifest.district_shares[district_code as string]).toBeCloseTo(share as number, 6);
    expect(Object.keys(data.manifest.district_shares)).toHaveLength(16);
  });
});
