import { describe, expect, it } from 'vitest';
import {
  CJK_FONTS,
  barChart,
  formatChange,
  formatValue,
  lineChart,
  pivot,
} from '../../src/lib/charts/options.ts';

describe('chart option builders', () => {
  it('pivots rows into categories and series, keeping gaps as null', () => {
    const rows = [
      { district_code: '110105', filed: 12, rate: 0.25 },
      { district_code: '110108', filed: 7, rate: null },
      { district_code: '110105', filed: 99 },
    ];
    const p = pivot(rows, 'district_code', [
      { column: 'filed', name: '立案数' },
      { column: 'rate', name: '不捕率' },
    ]);
    // the first row of a category wins; a missing value is a gap, not a zero
    expect(p).toEqual({
      keys: ['110105', '110108'],
      categories: ['110105', '110108'],
      series: [
        { name: '立案数', values: [12, 7] },
        { name: '不捕率', values: [0.25, null] },
      ],
    });
  });

  it('draws rates as percentages with one decimal, with the CJK font stack and aria on', () => {
    const o = barChart({
      title: '不捕率',
      categories: ['朝阳区', '海淀区'],
      series: [{ name: '不捕率', values: [0.5091, null] }],
      unit: '率',
      percent: true,
    });
    expect(o.series[0]!.data).toEqual([50.9, null]);
    expect(o.yAxis.name).toBe('%');
    expect(o.textStyle.fontFamily).toBe(CJK_FONTS);
    expect(o.aria.enabled).toBe(true);
    expect(o.legend).toBeUndefined();
    const l = lineChart({
      title: '',
      categories: ['2025-01'],
      series: [
        { name: 'a', values: [3] },
        { name: 'b', values: [4] },
      ],
      unit: '件',
    });
    expect(l.series.map((s) => s.connectNulls)).toEqual([false, false]);
    expect(l.legend).toBeDefined();
  });

  it('states changes in words: percentage points for rates, percent for counts', () => {
    // 0.509 - 0.519 = -0.010 → 下降 1.0 个百分点
    expect(formatChange(0.509, 0.519, true)).toBe('下降 1.0 个百分点');
    // (1475 - 1525) / 1525 = -3.28 % → 下降 3.3%
    expect(formatChange(1475, 1525, false)).toBe('下降 3.3%');
    expect(formatChange(125, 91, false)).toBe('增长 37.4%');
    expect(formatChange(4, 0, false)).toBe('对比期为 0');
    expect(formatChange(0, 0, false)).toBe('持平');
    expect(formatChange(null, 3, false)).toBe('无可比数据');
    expect(formatValue(0.2834, '率')).toBe('28.3%');
    expect(formatValue(1475, '件')).toBe('1,475 件');
    expect(formatValue(null, '件')).toBe('—');
  });
});
