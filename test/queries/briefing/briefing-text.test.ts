import { describe, expect, it } from 'vitest';
import type { BriefingRow } from '../../../queries/briefing.ts';
import { briefingHighlights } from '../../../queries/briefing-text.ts';

type Row = Parameters<typeof briefingHighlights>[0][number];
const row = (r: Partial<BriefingRow> & Pick<BriefingRow, 'section' | 'metric' | 'label' | 'unit'>): Row => ({
  district_code: null,
  chapter: null,
  charge: null,
  month: null,
  rank: null,
  value: null,
  yoy_value: null,
  pop_value: null,
  ...r,
});
const filings = (value: number | null, yoy: number | null, pop: number | null) =>
  row({
    section: '刑事立案',
    metric: 'filings',
    label: '刑事立案',
    unit: '件',
    value,
    yoy_value: yoy,
    pop_value: pop,
  });
const rate = (value: number | null, yoy: number | null, pop: number | null) =>
  row({
    section: '侦查监督',
    metric: 'non_arrest_rate',
    label: '不捕率',
    unit: '率',
    value,
    yoy_value: yoy,
    pop_value: pop,
  });

describe('briefingHighlights', () => {
  it('states a count change in per cent of the earlier figure', () => {
    // (1400 − 1600) / 1600 = −12.5 %; (1400 − 1359) / 1359 = 3.0169… % → 3.0 %
    expect(briefingHighlights([filings(1400, 1600, 1359)])).toEqual([
      '刑事立案1400件，同比下降12.5%，环比上升3.0%。',
    ]);
  });

  it('states a rate change in 个百分点', () => {
    // 0.254 − 0.222 = 0.032 → 3.2 个百分点; 0.254 − 0.2541 rounds to 0.0: 基本持平
    expect(briefingHighlights([rate(0.254, 0.222, 0.2541)])).toEqual([
      '不捕率25.4%，同比上升3.2个百分点，环比基本持平。',
    ]);
    expect(briefingHighlights([rate(0.1, 0.15, 0.1)])).toEqual([
      '不捕率10.0%，同比下降5.0个百分点，环比持平。',
    ]);
  });

  it('says so when there is nothing to compare with, and never invents a percentage from 0', () => {
    expect(briefingHighlights([filings(5, null, 0)])).toEqual(['刑事立案5件，上年同期无数据，上期为0。']);
    // a rate with no denominator this period is no figure at all
    expect(briefingHighlights([rate(null, 0.3, null)])).toEqual(['不捕率本期无数据。']);
    expect(briefingHighlights([rate(0, null, 0)])).toEqual(['不捕率0.0%，上年同期无数据，环比持平。']);
  });

  it('keeps to the headline figures, names the top charge, and skips figures that are empty in every window', () => {
    const rows = [
      row({
        section: '犯罪形势',
        metric: 'filings_by_chapter',
        label: '立案数',
        unit: '件',
        value: 3,
        month: '2025-01',
      }),
      filings(4, 2, 2),
      row({
        section: '刑事立案',
        metric: 'filings',
        label: '刑事立案',
        unit: '件',
        value: 3,
        district_code: '110105',
      }),
      row({
        section: '强制措施适用',
        metric: 'measure_summons',
        label: '拘传',
        unit: '人',
        value: 0,
        yoy_value: 0,
        pop_value: 0,
      }),
      row({
        section: '强制措施适用',
        metric: 'measure_bail',
        label: '取保候审',
        unit: '人',
        value: 2,
        yoy_value: 1,
        pop_value: 0,
      }),
      row({
        section: '类案',
        metric: 'charge_filings',
        label: '立案数',
        unit: '件',
        value: 2,
        yoy_value: 1,
        pop_value: 1,
        charge: '盗窃罪',
        rank: 1,
      }),
      row({
        section: '类案',
        metric: 'charge_filings',
        label: '立案数',
        unit: '件',
        value: 1,
        charge: '诈骗罪',
        rank: 2,
      }),
    ];
    expect(briefingHighlights(rows)).toEqual([
      '刑事立案4件，同比上升100.0%，环比上升100.0%。',
      '取保候审2人，同比上升100.0%，上期为0。',
      '类案：盗窃罪立案最多，2件，同比上升100.0%，环比上升100.0%。',
    ]);
  });
});
