import { z } from 'zod';
import { UserError } from '../src/db/errors.ts';
import type { ComposeContext, QueryModule } from './module.ts';
import { MEASURE_KINDS } from './measure-use.ts';
import { asOf, district } from './params.ts';
import { comparisonWindows, monthsOf, type Window } from './briefing-windows.ts';
import { parsePeriod, periodParam } from './period.ts';

/** One line of the briefing: a figure of one section, with its dimensions and comparisons (docs/modules/meetings.md). */
export interface BriefingRow {
  section: Section;
  metric: string;
  label: string;
  unit: '件' | '人' | '率';
  district_code: string | null;
  chapter_no: number | null;
  chapter: string | null;
  charge: string | null;
  month: string | null;
  rank: number | null;
  period: string;
  period_from: string;
  period_to: string;
  yoy_from: string | null;
  yoy_to: string | null;
  pop_from: string | null;
  pop_to: string | null;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  yoy_value: number | null;
  pop_value: number | null;
  yoy_change: number | null;
  pop_change: number | null;
  yoy_growth: number | null;
  pop_growth: number | null;
  basis: string;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const sum = (rows: Record<string, unknown>[], col: string) =>
  rows.reduce((s, r) => s + Number(r[col] ?? 0), 0);
const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);
const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
// growth of a count: NULL when there is nothing to grow from (上年同期为0 or 无数据), never a made-up percentage
const growth = (a: number | null, b: number | null) =>
  a === null || b === null || b === 0 ? null : (a - b) / b;

/** The five topics of 第24条, in the order the briefing shows them. */
type Section = '犯罪形势' | '刑事立案' | '强制措施适用' | '类案' | '侦查监督';

interface Figure {
  section: Section;
  metric: string;
  label: string;
  unit: BriefingRow['unit'];
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  /** null for a figure without comparison (a 犯罪形势 cell) */
  yoy: number | null;
  pop: number | null;
  basis: string;
  dims?: Partial<Pick<BriefingRow, 'district_code' | 'chapter_no' | 'chapter' | 'charge' | 'month' | 'rank'>>;
  /** the figure's own window when it is not the briefing's (a month of 犯罪形势); then it has no comparison */
  window?: Window;
}

/** What every section needs: the windows, the scope and a runner of other modules in it. */
interface Briefing {
  cur: Window;
  yoy: Window;
  pop: Window;
  districts: string[];
  level: '市级' | '区级';
  top: number;
  run(
    name: string,
    params: Record<string, unknown>,
    districts?: readonly string[],
  ): Promise<Record<string, unknown>[]>;
}

// 犯罪形势: filings by 刑法分则 chapter × district × month; case-filings groups by one dimension, so each district and
// month is a run of its own
async function crimeSituation(b: Briefing): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const d of [...b.districts].sort()) {
    for (const m of monthsOf(b.cur)) {
      for (const c of await b.run('case-filings', { from: m.from, to: m.to, group_by: 'chapter' }, [d])) {
        out.push({
          section: '犯罪形势',
          metric: 'filings_by_chapter',
          label: '立案数',
          unit: '件',
          value: num(c.filed),
          yoy: null,
          pop: null,
          basis: 'case-filings（group_by=chapter）',
          dims: {
            district_code: d,
            chapter_no: num(c.chapter_no),
            chapter: (c.chapter as string) ?? null,
            month: m.month,
          },
          window: m,
        });
      }
    }
  }
  return out;
}

/** fn over the briefing's window, its 同比 and its 环比 window, one after another (one query at a time per connection) */
async function eachWindow<T>(b: Briefing, fn: (w: Window) => Promise<T>): Promise<[T, T, T]> {
  return [await fn(b.cur), await fn(b.yoy), await fn(b.pop)];
}

const filingsIn = (b: Briefing, group_by: string) =>
  eachWindow(b, (w) => b.run('case-filings', { ...w, group_by }));

