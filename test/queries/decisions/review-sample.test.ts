import { describe, expect, it } from 'vitest';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import { reviewSample } from '../../../queries/review-sample.ts';
import { tempDir, withDatabase } from '../../helpers/db.ts';
import { writeCsv } from '../../helpers/files.ts';
import { ingest } from '../../helpers/ingest.ts';
import { loadFixture, pick, rowsOf } from './load.ts';
import { draw, sha256 } from './review-sample-reference.ts';

const M = 'review-sample';
const YEAR = { from: '2024-01-01', to: '2024-12-31' };

// Fixture `sample`: 15 不捕/不诉 decisions in 2024 — 110101: R01 (N_h 1); 110102: R02 R03 (2); 110105: R04…R09 (6);
// 110106: R10 R11 R12 (3); 110108: R13 R14 R15 (3). Not in the population: R16 批准逮捕, R17 decided 2023-12-31,
// R18 decided 2025-01-01. R01 (2024-01-01) and R09 (2024-12-31) lie on the window's ends.
// With seed 42 the order inside a stratum is by sha256('42:<id>'): 110102 R03 (9159…) R02 (abdb…); 110105 R05 (350b…)
// R04 (4471…) R09 (7ea6…) R08 (8607…) R07 (8c8a…) R06 (d719…); 110106 R10 R11 R12; 110108 R13 (6fcc…) R15 (ce0a…) R14.
const takes = (rows: Record<string, unknown>[]) =>
  Object.fromEntries(rows.map((r) => [r.stratum as string, r.stratum_sample as number]));

