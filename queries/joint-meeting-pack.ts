import { z } from 'zod';
import { UserError } from '../src/db/errors.ts';
import type { ComposeContext, QueryModule } from './module.ts';
import { comparisonWindows, type Window } from './briefing-windows.ts';
import { packDetail } from './joint-meeting-pack-detail.ts';
import { asOf as asOfParam, bool, district } from './params.ts';
import { parsePeriod, periodParam, type Period } from './period.ts';

interface Figure {
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const sum = (rows: Record<string, unknown>[], col: string) =>
  rows.reduce((s, r) => s + Number(r[col] ?? 0), 0);
const rate = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** The period's figures as of its last day, or as of the data-as-of date while the period is still running. */
const endOf = (p: Period, asOfDate: string) => (p.to < asOfDate ? p.to : asOfDate);

/** decision-rates' figures of one window: its own columns, or its 同比 (_yoy) or 环比 (_pop) ones. */
const RATE_COLUMNS = [
  'non_arrest_rate',
  'non_arrest',
  'arrest_decided',
  'non_prosecution_rate',
  'non_prosecution',
  'prosecution_decided',
  'return_rate',
  'returned',
];
const ratesOf = (row: Record<string, unknown>, suffix: '' | '_yoy' | '_pop') =>
  Object.fromEntries(RATE_COLUMNS.map((k) => [k, row[`${k}${suffix}`]]));

/**
 * The pack's figures over one window [from, to] (the period, or its 同比 / 环比 window). The rates come from the one
 * decision-rates run of the period, which counts its 同比 and 环比 windows by the same arithmetic as
 * comparisonWindows (queries/briefing-windows.ts) — a second and third run would count the same rows again.
 */
async function figures(
  ctx: ComposeContext,
  window: Window,
  districts: readonly string[],
  r: Record<string, unknown>,
) {
  // one after another: a DuckDB connection runs one query at a time
  const filings = await ctx.run('case-filings', { ...window, group_by: 'all' }, districts);
  const pending = await ctx.run('pending-cases', { as_of: window.to }, districts);
  const clearance = await ctx.run(
    'pending-clearance',
    { from: window.from, to: window.to, as_of: window.to },
    districts,
  );
  const ledger = await ctx.run('supervision-ledger', { ...window, group_by: 'total' }, districts);
  const overdue = await ctx.run('supervision-overdue', { as_of: window.to }, districts);
  const flagged = sum(clearance, 'flagged');
  const resolved = sum(clearance, 'resolved');
  const replied = sum(ledger, 'replied');
  const adopted = sum(ledger, 'adopted');
  return {
    filings: { value: sum(filings, 'filed') },
    non_arrest_rate: {
      value: num(r.non_arrest_rate),
      numerator: num(r.non_arrest),
      denominator: num(r.arrest_decided),
    },
    non_prosecution_rate: {
      value: num(r.non_prosecution_rate),
      numerator: num(r.non_prosecution),
      denominator: num(r.prosecution_decided),
    },
    return_rate: {
      value: num(r.return_rate),
      numerator: num(r.returned),
      denominator: num(r.prosecution_decided),
    },
    pending: { value: pending.length },
    pending_severe: { value: pending.filter((x) => x.tier === '严重挂案').length },
    pending_clearance: { value: rate(resolved, flagged), numerator: resolved, denominator: flagged },
    supervision_issued: { value: sum(ledger, 'issued') },
    adoption_rate: { value: rate(adopted, replied), numerator: adopted, denominator: replied },
    supervision_overdue: { value: overdue.length },
  } satisfies Record<string, Figure>;
}

const METRICS: {
  key: keyof Awaited<ReturnType<typeof figures>>;
  section: string;
  label: string;
  unit: string;
  basis: string;
}[] = [
  { key: 'filings', section: '刑事立案', label: '立案数', unit: '件', basis: 'case-filings' },
  {
    key: 'non_arrest_rate',
    section: '审查逮捕',
    label: '不捕率',
    unit: '率',
    basis: 'decision-rates（rules.md §5）',
  },
  {
    key: 'non_prosecution_rate',
    section: '审查起诉',
    label: '不诉率',
    unit: '率',
    basis: 'decision-rates（rules.md §5）',
  },
  {
    key: 'return_rate',
    section: '审查起诉',
    label: '退查率',
    unit: '率',
    basis: 'decision-rates（rules.md §5）',
  },
  {
    key: 'pending',
    section: '挂案',
    label: '挂案数（期末）',
    unit: '件',
    basis: 'pending-cases（京检发〔2022〕169号 第5条）',
  },
  {
    key: 'pending_severe',
    section: '挂案',
    label: '其中严重挂案',
    unit: '件',
    basis: 'pending-cases（超过期限365日）',
  },
  {
    key: 'pending_clearance',
    section: '挂案',
    label: '期初挂案清理率',
    unit: '率',
    basis: 'pending-clearance（M-40b）',
  },
  {
    key: 'supervision_issued',
    section: '侦查监督',
    label: '发出监督意见',
    unit: '件',
    basis: 'supervision-ledger（第7–8条）',
  },
  {
    key: 'adoption_rate',
    section: '侦查监督',
    label: '采纳率',
    unit: '率',
    basis: 'supervision-ledger（第7–8条）',
  },
  {
    key: 'supervision_overdue',
    section: '侦查监督',
    label: '逾期未回复或逾期回复（期末）',
    unit: '件',
    basis: 'supervision-overdue（rules.md §3）',
  },
];

/**
 * 联席会议 pack (京检发〔2022〕169号 第22条): the figures a joint meeting is shown for a period, level and district,
 * each with 同比 (the same period a year earlier) and 环比 (the previous period), taken from the modules it names.
 */
export const jointMeetingPack: QueryModule = {
  name: 'joint-meeting-pack',
  title: '联席会议数据',
  sql: '',
  params: z
    .strictObject({
      as_of: asOfParam,
      period: periodParam,
      /** the breakdowns the deck shows (trends, districts, review grades, inspections): a meeting freezes with them */
      detail: bool('detail（含分解数据）').default(false),
      level: z.enum(['市级', '区级'], { error: 'level（层级）应为 市级 或 区级' }).default('市级'),
      district,
    })
    .refine((p) => p.level === '市级' || p.district, {
      error: '区级联席会议须指定 district（区划代码）',
      path: ['district'],
    }),
  columns: [
    { name: 'section', label: '板块', type: 'VARCHAR' },
    { name: 'metric', label: '指标', type: 'VARCHAR' },
    { name: 'label', label: '名称', type: 'VARCHAR' },
    { name: 'unit', label: '单位', type: 'VARCHAR' },
    { name: 'period', label: '期间', type: 'VARCHAR' },
    { name: 'value', label: '本期', type: 'DOUBLE' },
    { name: 'numerator', label: '分子', type: 'DOUBLE' },
    { name: 'denominator', label: '分母', type: 'DOUBLE' },
    { name: 'yoy_value', label: '同期', type: 'DOUBLE' },
    { name: 'pop_value', label: '上期', type: 'DOUBLE' },
    { name: 'yoy_change', label: '同比变化', type: 'DOUBLE' },
    { name: 'pop_change', label: '环比变化', type: 'DOUBLE' },
    { name: 'basis', label: '来源', type: 'VARCHAR' },
    { name: 'dimension', label: '分解维度', type: 'VARCHAR' },
    { name: 'key', label: '分解项', type: 'VARCHAR' },
  ],
  scopeColumn: 'district_code',
  caseLevel: false,
  basis: '京检发〔2022〕169号 第22条（联席会议通报执法司法数据和协作配合情况）',
  thresholds: [],
  compose: async (ctx) => {
    const p = parsePeriod(ctx.params.period as string)!;
    const asOfDate = ctx.params.as_of as string;
    if (p.from > asOfDate) {
      throw new UserError(
        `期间 ${p.label} 晚于数据截止日期 ${asOfDate}。`,
        `Period after the data-as-of date.`,
        2,
      );
    }
    const districts = ctx.params.level === '区级' ? [ctx.params.district as string] : ctx.districts;
    // a running period counts to the data-as-of date and is compared with the same days (rules.md §5)
    const window = { from: p.from, to: endOf(p, asOfDate) };
    const w = comparisonWindows(window);
    const [rates = {}] = await ctx.run('decision-rates', { ...window, group_by: 'all' }, districts);
    const cur = await figures(ctx, window, districts, ratesOf(rates, ''));
    const yoy = await figures(ctx, w.yoy, districts, ratesOf(rates, '_yoy'));
    // a whole year's 环比 is the previous year, the same window as its 同比: counted once
    const samePop = w.pop.from === w.yoy.from && w.pop.to === w.yoy.to;
    const pop = samePop ? yoy : await figures(ctx, w.pop, districts, ratesOf(rates, '_pop'));
    const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
    const totals = METRICS.map((m) => {
      const c: Figure = cur[m.key];
      return {
        section: m.section,
        metric: m.key,
        label: m.label,
        unit: m.unit,
        period: p.label,
        value: c.value,
        numerator: c.numerator ?? null,
        denominator: c.denominator ?? null,
        yoy_value: yoy[m.key].value,
        pop_value: pop[m.key].value,
        yoy_change: diff(c.value, yoy[m.key].value),
        pop_change: diff(c.value, pop[m.key].value),
        basis: m.basis,
        dimension: 'total',
        key: null,
      };
    });
    if (!ctx.params.detail) return totals;
    const detail = await packDetail(ctx, p, window.to, districts, ctx.params.level !== '区级');
    return [
      ...totals,
      ...detail.map((d) => ({
        ...d,
        period: p.label,
        pop_value: null,
        yoy_change: diff(d.value, d.yoy_value),
        pop_change: null,
      })),
    ];
  },
};