// 刑事立案: the totals, and at 市级 each district's
async function filings(b: Briefing): Promise<Figure[]> {
  const [cur, yoy, pop] = await filingsIn(b, 'all');
  const out: Figure[] = (
    [
      ['filings', '刑事立案', 'filed'],
      ['filings_enterprise', '涉企案件立案', 'enterprise_related'],
      ['filings_major', '重大疑难复杂案件立案', 'major_case'],
    ] as const
  ).map(([metric, label, col]) => ({
    section: '刑事立案',
    metric,
    label,
    unit: '件',
    value: sum(cur, col),
    yoy: sum(yoy, col),
    pop: sum(pop, col),
    basis: 'case-filings',
  }));
  if (b.level === '市级') {
    const windows = await filingsIn(b, 'district');
    const [dc, dy, dp] = windows.map(
      (rs) => (code: string) =>
        sum(
          rs.filter((r) => r.district_code === code),
          'filed',
        ),
    );
    const codes = [...new Set(windows.flat().map((r) => r.district_code as string))].sort();
    for (const code of codes) {
      out.push({
        section: '刑事立案',
        metric: 'filings',
        label: '刑事立案',
        unit: '件',
        value: dc!(code),
        yoy: dy!(code),
        pop: dp!(code),
        basis: 'case-filings（group_by=district）',
        dims: { district_code: code },
      });
    }
  }
  return out;
}

// 强制措施适用: measure-use over the briefing's window; its own 同比 / 环比 columns follow the same rule
async function measures(b: Briefing): Promise<Figure[]> {
  const [mu = {}] = await b.run('measure-use', { ...b.cur, group_by: 'all' });
  const kinds = [
    ...MEASURE_KINDS,
    { name: 'total', label: '强制措施合计（人次）' },
    { name: 'persons', label: '适用强制措施人数' },
  ];
  return kinds.map((k) => ({
    section: '强制措施适用',
    metric: `measure_${k.name}`,
    label: k.label,
    unit: '人',
    value: num(mu[k.name]) ?? 0,
    yoy: num(mu[`${k.name}_yoy`]) ?? 0,
    pop: num(mu[`${k.name}_pop`]) ?? 0,
    basis: 'measure-use',
  }));
}

// 类案: the charges with most filings (ties by name), each with its 不捕率
async function classCases(b: Briefing): Promise<Figure[]> {
  const [cur, yoy, pop] = await filingsIn(b, 'charge');
  const filed = (rs: Record<string, unknown>[], charge: string) =>
    num(rs.find((r) => r.charge === charge)?.filed) ?? 0;
  const ranked = [...cur]
    .sort(
      (x, y) => Number(y.filed) - Number(x.filed) || ((x.charge as string) < (y.charge as string) ? -1 : 1),
    )
    .slice(0, b.top);
  const rates = await b.run('decision-rates', { ...b.cur, group_by: 'charge' });
  return ranked.flatMap((r, i): Figure[] => {
    const charge = r.charge as string;
    const dims = { charge, rank: i + 1 };
    const dr = rates.find((x) => x.charge === charge) ?? {};
    return [
      {
        section: '类案',
        metric: 'charge_filings',
        label: '立案数',
        unit: '件',
        value: num(r.filed),
        yoy: filed(yoy, charge),
        pop: filed(pop, charge),
        basis: 'case-filings（group_by=charge）',
        dims,
      },
      {
        section: '类案',
        metric: 'charge_non_arrest_rate',
        label: '不捕率',
        unit: '率',
        value: num(dr.non_arrest_rate),
        numerator: num(dr.non_arrest),
        denominator: num(dr.arrest_decided),
        yoy: num(dr.non_arrest_rate_yoy),
        pop: num(dr.non_arrest_rate_pop),
        basis: 'decision-rates（group_by=charge）',
        dims,
      },
    ];
  });
}

