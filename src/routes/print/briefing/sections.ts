import type { BriefingRow } from '../../../../queries/briefing.ts';
import { barChart, formatChange, formatValue } from '../../../lib/charts/options.ts';

/**
 * The printed 情况通报 as data: each of the five sections of 第24条 with its charts and tables, built from the
 * `briefing` module's rows only (the PDF shows the module's figures, nothing recomputed). Pure, so it is tested
 * without a browser (test/briefings/sections.test.ts).
 */
export interface Cell {
  text: string;
  num: boolean;
}
export interface Table {
  caption: string;
  head: string[];
  rows: Cell[][];
}
export interface Chart {
  label: string;
  option: Record<string, unknown>;
}
export interface SectionView {
  title: string;
  charts: Chart[];
  tables: Table[];
  /** said instead of a table when the section has no rows */
  empty?: string;
}

export type Row = Pick<
  BriefingRow,
  | 'section'
  | 'metric'
  | 'label'
  | 'unit'
  | 'district_code'
  | 'chapter_no'
  | 'chapter'
  | 'charge'
  | 'month'
  | 'rank'
  | 'value'
  | 'yoy_value'
  | 'pop_value'
>;

const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
export const chapterShort = (no: number | null) => (no === null ? '未归类' : `第${CN[no] ?? no}章`);

const text = (t: string): Cell => ({ text: t, num: false });
const num = (t: string): Cell => ({ text: t, num: true });
const count = (v: number | null) => num(v === null ? '—' : v.toLocaleString('zh-CN'));
const value = (r: Row) => num(formatValue(r.value, r.unit === '率' ? '率' : ''));
const before = (v: number | null, r: Row) => num(formatValue(v, r.unit === '率' ? '率' : ''));
const change = (r: Row, prev: number | null) => num(formatChange(r.value, prev, r.unit === '率'));

// printed charts are drawn once, without animation, so 'finished' (data-drawn) comes at once
const still = (o: Record<string, unknown>) => ({ ...o, animation: false });

const COMPARED_HEAD = ['本期', '上年同期', '同比', '上期', '环比'];
const compared = (r: Row): Cell[] => [
  value(r),
  before(r.yoy_value, r),
  change(r, r.yoy_value),
  before(r.pop_value, r),
  change(r, r.pop_value),
];

/** Sums a count over rows grouped by two keys, keeping first-seen order of both. */
function crossSum(rows: readonly Row[], rowKey: (r: Row) => string, colKey: (r: Row) => string) {
  const cells = new Map<string, number>();
  const rowKeys: string[] = [];
  const colKeys: string[] = [];
  for (const r of rows) {
    const a = rowKey(r);
    const b = colKey(r);
    if (!rowKeys.includes(a)) rowKeys.push(a);
    if (!colKeys.includes(b)) colKeys.push(b);
    cells.set(`${a}\u0000${b}`, (cells.get(`${a}\u0000${b}`) ?? 0) + (r.value ?? 0));
  }
  const at = (a: string, b: string) => cells.get(`${a}\u0000${b}`) ?? 0;
  return { rowKeys, colKeys, at };
}

/** 犯罪形势: filings by 刑法分则 chapter × month (all districts in the briefing), and × district at 市级. */
function crimeSituation(rows: readonly Row[], districtName: (c: string) => string): SectionView {
  const title = '一、犯罪形势';
  if (rows.length === 0) return { title, charts: [], tables: [], empty: '本期无立案数据。' };
  const byChapter = [...rows].sort((a, b) => (a.chapter_no ?? 99) - (b.chapter_no ?? 99));
  const chapterOf = (r: Row) => chapterShort(r.chapter_no);
  const fullName = new Map(byChapter.map((r) => [chapterOf(r), `${chapterOf(r)} ${r.chapter ?? ''}`.trim()]));
  const months = [...new Set(rows.map((r) => r.month ?? ''))].sort();
  const cm = crossSum(byChapter, chapterOf, (r) => r.month ?? '');
  const monthTable: Table = {
    caption: '表1 各章罪名立案数（按月）',
    head: ['刑法分则章', ...months.map((m) => `${Number(m.slice(5))}月`), '合计'],
    rows: [
      ...cm.rowKeys.map((c) => [
        text(fullName.get(c)!),
        ...months.map((m) => count(cm.at(c, m))),
        count(months.reduce((s, m) => s + cm.at(c, m), 0)),
      ]),
      [
        text('合计'),
        ...months.map((m) => count(cm.rowKeys.reduce((s, c) => s + cm.at(c, m), 0))),
        count(rows.reduce((s, r) => s + (r.value ?? 0), 0)),
      ],
    ],
  };
  const trend = barChart({
    title: '各章罪名立案数（按月）',
    categories: months.map((m) => `${Number(m.slice(5))}月`),
    series: cm.rowKeys.map((c) => ({ name: c, values: months.map((m) => cm.at(c, m)) })),
    unit: '件',
  });
  const stacked = { ...trend, series: trend.series.map((s) => ({ ...s, stack: 'filings' })) };
  const tables = [monthTable];
  const districts = [...new Set(rows.map((r) => r.district_code ?? ''))].sort();
  if (districts.length > 1) {
    const dc = crossSum(
      [...rows].sort((a, b) => (a.district_code ?? '').localeCompare(b.district_code ?? '')),
      (r) => r.district_code ?? '',
      chapterOf,
    );
    const chapters = cm.rowKeys;
    tables.push({
      caption: '表2 各区各章罪名立案数',
      head: ['区', ...chapters, '合计'],
      rows: dc.rowKeys.map((d) => [
        text(districtName(d)),
        ...chapters.map((c) => count(dc.at(d, c))),
        count(chapters.reduce((s, c) => s + dc.at(d, c), 0)),
      ]),
    });
  }
  return { title, charts: [{ label: '各章罪名立案数（按月）', option: still(stacked) }], tables };
}

