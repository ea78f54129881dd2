import { describe, expect, it } from 'vitest';
import type { BriefingRow } from '../../../queries/briefing.ts';
import { briefingHighlights } from '../../../queries/briefing-text.ts';
import { runModule } from '../../../queries/run.ts';
import { ALL_DISTRICTS } from '../../../queries/scope.ts';
import type { Database } from '../../../src/db/open.ts';
import { withDatabase } from '../../helpers/db.ts';
import { loadModuleFixture, pick } from '../../helpers/modules.ts';

const FIXTURE = 'test/fixtures/modules/briefing';
const COMPARE = [
  'value',
  'numerator',
  'denominator',
  'yoy_value',
  'pop_value',
  'yoy_change',
  'yoy_growth',
  'pop_growth',
];

const briefing = async (
  db: Database,
  params: Record<string, unknown>,
  districts: readonly string[] = ALL_DISTRICTS,
) => (await runModule(db.conn, 'briefing', params, { districts })).rows;
const section = (rows: Record<string, unknown>[], name: string) => rows.filter((r) => r.section === name);

describe('briefing (京检发〔2022〕169号 第24条), worked by hand for 2025Q1 against 2024Q1 (同比) and 2024Q4 (环比)', () => {
  it('犯罪形势: filings per 刑法分则 chapter × district × month, first and last day of the quarter included', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      const rows = section(await briefing(db, { period: '2025Q1' }), '犯罪形势');
      expect(
        pick(rows, [
          'district_code',
          'chapter_no',
          'month',
          'period_from',
          'period_to',
          'value',
          'yoy_value',
        ]),
      ).toEqual([
        ['110105', 5, '2025-01', '2025-01-01', '2025-01-31', 1, null], // C1 盗窃罪
        ['110105', 5, '2025-02', '2025-02-01', '2025-02-28', 1, null], // C2 盗窃罪
        ['110105', 5, '2025-03', '2025-03-01', '2025-03-31', 1, null], // C3 诈骗罪, filed 03-31
        ['110108', 4, '2025-01', '2025-01-01', '2025-01-31', 1, null], // C4 故意伤害罪, filed 01-01
      ]);
      expect(rows[3]).toMatchObject({
        chapter: '侵犯公民人身权利、民主权利罪',
        metric: 'filings_by_chapter',
      });
    });
  });

  it('刑事立案 and 强制措施适用 with 同比 and 环比', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      const rows = await briefing(db, { period: '2025Q1' });
      const filings = section(rows, '刑事立案');
      expect(pick(filings, ['metric', 'district_code', ...COMPARE])).toEqual([
        // C1–C4 against C5, C6 (2024-03-31) and C7 (2024-12-31), C8: (4 − 2) / 2 = +100 %
        ['filings', null, 4, null, null, 2, 2, 2, 1, 1],
        // C1 only; nothing to grow from: no percentage
        ['filings_enterprise', null, 1, null, null, 0, 0, 1, null, null],
        ['filings_major', null, 0, null, null, 0, 0, 0, null, null],
        // 朝阳 C1 C2 C3 / C6 / C7; 海淀 C4 / C5 / C8
        ['filings', '110105', 3, null, null, 1, 1, 2, 2, 2],
        ['filings', '110108', 1, null, null, 1, 1, 0, 0, 0],
      ]);
      expect(filings[0]).toMatchObject({
        period: '2025年第一季度',
        yoy_from: '2024-01-01',
        yoy_to: '2024-03-31',
        pop_from: '2024-10-01',
        pop_to: '2024-12-31',
      });
      // the measure-use figures (test/queries/measure-use): 8 人次 against 3 and 2
      const measures = section(rows, '强制措施适用');
      expect(pick(measures, ['label', 'value', 'yoy_value', 'pop_value', 'pop_growth'])).toEqual([
        ['拘传', 1, 0, 0, null],
        ['取保候审', 2, 1, 0, null],
        ['监视居住', 1, 0, 0, null],
        ['指定居所监视居住', 0, 0, 1, -1],
        ['刑事拘留', 2, 1, 1, 1],
        ['逮捕', 2, 1, 0, null],
        ['强制措施合计（人次）', 8, 3, 2, 3],
        ['适用强制措施人数', 6, 2, 2, 2],
      ]);
    });
  });

  it('类案: the top N charges by filings, ties by name, each with its 不捕率', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      const rows = section(await briefing(db, { period: '2025Q1', top: '2' }), '类案');
      expect(pick(rows, ['rank', 'charge', 'metric', ...COMPARE])).toEqual([
        // 盗窃罪 C1 C2 / C5 / C8
        [1, '盗窃罪', 'charge_filings', 2, null, null, 1, 1, 1, 1, 1],
        // D2 不批准逮捕, D1 批准逮捕: 1/2; 2024Q1 D4 批准逮捕: 0/1; no decision in 2024Q4
        [1, '盗窃罪', 'charge_non_arrest_rate', 0.5, 1, 2, 0, null, 0.5, null, null],
        // 故意伤害罪 (C4) and 诈骗罪 (C3) tie at 1: 故 (U+6545) sorts before 诈 (U+8BC8); 2024Q4: C7
        [2, '故意伤害罪', 'charge_filings', 1, null, null, 0, 1, 1, null, 0],
        // D3 不批准逮捕 (C4), D7 批准逮捕 (C7, decided 2025-01-05)
        [2, '故意伤害罪', 'charge_non_arrest_rate', 0.5, 1, 2, null, null, null, null, null],
      ]);
      expect(section(await briefing(db, { period: '2025Q1' }), '类案')).toHaveLength(6); // 3 charges × 2
    });
  });

  it('侦查监督: the joint-meeting pack figures over the same windows', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      const rows = section(await briefing(db, { period: '2025Q1' }), '侦查监督');
      expect(pick(rows, ['metric', ...COMPARE])).toEqual([
        // R1 R2 R3 / R4 / none
        ['supervision_issued', 3, null, null, 1, 0, 2, 2, null],
        // R1 已纠正, R2 提出异议: 1/2; R4 已纠正: 1/1; no reply in 2024Q4: NULL, never 0
        ['adoption_rate', 0.5, 1, 2, 1, null, -0.5, null, null],
        // R3 要求说明理由 of 03-20, due 03-27, unanswered at 03-31
        ['supervision_overdue', 1, null, null, 0, 0, 1, null, null],
        // D1 D7 批准, D2 D3 不批准: 2/4; 2024Q1 D4 批准: 0/1
        ['non_arrest_rate', 0.5, 2, 4, 0, null, 0.5, null, null],
        // D6 起诉: 0/1; 2024Q1 D5 不起诉: 1/1
        ['non_prosecution_rate', 0, 0, 1, 1, null, -1, null, null],
      ]);
    });
  });

  it('a 区级 briefing counts one district, needs the district, and never leaves the caller scope', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      const rows = await briefing(db, { period: '2025Q1', level: '区级', district: '110108' });
      // no per-district lines at 区级: the totals are the district's
      expect(
        pick(section(rows, '刑事立案'), ['metric', 'district_code', 'value', 'yoy_value', 'pop_value']),
      ).toEqual([
        ['filings', null, 1, 1, 1],
        ['filings_enterprise', null, 0, 0, 0],
        ['filings_major', null, 0, 0, 0],
      ]);
      expect(section(rows, '犯罪形势').map((r) => r.district_code)).toEqual(['110108']);
      await expect(briefing(db, { period: '2025Q1', level: '区级' })).rejects.toThrow(/district/);
      const outside = await briefing(db, { period: '2025Q1', level: '区级', district: '110108' }, ['110105']);
      expect(section(outside, '刑事立案')[0]).toMatchObject({ value: 0, yoy_value: 0 });
      expect(section(outside, '犯罪形势')).toEqual([]);
    });
  });

  it('a running month is compared with the same days (rules.md §5); a future period is refused', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      // as_of 2025-02-15: 2025-02-01 … 02-15 against 2024-02-01 … 02-15 and the 15 days before, 01-17 … 01-31
      const rows = await briefing(db, { period: '2025-02', as_of: '2025-02-15' });
      const filings = section(rows, '刑事立案')[0]!;
      expect(filings).toMatchObject({
        period_to: '2025-02-15',
        yoy_to: '2024-02-15',
        pop_from: '2025-01-17',
      });
      // C2 (02-15) against C5 (2024-02-01); nothing between 01-17 and 01-31
      expect(pick([filings], ['value', 'yoy_value', 'pop_value'])).toEqual([[1, 1, 0]]);
      // measure-use's own windows are the same: S1 逮捕 (02-05), S2 取保 (02-10) / S5 拘留 (2024-02-02) / none
      expect(pick(section(rows, '强制措施适用').slice(-2), ['value', 'yoy_value', 'pop_value'])).toEqual([
        [2, 1, 0],
        [2, 1, 0],
      ]);
      await expect(briefing(db, { period: '2025Q2' })).rejects.toThrow(/晚于数据截止日期/);
      await expect(briefing(db, { period: '2025Q1', top: '0' })).rejects.toThrow(/top/);
    });
  });

  it('reads as sentences (briefingHighlights)', async () => {
    await withDatabase(async (db) => {
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      const rows = (await briefing(db, { period: '2025Q1' })) as unknown as BriefingRow[];
      expect(briefingHighlights(rows)).toEqual([
        '刑事立案4件，同比上升100.0%，环比上升100.0%。',
        '涉企案件立案1件，上年同期为0，上期为0。',
        // 重大疑难复杂 is 0 in every window: no sentence
        '拘传1人，上年同期为0，上期为0。',
        '取保候审2人，同比上升100.0%，上期为0。',
        '监视居住1人，上年同期为0，上期为0。',
        '指定居所监视居住0人，同比持平，环比下降100.0%。',
        '刑事拘留2人，同比上升100.0%，环比上升100.0%。',
        '逮捕2人，同比上升100.0%，上期为0。',
        // (8 − 3) / 3 = 166.7 %, (8 − 2) / 2 = 300 %
        '强制措施合计（人次）8人，同比上升166.7%，环比上升300.0%。',
        '适用强制措施人数6人，同比上升200.0%，环比上升200.0%。',
        '类案：盗窃罪立案最多，2件，同比上升100.0%，环比上升100.0%。',
        '发出监督意见3件，同比上升200.0%，上期为0。',
        '采纳率50.0%，同比下降50.0个百分点，上期无数据。',
        '逾期未回复或逾期回复（期末）1件，上年同期为0，上期为0。',
        '不捕率50.0%，同比上升50.0个百分点，上期无数据。',
        '不诉率0.0%，同比下降100.0个百分点，上期无数据。',
      ]);
    });
  });
});