// 侦查监督: the figures of the joint-meeting pack, over the briefing's windows; overdue replies at each window's end
async function supervision(b: Briefing): Promise<Figure[]> {
  const [lc, ly, lp] = await eachWindow(b, (w) => b.run('supervision-ledger', { ...w, group_by: 'total' }));
  const adoption = (rs: Record<string, unknown>[]) => ratio(sum(rs, 'adopted'), sum(rs, 'replied'));
  const [oc, oy, op] = await eachWindow(
    b,
    async (w) => (await b.run('supervision-overdue', { as_of: w.to })).length,
  );
  const [dr = {}] = await b.run('decision-rates', { ...b.cur, group_by: 'all' });
  const rate = (metric: string, label: string, n: string, d: string): Figure => ({
    section: '侦查监督',
    metric,
    label,
    unit: '率',
    value: num(dr[metric]),
    numerator: num(dr[n]),
    denominator: num(dr[d]),
    yoy: num(dr[`${metric}_yoy`]),
    pop: num(dr[`${metric}_pop`]),
    basis: 'decision-rates（rules.md §5）',
  });
  return [
    {
      section: '侦查监督',
      metric: 'supervision_issued',
      label: '发出监督意见',
      unit: '件',
      value: sum(lc, 'issued'),
      yoy: sum(ly, 'issued'),
      pop: sum(lp, 'issued'),
      basis: 'supervision-ledger（第7–8条）',
    },
    {
      section: '侦查监督',
      metric: 'adoption_rate',
      label: '采纳率',
      unit: '率',
      value: adoption(lc),
      numerator: sum(lc, 'adopted'),
      denominator: sum(lc, 'replied'),
      yoy: adoption(ly),
      pop: adoption(lp),
      basis: 'supervision-ledger（第7–8条）',
    },
    {
      section: '侦查监督',
      metric: 'supervision_overdue',
      label: '逾期未回复或逾期回复（期末）',
      unit: '件',
      value: oc,
      yoy: oy,
      pop: op,
      basis: 'supervision-overdue（rules.md §3）',
    },
    rate('non_arrest_rate', '不捕率', 'non_arrest', 'arrest_decided'),
    rate('non_prosecution_rate', '不诉率', 'non_prosecution', 'prosecution_decided'),
  ];
}

/**
 * 情况通报 (京检发〔2022〕169号 第24条): the figures the two agencies exchange for a period, in five sections, each taken
 * from the module it names and compared over the same windows.
 */
async function compose(ctx: ComposeContext): Promise<BriefingRow[]> {
  const p = parsePeriod(ctx.params.period as string)!;
  const asOfDate = ctx.params.as_of as string;
  if (p.from > asOfDate) {
    throw new UserError(
      `期间 ${p.label} 晚于数据截止日期 ${asOfDate}。`,
      'Period after the data-as-of date.',
      2,
    );
  }
  const level = ctx.params.level as Briefing['level'];
  const districts = level === '区级' ? [ctx.params.district as string] : [...ctx.districts];
  const cur: Window = { from: p.from, to: p.to < asOfDate ? p.to : asOfDate };
  const { yoy, pop } = comparisonWindows(cur);
  const b: Briefing = {
    cur,
    yoy,
    pop,
    districts,
    level,
    top: Number(ctx.params.top),
    run: (name, params, scope = districts) => ctx.run(name, { as_of: asOfDate, ...params }, scope),
  };
  const figures: Figure[] = [];
  for (const section of [crimeSituation, filings, measures, classCases, supervision])
    figures.push(...(await section(b)));
  return figures.map((f) => {
    const compared = !f.window;
    const w = f.window ?? cur;
    return {
      section: f.section,
      metric: f.metric,
      label: f.label,
      unit: f.unit,
      district_code: f.dims?.district_code ?? null,
      chapter_no: f.dims?.chapter_no ?? null,
      chapter: f.dims?.chapter ?? null,
      charge: f.dims?.charge ?? null,
      month: f.dims?.month ?? null,
      rank: f.dims?.rank ?? null,
      period: p.label,
      period_from: w.from,
      period_to: w.to,
      yoy_from: compared ? yoy.from : null,
      yoy_to: compared ? yoy.to : null,
      pop_from: compared ? pop.from : null,
      pop_to: compared ? pop.to : null,
      value: f.value,
      numerator: f.numerator ?? null,
      denominator: f.denominator ?? null,
      yoy_value: f.yoy,
      pop_value: f.pop,
      yoy_change: diff(f.value, f.yoy),
      pop_change: diff(f.value, f.pop),
      yoy_growth: f.unit === '率' ? null : growth(f.value, f.yoy),
      pop_growth: f.unit === '率' ? null : growth(f.value, f.pop),
      basis: f.basis,
    };
  });
}

