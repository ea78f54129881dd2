import type { ComposeContext } from './module.ts';
import { addMonths, comparisonWindows } from './briefing-windows.ts';
import type { Period } from './period.ts';

/**
 * The breakdowns a joint-meeting deck shows beside the pack's totals (京检发〔2022〕169号 第22条: filing and 不捕/不诉
 * trends, districts side by side, Art. 9 review grades and top issues, inspection progress, Art. 6 findings). Rows
 * have the pack's columns plus `dimension` (month, district, grade, issue, campaign) and `key`; every figure is the
 * figure of the module named in `basis`, run for the same window and scope. Asked for with `detail=true` — when a
 * meeting freezes its figures, so the deck it reopens later is the deck it was shown.
 */
export interface DetailRow {
  section: string;
  metric: string;
  label: string;
  unit: string;
  dimension: string;
  key: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  yoy_value: number | null;
  basis: string;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function packDetail(
  ctx: ComposeContext,
  p: Period,
  to: string,
  districts: readonly string[],
  cityLevel: boolean,
): Promise<DetailRow[]> {
  const window = { from: p.from, to };
  // the same days a year earlier by the windows' month arithmetic (2024-02-29 → 2023-02-28, never 2023-02-29)
  const lastYear = comparisonWindows({ from: p.from, to }).yoy;
  const rows: DetailRow[] = [];
  const push = (r: Omit<DetailRow, 'numerator' | 'denominator' | 'yoy_value'> & Partial<DetailRow>) =>
    rows.push({ numerator: null, denominator: null, yoy_value: null, ...r });

  // 刑事立案 by month, each month against the same month a year earlier
  const filings = await ctx.run('case-filings', { ...window, group_by: 'month' }, districts);
  const filingsBefore = await ctx.run('case-filings', { ...lastYear, group_by: 'month' }, districts);
  const before = new Map(
    filingsBefore.map((r) => [addMonths(`${String(r.month)}-01`, 12).slice(0, 7), num(r.filed)]),
  );
  for (const r of filings)
    push({
      section: '刑事立案',
      metric: 'filings',
      label: '立案数',
      unit: '件',
      dimension: 'month',
      key: String(r.month),
      value: num(r.filed),
      yoy_value: before.get(String(r.month)) ?? 0,
      basis: 'case-filings',
    });

  // 不捕率 and 不诉率 by month (decision-rates gives each month its own 同比)
  const rates = await ctx.run('decision-rates', { ...window, group_by: 'month' }, districts);
  for (const r of rates) {
    push({
      section: '审查逮捕',
      metric: 'non_arrest_rate',
      label: '不捕率',
      unit: '率',
      dimension: 'month',
      key: String(r.month),
      value: num(r.non_arrest_rate),
      numerator: num(r.non_arrest),
      denominator: num(r.arrest_decided),
      yoy_value: num(r.non_arrest_rate_yoy),
      basis: 'decision-rates',
    });
    push({
      section: '审查起诉',
      metric: 'non_prosecution_rate',
      label: '不诉率',
      unit: '率',
      dimension: 'month',
      key: String(r.month),
      value: num(r.non_prosecution_rate),
      numerator: num(r.non_prosecution),
      denominator: num(r.prosecution_decided),
      yoy_value: num(r.non_prosecution_rate_yoy),
      basis: 'decision-rates',
    });
  }

  if (cityLevel) {
    // districts side by side: filings, 不捕率, 挂案 at the window's end, supervision adoption
    for (const r of await ctx.run('case-filings', { ...window, group_by: 'district' }, districts))
      push({
        section: '刑事立案',
        metric: 'filings',
        label: '立案数',
        unit: '件',
        dimension: 'district',
        key: String(r.district_code),
        value: num(r.filed),
        basis: 'case-filings',
      });
    for (const r of await ctx.run('decision-rates', { ...window, group_by: 'district' }, districts))
      push({
        section: '审查逮捕',
        metric: 'non_arrest_rate',
        label: '不捕率',
        unit: '率',
        dimension: 'district',
        key: String(r.district_code),
        value: num(r.non_arrest_rate),
        numerator: num(r.non_arrest),
        denominator: num(r.arrest_decided),
        yoy_value: num(r.non_arrest_rate_yoy),
        basis: 'decision-rates',
      });
    const pending = await ctx.run('pending-cases', { as_of: to }, districts);
    const byDistrict = new Map<string, number>();
    for (const r of pending)
      byDistrict.set(String(r.district_code), (byDistrict.get(String(r.district_code)) ?? 0) + 1);
    for (const [k, v] of [...byDistrict].sort())
      push({
        section: '挂案',
        metric: 'pending',
        label: '挂案数（期末）',
        unit: '件',
        dimension: 'district',
        key: k,
        value: v,
        basis: 'pending-cases',
      });
    for (const r of await ctx.run('supervision-ledger', { ...window, group_by: 'district' }, districts))
      push({
        section: '侦查监督',
        metric: 'adoption_rate',
        label: '采纳率',
        unit: '率',
        dimension: 'district',
        key: String(r.district_code),
        value: num(r.adoption_rate),
        numerator: num(r.adopted),
        denominator: num(r.replied),
        basis: 'supervision-ledger',
      });
  }

  // Art. 6: supervision sent at the wrong level, by finding
  const levels = await ctx.run('supervision-levels', window, districts);
  const findings = new Map<string, number>();
  for (const r of levels) findings.set(String(r.finding), (findings.get(String(r.finding)) ?? 0) + 1);
  for (const [k, v] of [...findings].sort())
    push({
      section: '侦查监督',
      metric: 'level_findings',
      label: '监督层级不当（第6条）',
      unit: '件',
      dimension: 'finding',
      key: k,
      value: v,
      basis: 'supervision-levels',
    });

  // Art. 9: reviews recorded in the window — grades and the most frequent issues
  const grades = (
    await ctx.run('review-results', { ...window, group_by: 'all', view: 'grades' }, districts)
  )[0];
  if (grades && num(grades.reviewed))
    for (const [key, col] of [
      ['优质', 'grade_excellent'],
      ['合格', 'grade_pass'],
      ['基本合格', 'grade_basic_pass'],
      ['不合格', 'grade_fail'],
    ] as const)
      push({
        section: '案件质量评查',
        metric: 'review_grades',
        label: '评查等次',
        unit: '件',
        dimension: 'grade',
        key,
        value: num(grades[col]),
        denominator: num(grades.reviewed),
        basis: 'review-results',
      });
  const issues = await ctx.run('review-results', { ...window, group_by: 'all', view: 'issues' }, districts);
  const byDimension = new Map<string, number>();
  for (const r of issues)
    byDimension.set(
      String(r.dimension),
      (byDimension.get(String(r.dimension)) ?? 0) + Number(r.findings ?? 0),
    );
  for (const [k, v] of [...byDimension].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5))
    push({
      section: '案件质量评查',
      metric: 'review_issues',
      label: '主要问题',
      unit: '件',
      dimension: 'issue',
      key: k,
      value: v,
      basis: 'review-results',
    });

  // special inspections: how far each has got, as of the window's end
  for (const r of await ctx.run('inspection-results', { as_of: to, group_by: 'campaign' }, districts))
    push({
      section: '专项检查',
      metric: 'inspection_checked',
      label: '已检查比例',
      unit: '率',
      dimension: 'campaign',
      key: String(r.name),
      value: num(r.checked_share),
      numerator: num(r.checked),
      denominator: num(r.matched),
      basis: 'inspection-results',
    });
  return rows;
}
