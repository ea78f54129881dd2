import { describe, expect, it } from 'vitest';
import { briefingSections, type Row } from '../../src/routes/print/briefing/sections.ts';

const row = (r: Partial<Row>): Row => ({
  section: '刑事立案',
  metric: 'filings',
  label: '刑事立案',
  unit: '件',
  district_code: null,
  chapter_no: null,
  chapter: null,
  charge: null,
  month: null,
  rank: null,
  value: null,
  yoy_value: null,
  pop_value: null,
  ...r,
});
const crime = (district_code: string, chapter_no: number, chapter: string, month: string, value: number) =>
  row({
    section: '犯罪形势',
    metric: 'filings_by_chapter',
    district_code,
    chapter_no,
    chapter,
    month,
    value,
  });
const names: Record<string, string> = { '110105': '朝阳区', '110108': '海淀区' };
const cells = (t: { rows: { text: string }[][] }) => t.rows.map((r) => r.map((c) => c.text));

describe('the printed briefing’s sections (pure)', () => {
  it('犯罪形势: chapter × month and district × chapter tables sum the module’s cells', () => {
    const [s] = briefingSections(
      [
        crime('110105', 5, '侵犯财产罪', '2025-01', 2),
        crime('110105', 5, '侵犯财产罪', '2025-03', 1),
        crime('110108', 4, '侵犯公民人身权利、民主权利罪', '2025-01', 3),
        crime('110108', 5, '侵犯财产罪', '2025-01', 4),
      ],
      (c) => names[c] ?? c,
    );
    expect(s!.title).toBe('一、犯罪形势');
    expect(s!.tables[0]!.head).toEqual(['刑法分则章', '1月', '3月', '合计']);
    // 第五章: January 2 + 4 = 6, March 1, total 7; 第四章: 3; all: January 9, March 1, 10
    expect(cells(s!.tables[0]!)).toEqual([
      ['第四章 侵犯公民人身权利、民主权利罪', '3', '0', '3'],
      ['第五章 侵犯财产罪', '6', '1', '7'],
      ['合计', '9', '1', '10'],
    ]);
    expect(s!.tables[1]!.head).toEqual(['区', '第四章', '第五章', '合计']);
    expect(cells(s!.tables[1]!)).toEqual([
      ['朝阳区', '0', '3', '3'],
      ['海淀区', '3', '4', '7'],
    ]);
  });

  it('类案 pairs each charge with its 不捕率; rates print as percentages, changes in 个百分点', () => {
    const s = briefingSections(
      [
        row({
          section: '类案',
          metric: 'charge_filings',
          label: '立案数',
          charge: '盗窃罪',
          rank: 1,
          value: 4,
          yoy_value: 2,
          pop_value: 5,
        }),
        row({
          section: '类案',
          metric: 'charge_non_arrest_rate',
          label: '不捕率',
          unit: '率',
          charge: '盗窃罪',
          rank: 1,
          value: 0.25,
          yoy_value: 0.125,
        }),
      ],
      (c) => c,
    )[3]!;
    // 4 vs 2: +100.0%; 4 vs 5: −20.0%; 25.0% vs 12.5%: +12.5 个百分点
    expect(cells(s.tables[0]!)).toEqual([
      ['1', '盗窃罪', '4', '2', '增长 100.0%', '下降 20.0%', '25.0%', '上升 12.5 个百分点'],
    ]);
    expect(s.tables[0]!.rows[0]!.map((c) => c.num)).toEqual([
      true,
      false,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});
