import { describe, expect, it } from 'vitest';
import { buildSlides, type PackRow } from '../../src/lib/deck/slides.ts';

const row = (over: Partial<PackRow>): PackRow => ({
  section: '刑事立案',
  metric: 'filings',
  label: '立案数',
  unit: '件',
  period: '2025年第四季度',
  value: 0,
  numerator: null,
  denominator: null,
  yoy_value: null,
  pop_value: null,
  basis: 'case-filings',
  ...over,
});

describe('deck slides from the joint-meeting pack', () => {
  it('opens with a title, then key figures, a slide per section in meeting order, breakdown charts and actions', () => {
    const rows = [
      row({
        section: '侦查监督',
        metric: 'adoption_rate',
        label: '采纳率',
        unit: '率',
        value: 0.95,
        numerator: 113,
        denominator: 119,
        yoy_value: 1,
        pop_value: 0.9,
        basis: 'supervision-ledger',
      }),
      row({ value: 1475, yoy_value: 1525, pop_value: 1400 }),
      row({ dimension: 'month', key: '2025-10', value: 500, yoy_value: 510 }),
      row({ dimension: 'month', key: '2025-11', value: 480, yoy_value: 505 }),
    ];
    const slides = buildSlides({
      rows,
      title: '北京市侦查监督与协作配合市级联席会议',
      asOf: '2025-12-31',
      marking: '内部资料 注意保密',
      districtName: (c) => c,
      actions: [{ text: '清理严重挂案', owner: '公安 法制支队', due_on: '2026-03-31', closed_on: null }],
    });
    expect(slides.map((s) => [s.kind, s.title])).toEqual([
      ['title', '北京市侦查监督与协作配合市级联席会议'],
      ['figures', '关键数据'],
      ['figures', '刑事立案'],
      ['chart', '刑事立案 · 立案数（按月）'],
      ['figures', '侦查监督'],
      ['actions', '会议议定事项'],
    ]);
    const key = slides[1]!;
    if (key.kind !== 'figures') throw new Error('expected figures');
    // 1475 vs 1525: (1475 - 1525) / 1525 = -3.28 % → 下降 3.3%; 0.95 vs 1.00 → 下降 5.0 个百分点
    expect(key.figures).toEqual([
      {
        label: '采纳率',
        value: '95.0%',
        detail: '113 / 119',
        yoy: '同比 下降 5.0 个百分点',
        pop: '环比 上升 5.0 个百分点',
      },
      { label: '立案数', value: '1,475 件', detail: undefined, yoy: '同比 下降 3.3%', pop: '环比 增长 5.4%' },
    ]);
    const chart = slides[3]!;
    if (chart.kind !== 'chart') throw new Error('expected chart');
    const option = chart.option as { xAxis: { data: string[] }; series: { name: string; data: number[] }[] };
    expect(option.xAxis.data).toEqual(['2025-10', '2025-11']);
    expect(option.series.map((x) => [x.name, x.data])).toEqual([
      ['本期', [500, 480]],
      ['上年同期', [510, 505]],
    ]);
    expect(slides[0]).toMatchObject({
      subtitle: '2025年第四季度 · 数据截至 2025-12-31',
      note: '内部资料 注意保密',
    });
  });
});
