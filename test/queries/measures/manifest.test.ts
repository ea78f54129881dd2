import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../fixtures/generator/index.ts';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import type { Database } from '../../../src/db/open.ts';
import { generatedDatabase } from '../../helpers/modules.ts';

// End to end: the generator's manifest counts what rules.md finds at as_of = to; the modules must find exactly that.
let manifest: Manifest;
let db: Database;
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

const run = (name: string, params: Record<string, unknown> = {}) =>
  runModule(db.conn, name, { as_of: manifest.to, ...params }, { districts: ALL_DISTRICTS });
const count = (rows: Record<string, unknown>[], pred: (r: Record<string, unknown>) => boolean) =>
  rows.filter(pred).length;

describe('measures group against the generator manifest (20 000 cases, seed 5, 2023-01-01 … 2025-06-30)', () => {
  it('measure-overruns finds each planted overrun kind exactly', async () => {
    const { rows } = await run('measure-overruns');
    const rs = (m: unknown) => m === '监视居住' || m === '指定居所监视居住';
    const found = {
      bail_unlifted: count(rows, (r) => r.kind === '逾期未解除' && r.measure === '取保候审'),
      bail_late_lift: count(rows, (r) => r.kind === '逾期解除' && r.measure === '取保候审'),
      rs_unlifted: count(rows, (r) => r.kind === '逾期未解除' && rs(r.measure)),
      rs_late_lift: count(rows, (r) => r.kind === '逾期解除' && rs(r.measure)),
      custody_overrun: count(rows, (r) => r.kind === '超期羁押'),
      detention_over_37: count(rows, (r) => r.kind === '拘留超期'),
      returns_over_2: count(rows, (r) => r.kind === '退查超次数'),
    };
    expect(found).toEqual(manifest.anomalies.measure_overruns);
    expect(rows.length).toBe(Object.values(found).reduce((a, b) => a + b, 0));
  });

  it('fast-track-48h finds exactly the planted 速裁 suspects judged after 48 hours', async () => {
    const detail = await run('fast-track-48h');
    expect(count(detail.rows, (r) => r.within_48h === false)).toBe(manifest.anomalies.fast_track_over_48h);
    expect(count(detail.rows, (r) => r.status === '进行中')).toBe(0);
    const summary = await run('fast-track-48h', { summary: true });
    expect(summary.rows.reduce((s, r) => s + Number(r.over), 0)).toBe(manifest.anomalies.fast_track_over_48h);
    expect(summary.rows.reduce((s, r) => s + Number(r.total), 0)).toBe(detail.rows.length);
  });

  it('data-flow-lag finds exactly the late and missing pushes per table', async () => {
    const { rows } = await run('data-flow-lag');
    const SOURCES = { events: '流程节点', decisions: '决定', supervision: '监督记录' } as const;
    const sum = (source: string, key: 'late' | 'missing') =>
      rows.filter((r) => r.source === source).reduce((s, r) => s + Number(r[key]), 0);
    const per = (key: 'late' | 'missing') =>
      Object.fromEntries(Object.entries(SOURCES).map(([k, source]) => [k, sum(source, key)]));
    expect(per('late')).toEqual(manifest.anomalies.late_pushes);
    expect(per('missing')).toEqual(manifest.anomalies.missing_push);
    const detail = await run('data-flow-lag', { level: 'detail' });
    const m = manifest.anomalies;
    const expected = [m.late_pushes, m.missing_push]
      .flatMap((o) => Object.values(o))
      .reduce((a, b) => a + b, 0);
    expect(detail.rows.length).toBe(expected);
  });

  it('pending-clearance flags at from = to exactly the 挂案 of the manifest, none yet resolved', async () => {
    const { rows } = await run('pending-clearance', { from: manifest.to, to: manifest.to });
    const { A, B, C } = manifest.anomalies.pending_cases;
    expect(rows.reduce((s, r) => s + Number(r.flagged), 0)).toBe(A + B + C);
    expect(rows.every((r) => r.resolved === 0 && r.clearance_rate === 0)).toBe(true);
  });

  it('case-timeline shows the same limits and overruns as measure-overruns and fast-track-48h', async () => {
    const overruns = (await run('measure-overruns')).rows.filter((r) => r.measure_id);
    const samples = [...new Map(overruns.map((r) => [r.kind, r])).values()];
    expect(samples.length).toBe(4);
    for (const f of samples) {
      const { rows } = await run('case-timeline', { case_id: f.case_id });
      const row = rows.find((r) => r.item_id === f.measure_id && r.deadline);
      expect([f.measure_id, row?.deadline, row?.status, row?.days_over]).toEqual([
        f.measure_id,
        f.limit_on,
        '逾期',
        f.days_over,
      ]);
    }
    const late = (await run('fast-track-48h')).rows.find((r) => r.status === '超时')!;
    const { rows } = await run('case-timeline', { case_id: late.case_id });
    expect(rows.find((r) => r.rule === '速裁48小时' && r.suspect_id === late.suspect_id)?.status).toBe(
      '逾期',
    );
  });
});