/** Bars of 本期 against 上年同期 (and 上期) for a list of figures. */
function comparedBars(title: string, rows: readonly Row[], names: string[], withPop = true) {
  const percent = rows.every((r) => r.unit === '率');
  return still(
    barChart({
      title,
      categories: names,
      series: [
        { name: '本期', values: rows.map((r) => r.value) },
        { name: '上年同期', values: rows.map((r) => r.yoy_value) },
        ...(withPop ? [{ name: '上期', values: rows.map((r) => r.pop_value) }] : []),
      ],
      unit: rows[0]?.unit === '人' ? '人' : '件',
      percent,
    }),
  );
}

const headline = (r: Row) => r.district_code === null && r.charge === null && r.month === null;

function figureTable(caption: string, rows: readonly Row[], first = '指标', name = (r: Row) => r.label) {
  return { caption, head: [first, ...COMPARED_HEAD], rows: rows.map((r) => [text(name(r)), ...compared(r)]) };
}

function filings(rows: readonly Row[], districtName: (c: string) => string): SectionView {
  const totals = rows.filter(headline);
  const byDistrict = rows.filter((r) => r.district_code !== null);
  const charts: Chart[] = [];
  const tables: Table[] = [figureTable('表3 刑事立案', totals)];
  if (byDistrict.length > 0) {
    charts.push({
      label: '各区刑事立案数',
      option: comparedBars(
        '各区刑事立案数',
        byDistrict,
        byDistrict.map((r) => districtName(r.district_code!)),
        false,
      ),
    });
    tables.push(figureTable('表4 各区刑事立案', byDistrict, '区', (r) => districtName(r.district_code!)));
  } else {
    charts.push({
      label: '刑事立案',
      option: comparedBars(
        '刑事立案',
        totals,
        totals.map((r) => r.label),
      ),
    });
  }
  return { title: '二、刑事立案', charts, tables };
}

function measures(rows: readonly Row[]): SectionView {
  const kinds = rows.filter((r) => r.metric !== 'measure_total' && r.metric !== 'measure_persons');
  return {
    title: '三、强制措施适用',
    charts: [
      {
        label: '强制措施适用人数',
        option: comparedBars(
          '各类强制措施适用人数',
          kinds,
          kinds.map((r) => r.label),
        ),
      },
    ],
    tables: [figureTable('表5 强制措施适用', rows, '强制措施')],
  };
}

function classCases(rows: readonly Row[]): SectionView {
  const filed = rows.filter((r) => r.metric === 'charge_filings');
  const rate = (r: Row) => rows.find((x) => x.metric === 'charge_non_arrest_rate' && x.rank === r.rank);
  if (filed.length === 0)
    return { title: '四、类案', charts: [], tables: [], empty: '本期无立案数据，无类案统计。' };
  return {
    title: '四、类案',
    charts: [
      {
        label: '立案数居前的罪名',
        option: comparedBars(
          '立案数居前的罪名',
          filed,
          filed.map((r) => r.charge ?? ''),
          false,
        ),
      },
    ],
    tables: [
      {
        caption: '表6 立案数居前的罪名',
        head: ['排名', '罪名', '立案数', '上年同期', '同比', '环比', '不捕率', '不捕率同比'],
        rows: filed.map((r) => {
          const nr = rate(r);
          return [
            num(String(r.rank)),
            text(r.charge ?? ''),
            value(r),
            before(r.yoy_value, r),
            change(r, r.yoy_value),
            change(r, r.pop_value),
            nr ? value(nr) : num('—'),
            nr ? change(nr, nr.yoy_value) : num('—'),
          ];
        }),
      },
    ],
  };
}

function supervision(rows: readonly Row[]): SectionView {
  const rates = rows.filter((r) => r.unit === '率');
  return {
    title: '五、侦查监督',
    charts: [
      {
        label: '采纳率、不捕率、不诉率',
        option: comparedBars(
          '采纳率、不捕率、不诉率',
          rates,
          rates.map((r) => r.label),
        ),
      },
    ],
    tables: [figureTable('表7 侦查监督', rows)],
  };
}

/** The five sections in the order of 第24条; rows of a section the module did not return give an empty one. */
export function briefingSections(
  rows: readonly Row[],
  districtName: (code: string) => string,
): SectionView[] {
  const of = (s: Row['section']) => rows.filter((r) => r.section === s);
  return [
    crimeSituation(of('犯罪形势'), districtName),
    filings(of('刑事立案'), districtName),
    measures(of('强制措施适用')),
    classCases(of('类案')),
    supervision(of('侦查监督')),
  ];
}