describe('review-sample (rules.md §6), worked by hand', () => {
  it('gives every stratum one and the rest by largest remainder, ties to the lower code', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'sample', '2024-12-31');
      // n = 7, H = 5, 2 left. 110101 (room 0) is full. Over the other 14: 110102 2·2/14 = 0 r 4, 110106 and 110108
      // 2·3/14 = 0 r 6, 110105 2·6/14 = 0 r 12: the 2 seats go to 110105 (12) and, of the tie at 6, to 110106
      const rows = await rowsOf(db, M, { ...YEAR, seed: 42, size: 7 });
      expect(takes(rows)).toEqual({ 110101: 1, 110102: 1, 110105: 2, 110106: 2, 110108: 1 });
      expect(pick(rows, ['decision_id', 'stratum', 'draw_rank'])).toEqual([
        ['R01', '110101', 1],
        ['R03', '110102', 1],
        ['R05', '110105', 1],
        ['R04', '110105', 2],
        ['R10', '110106', 1],
        ['R11', '110106', 2],
        ['R13', '110108', 1],
      ]);
      expect(rows[0]).toMatchObject({
        case_id: 'C01',
        suspect_id: 'P01',
        district_code: '110101',
        decision: '不批准逮捕',
        reason: '证据不足',
        decided_on: '2024-01-01',
        stratum_population: 1,
        population_count: 15,
        sample_size: 7,
        whole_population: false,
        draw_key: sha256('42:R01'),
      });
    });
  });

  it('caps a stratum at its size and gives the excess to the others', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'sample', '2024-12-31');
      // n = 12, 7 left. 110101 is full; 110102's quota 7·2/14 = 1 reaches its room 1: full (2). Over the last 12
      // decisions 6 seats: 110106 and 110108 6·3/12 = 1 r 6, 110105 6·6/12 = 3 r 0; the one left goes to the tie's
      // lower code 110106, which so takes all its 3
      const twelve = await rowsOf(db, M, { ...YEAR, seed: 42, size: 12 });
      expect(takes(twelve)).toEqual({ 110101: 1, 110102: 2, 110105: 4, 110106: 3, 110108: 2 });
      // n = 14, 9 left: 110101, 110102 (room 1 · 14 <= 9 · 2), 110106 (2 · 12 <= 8 · 3), 110108 (2 · 9 <= 6 · 3) full in
      // turn; 110105 takes the remaining 4 over its 1: 5 of 6
      const fourteen = await rowsOf(db, M, { ...YEAR, seed: 42, size: 14 });
      expect(takes(fourteen)).toEqual({ 110101: 1, 110102: 2, 110105: 5, 110106: 3, 110108: 3 });
      expect(fourteen.map((r) => r.decision_id)).not.toContain('R06');
    });
  });

  it('returns the whole population when size reaches it, and says so', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'sample', '2024-12-31');
      for (const size of [15, 40]) {
        const rows = await rowsOf(db, M, { ...YEAR, seed: 42, size });
        expect(rows.map((r) => r.decision_id).sort()).toEqual(
          Array.from({ length: 15 }, (_, i) => `R${String(i + 1).padStart(2, '0')}`),
        );
        expect(rows.every((r) => r.whole_population === true && r.sample_size === 15)).toBe(true);
      }
    });
  });

  it('draws the strata themselves, in proportion to their sizes, when size is below their number', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'sample', '2024-12-31');
      // u = (first 13 hex digits of sha256('42:stratum:<code>') + 0.5) / 2^52; key ln(u) / N_h:
      // 110108 fd4c0c4b8249b → u 0.989442, key −0.003538; 110105 e9481efa7227c → 0.911257, −0.015488;
      // 110106 −0.323784; 110102 −0.643019; 110101 −0.904799. The two largest: 110105 and 110108
      const rows = await rowsOf(db, M, { ...YEAR, seed: 42, size: 2 });
      expect(pick(rows, ['decision_id', 'stratum', 'stratum_sample'])).toEqual([
        ['R05', '110105', 1],
        ['R13', '110108', 1],
      ]);
      // over 200 seeds a single draw lands in 110105 (6 of 15 decisions) about 40 % of the time
      let hits = 0;
      for (let seed = 0; seed < 200; seed++) {
        const [one] = await rowsOf(db, M, { ...YEAR, seed, size: 1 });
        if (one!.stratum === '110105') hits++;
      }
      expect(hits).toBeGreaterThan(60);
      expect(hits).toBeLessThan(100);
    });
  });

  it('is reproducible: the same seed gives the same sample, another seed another', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'sample', '2024-12-31');
      const ids = async (seed: number) =>
        (await rowsOf(db, M, { ...YEAR, seed, size: 7 })).map((r) => r.decision_id);
      expect(await ids(42)).toEqual(await ids(42));
      // the seed reaches the module as text: '42' and 42 are the same seed
      expect((await rowsOf(db, M, { ...YEAR, seed: '42', size: '7' })).map((r) => r.decision_id)).toEqual(
        await ids(42),
      );
      expect(await ids(43)).not.toEqual(await ids(42));
    });
  });

  it('agrees with an independent implementation of the documented procedure on every size', async () => {
    const t = tempDir();
    try {
      await withDatabase(async (db) => {
        // 8 strata of 1, 1, 2, 3, 3, 5, 9 and 20 decisions (44 in all) in eight districts
        const districts = ['110101', '110102', '110105', '110106', '110107', '110108', '110109', '110111'];
        const sizes = [1, 1, 2, 3, 3, 5, 9, 20];
        const population = districts.flatMap((d, k) =>
          Array.from({ length: sizes[k]! }, (_, i) => ({ id: `X${d}-${i}`, stratum: d })),
        );
        const files = [
          writeCsv(t.dir, 'cases.csv', [
            ['case_id', 'district_code', 'police_unit', 'charge', 'filed_on', 'status'],
            ...districts.map((d) => [`C${d}`, d, '刑侦支队', '盗窃罪', '2024-01-02', '侦查中']),
          ]),
          writeCsv(t.dir, 'suspects.csv', [
            ['suspect_id', 'case_id'],
            ...population.map((p) => [`S${p.id}`, `C${p.stratum}`]),
          ]),
          writeCsv(t.dir, 'decisions.csv', [
            [
              'decision_id',
              'case_id',
              'suspect_id',
              'stage',
              'received_on',
              'decided_on',
              'decision',
              'reason',
            ],
            ...population.map((p) => [
              p.id,
              `C${p.stratum}`,
              `S${p.id}`,
              '审查起诉',
              '2024-05-01',
              '2024-06-01',
              '不起诉',
              '酌定不起诉',
            ]),
          ]),
        ];
        await ingest(db, files, { asOf: '2024-12-31' });
        for (const seed of [1, 20240601]) {
          for (let size = 1; size <= 46; size++) {
            const rows = await rowsOf(db, M, { ...YEAR, seed, size });
            expect([size, rows.map((r) => r.decision_id)]).toEqual([size, draw(population, size, seed)]);
            // the minimum: from 8 on every stratum is in the sample
            expect(new Set(rows.map((r) => r.stratum)).size).toBe(Math.min(size, 8));
          }
        }
      });
    } finally {
      t.cleanup();
    }
  });

  it('filters by decision and district, and binds the caller scope', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'sample', '2024-12-31');
      const pop = async (params: Record<string, unknown>, districts: readonly string[] = ALL_DISTRICTS) =>
        (await rowsOf(db, M, { ...YEAR, seed: 42, size: 100, ...params }, districts)).map(
          (r) => r.decision_id,
        );
      // 不起诉 only: R02 R05 R07 R09 R11 R13 R15
      expect((await pop({ decision: '不起诉' })).sort()).toEqual([
        'R02',
        'R05',
        'R07',
        'R09',
        'R11',
        'R13',
        'R15',
      ]);
      expect(await pop({ decision: ['不批准逮捕', '不起诉'], district: '110108' })).toEqual([
        'R13',
        'R15',
        'R14',
      ]);
      // the window moves: R17 (2023-12-31) joins, R09 (2024-12-31) leaves
      const shifted = await pop({ from: '2023-12-31', to: '2024-12-30' });
      expect(shifted).toContain('R17');
      expect(shifted).not.toContain('R09');
      expect((await pop({}, ['110101', '110102'])).sort()).toEqual(['R01', 'R02', 'R03']);
      // a district outside the scope gives nothing, and so does an empty scope
      expect(await pop({ district: '110108' }, ['110105'])).toEqual([]);
      expect(await pop({}, [])).toEqual([]);
    });
  });

  it('requires a seed and checks its parameters in Chinese', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'sample', '2024-12-31');
      await expect(rowsOf(db, M, { size: 5 })).rejects.toThrow(/seed（随机种子）/);
      await expect(rowsOf(db, M, { seed: 1, size: 0 })).rejects.toThrow(/size（抽取数量）/);
      await expect(rowsOf(db, M, { seed: 1.5 })).rejects.toThrow(/seed（随机种子）/);
      await expect(rowsOf(db, M, { seed: 1, decision: '批准逮捕' })).rejects.toThrow(/decision（决定类型）/);
      const r = await runModule(db.conn, M, { seed: 1 }, { districts: ALL_DISTRICTS });
      expect(r.columns.map((c) => c.name)).toEqual(reviewSample.columns.map((c) => c.name));
      // default window: the year to date of the as-of date, default size 30 ≥ 15: everything
      expect(r.rows).toHaveLength(15);
    });
  });
});
