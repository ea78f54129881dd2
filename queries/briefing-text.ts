import type { BriefingRow } from './briefing.ts';

type Row = Pick<
  BriefingRow,
  | 'section'
  | 'metric'
  | 'label'
  | 'unit'
  | 'district_code'
  | 'chapter'
  | 'charge'
  | 'month'
  | 'rank'
  | 'value'
  | 'yoy_value'
  | 'pop_value'
>;

const one = (x: number) => (Math.round(x * 10) / 10).toFixed(1);

/** 本期 as users read it: 1400件 / 12.5%. */
function valueText(r: Row): string {
  if (r.value === null) return '本期无数据';
  return r.unit === '率' ? `${one(r.value * 100)}%` : `${r.value}${r.unit}`;
}

/**
 * One comparison in words. A rate moves in 个百分点; a count in per cent of the earlier figure — and only when there is
 * one: no earlier figure is 无数据, an earlier 0 gives no percentage (it would be infinite), never a made-up one.
 */
function compare(r: Row, before: number | null, name: '同比' | '环比'): string {
  const earlier = name === '同比' ? '上年同期' : '上期';
  if (r.value === null) return '';
  if (before === null) return `${earlier}无数据`;
  if (r.value === before) return `${name}持平`;
  const up = r.value > before;
  if (r.unit === '率') {
    const pts = one(Math.abs(r.value - before) * 100);
    return pts === '0.0' ? `${name}基本持平` : `${name}${up ? '上升' : '下降'}${pts}个百分点`;
  }
  if (before === 0) return `${earlier}为0`;
  const pct = one((Math.abs(r.value - before) / before) * 100);
  return pct === '0.0' ? `${name}基本持平` : `${name}${up ? '上升' : '下降'}${pct}%`;
}

const headline = (r: Row) =>
  r.section !== '犯罪形势' &&
  r.district_code === null &&
  r.chapter === null &&
  r.charge === null &&
  r.month === null;

// nothing happened in any of the three windows: not worth a sentence (a rate of 0 % is news, a count of 0 is not)
const silent = (r: Row) =>
  r.unit === '率'
    ? r.value === null && r.yoy_value === null && r.pop_value === null
    : !r.value && !r.yoy_value && !r.pop_value;

/**
 * The main changes of a briefing as short Chinese sentences (情况通报 text): one per headline figure of 刑事立案,
 * 强制措施适用 and 侦查监督 (the rows without a district, chapter, charge or month), in the briefing's order, and one
 * for the charge with most filings (类案). E.g. "刑事立案1400件，同比下降12.5%，环比上升3.0%。".
 */
export function briefingHighlights(rows: readonly Row[]): string[] {
  const out: string[] = [];
  const sentence = (subject: string, r: Row) => {
    const parts = [valueText(r), compare(r, r.yoy_value, '同比'), compare(r, r.pop_value, '环比')].filter(
      Boolean,
    );
    out.push(`${subject}${parts.join('，')}。`);
  };
  for (const r of rows) {
    if (r.section === '类案' && r.metric === 'charge_filings' && r.rank === 1 && !silent(r)) {
      sentence(`类案：${r.charge}立案最多，`, r);
    } else if (headline(r) && !silent(r)) {
      sentence(r.label, r);
    }
  }
  return out;
}
