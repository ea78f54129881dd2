import { describe, expect, it } from 'vitest';
import { withDatabase } from '../../helpers/db.ts';
import { loadFixture, pick, rowsOf } from './load.ts';

const M = 'supervision-levels';
const COLS = ['record_id', 'severity', 'form', 'finding', 'expected_form', 'repeats'] as const;

describe('supervision-levels (rules.md §4), worked by hand at as_of 2024-12-31', () => {
  it('finds 不当降格, 不当升格 and 不应当监督而监督, one row per record and finding', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'levels', '2024-12-31');
      const rows = await rowsOf(db, M);
      expect(pick(rows, COLS)).toEqual([
        ['V2', '较重', '口头纠正', '不当降格', '纠正违法通知书', null],
        // 刑讯逼供 is serious by nature: 口头纠正 is too low even when recorded as 较轻
        ['V3', '较轻', '口头纠正', '不当降格', '纠正违法通知书', null],
        // both below its severity and serious by nature: still one row
        ['V4', '较重', '口头纠正', '不当降格', '纠正违法通知书', null],
        ['V5', '普遍性', '纠正违法通知书', '不当降格', '检察建议', null],
        ['V6', '涉嫌犯罪', '检察建议', '不当降格', '移送追究刑事责任', null],
        ['V7', '较轻', '纠正违法通知书', '不当升格', '口头纠正', 0],
        ['V10', '较重', '检察建议', '不当升格', '纠正违法通知书', 0],
        ['V19', '较重', '口头纠正', '不当降格', '纠正违法通知书', null],
        // window [2024-06-02 − 365 = 2023-06-03, 2024-06-02): R4 only — R3 (2023-06-02) is one day too early,
        // R5 (the same day) is not earlier, R6 is another district's unit of the same name: 1 < 2
        ['V9', '较轻', '纠正违法通知书', '不当升格', '口头纠正', 1],
        ['V13', '较重', '纠正违法通知书', '不应当监督而监督', null, null],
        ['V14', '普遍性', '检察建议', '不应当监督而监督', null, null],
        ['V16', '较轻', '纠正违法通知书', '不应当监督而监督', null, null],
        ['V16', '较轻', '纠正违法通知书', '不当升格', '口头纠正', 0],
      ]);
      // not listed: V1, V12 at their level; V8 above its level but R1 (2024-05-31 − 365 = 2023-06-01, 2024 being a
      // leap year) and R2 are two earlier same-issue records of the unit; V11 通知立案 is not a ladder form; V15's
      // objection was upheld (维持); V17's 撤销 is decided after as_of; V18 is issued after as_of
      expect(rows.find((r) => r.record_id === 'V13')!.basis).toContain('第554条');
      expect(rows.find((r) => r.record_id === 'V14')!.basis).toContain('检察建议工作规定');
      expect(rows.find((r) => r.record_id === 'V3')!.basis).toContain('刑讯逼供不适用口头纠正');
      expect(rows.find((r) => r.record_id === 'V13')!.objection_result).toBe('撤销');
    });
  });

  it('a later as_of adds the objection decided after it and the record issued after it', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'levels', '2024-12-31');
      const rows = await rowsOf(db, M, { as_of: '2025-01-31' });
      expect(pick(rows, COLS).slice(-2)).toEqual([
        ['V17', '较重', '通知撤案', '不应当监督而监督', null, null],
        ['V18', '较重', '口头纠正', '不当降格', '纠正违法通知书', null],
      ]);
      expect(rows.find((r) => r.record_id === 'V17')!.basis).toContain('第565条');
    });
  });

  it('follows the repeat thresholds', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'levels', '2024-12-31');
      await db.conn.run("UPDATE thresholds SET value = 364 WHERE key = 'levels.repeat_window_days'");
      // V8: [2024-05-31 − 364 = 2023-06-02, 2024-05-31) drops R1: 1 earlier record, not a repeat any more
      const narrow = await rowsOf(db, M);
      expect(pick(narrow, COLS).find((r) => r[0] === 'V8')).toEqual([
        'V8',
        '较轻',
        '纠正违法通知书',
        '不当升格',
        '口头纠正',
        1,
      ]);
      await db.conn.run("UPDATE thresholds SET value = 365 WHERE key = 'levels.repeat_window_days'");
      await db.conn.run("UPDATE thresholds SET value = 1 WHERE key = 'levels.repeat_min'");
      // one earlier record is enough now: V9 (1) is excused as well as V8 (2)
      const lenient = await rowsOf(db, M);
      expect(lenient.filter((r) => r.finding === '不当升格').map((r) => r.record_id)).toEqual([
        'V7',
        'V10',
        'V16',
      ]);
    });
  });

  it('takes a window by issued_on', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'levels', '2024-12-31');
      const rows = await rowsOf(db, M, { from: '2024-08-01', to: '2024-08-31' });
      expect(pick(rows, ['record_id', 'finding'])).toEqual([
        ['V13', '不应当监督而监督'],
        ['V14', '不应当监督而监督'],
        ['V16', '不应当监督而监督'],
        ['V16', '不当升格'],
      ]);
      await expect(rowsOf(db, M, { from: '2024-09-01', to: '2024-08-01' })).rejects.toThrow(/不能晚于/);
    });
  });

  it('binds the caller scope: another district list removes rows, an empty list gives none', async () => {
    await withDatabase(async (db) => {
      await loadFixture(db, 'levels', '2024-12-31');
      expect((await rowsOf(db, M, {}, ['110108'])).map((r) => r.record_id)).toEqual(['V19']);
      expect((await rowsOf(db, M, {}, ['110105'])).map((r) => r.record_id)).not.toContain('V19');
      expect(await rowsOf(db, M, {}, [])).toEqual([]);
    });
  });
});
