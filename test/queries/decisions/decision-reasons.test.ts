import { describe, expect, it } from 'vitest';
import { withDatabase } from '../../helpers/db.ts';
import { loadModuleFixture, pick, rowsOf } from '../../helpers/modules.ts';

// Fixture `rates` (as_of 2024-12-31). In 2024: 不批准逮捕 D01 证据不足 (01-01, the window's first day), D03 无社会危险性,
// D04 不构成犯罪, D05 证据不足 (12-31, its last day) in 朝阳 (K1, K2), D14 无社会危险性 in 海淀 (K4); D10 (2023) is outside.
// 不起诉 D07 酌定不起诉 (海淀 K3), D12 存疑不起诉 (朝阳 K1).
const load = (db: Parameters<typeof loadModuleFixture>[0]) =>
  loadModuleFixture(db, 'test/fixtures/modules/decisions/rates', '2024-12-31');
const COLS = ['district_code', 'decision', 'reason', 'decisions', 'decision_total', 'share'];

describe('decision-reasons', () => {
  it('splits the year-to-date 不捕 and 不诉 decisions by reason, with shares of their kind', async () => {
    await withDatabase(async (db) => {
      await load(db);
      expect(pick(await rowsOf(db, 'decision-reasons'), COLS)).toEqual([
        // 5 不批准逮捕: 2 + 2 + 1 → 0.4, 0.4, 0.2; 2 不起诉: 1 + 1 → 0.5 each (ties by reason name)
        [null, '不批准逮捕', '无社会危险性', 2, 5, 0.4],
        [null, '不批准逮捕', '证据不足', 2, 5, 0.4],
        [null, '不批准逮捕', '不构成犯罪', 1, 5, 0.2],
        [null, '不起诉', '存疑不起诉', 1, 2, 0.5],
        [null, '不起诉', '酌定不起诉', 1, 2, 0.5],
      ]);
    });
  });

  it('groups by district within the scope, and a window ending the day before D05 leaves it out', async () => {
    await withDatabase(async (db) => {
      await load(db);
      expect(pick(await rowsOf(db, 'decision-reasons', { group_by: 'district' }, ['110108']), COLS)).toEqual([
        ['110108', '不批准逮捕', '无社会危险性', 1, 1, 1],
        ['110108', '不起诉', '酌定不起诉', 1, 1, 1],
      ]);
      const early = await rowsOf(db, 'decision-reasons', { to: '2024-12-30' }, ['110105']);
      // 朝阳 without D05: D01 证据不足, D03 无社会危险性, D04 不构成犯罪 → 1 each of 3
      expect(pick(early, COLS).filter((r) => r[1] === '不批准逮捕')).toEqual([
        [null, '不批准逮捕', '不构成犯罪', 1, 3, 1 / 3],
        [null, '不批准逮捕', '无社会危险性', 1, 3, 1 / 3],
        [null, '不批准逮捕', '证据不足', 1, 3, 1 / 3],
      ]);
    });
  });
});