const COLUMNS: { name: keyof BriefingRow; label: string; type: string }[] = [
  { name: 'section', label: '板块', type: 'VARCHAR' },
  { name: 'metric', label: '指标', type: 'VARCHAR' },
  { name: 'label', label: '名称', type: 'VARCHAR' },
  { name: 'unit', label: '单位', type: 'VARCHAR' },
  { name: 'district_code', label: '区划', type: 'VARCHAR' },
  { name: 'chapter_no', label: '刑法分则章', type: 'INTEGER' },
  { name: 'chapter', label: '章名', type: 'VARCHAR' },
  { name: 'charge', label: '罪名', type: 'VARCHAR' },
  { name: 'month', label: '月份', type: 'VARCHAR' },
  { name: 'rank', label: '排名', type: 'INTEGER' },
  { name: 'period', label: '期间', type: 'VARCHAR' },
  { name: 'period_from', label: '统计起始', type: 'DATE' },
  { name: 'period_to', label: '统计截止', type: 'DATE' },
  { name: 'yoy_from', label: '同比起始', type: 'DATE' },
  { name: 'yoy_to', label: '同比截止', type: 'DATE' },
  { name: 'pop_from', label: '环比起始', type: 'DATE' },
  { name: 'pop_to', label: '环比截止', type: 'DATE' },
  { name: 'value', label: '本期', type: 'DOUBLE' },
  { name: 'numerator', label: '分子', type: 'DOUBLE' },
  { name: 'denominator', label: '分母', type: 'DOUBLE' },
  { name: 'yoy_value', label: '同期', type: 'DOUBLE' },
  { name: 'pop_value', label: '上期', type: 'DOUBLE' },
  { name: 'yoy_change', label: '同比变化', type: 'DOUBLE' },
  { name: 'pop_change', label: '环比变化', type: 'DOUBLE' },
  { name: 'yoy_growth', label: '同比增幅', type: 'DOUBLE' },
  { name: 'pop_growth', label: '环比增幅', type: 'DOUBLE' },
  { name: 'basis', label: '来源', type: 'VARCHAR' },
];

export const briefing: QueryModule = {
  name: 'briefing',
  title: '情况通报',
  sql: '',
  params: z
    .strictObject({
      as_of: asOf,
      period: periodParam,
      level: z.enum(['市级', '区级'], { error: 'level（层级）应为 市级 或 区级' }).default('市级'),
      district,
      top: z.coerce
        .number({ error: 'top（类案罪名数）应为 1 到 50 的整数' })
        .int({ error: 'top（类案罪名数）应为 1 到 50 的整数' })
        .min(1, { error: 'top（类案罪名数）应为 1 到 50 的整数' })
        .max(50, { error: 'top（类案罪名数）应为 1 到 50 的整数' })
        .default(10),
    })
    .refine((p) => p.level === '市级' || p.district, {
      error: '区级情况通报须指定 district（区划代码）',
      path: ['district'],
    }),
  columns: COLUMNS,
  scopeColumn: 'district_code',
  caseLevel: false,
  basis:
    '京检发〔2022〕169号 第24条（互相通报犯罪形势、刑事立案、强制措施适用、类案办理、侦查监督情况）；domain-research M-55、M-56',
  thresholds: [],
  compose: async (ctx) => (await compose(ctx)) as unknown as Record<string, unknown>[],
};
