import { barChart, formatChange, formatValue, lineChart } from '../charts/options.ts';

/**
 * The joint-meeting deck (京检发〔2022〕169号 第22条) as data: slides built from the joint-meeting pack's rows (live
 * or frozen with a meeting), so the deck shows exactly the pack's figures. Pure: unit-tested without a browser.
 */
export interface PackRow {
  section: string;
  metric: string;
  label: string;
  unit: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  yoy_value: number | null;
  pop_value: number | null;
  /** total (absent in older packs), or a breakdown: month, district, grade, campaign */
  dimension?: string | null;
  key?: string | null;
  basis: string;
}

export interface Figure {
  label: string;
  value: string;
  detail?: string;
  yoy: string;
  pop: string;
}

export interface MeetingAction {
  text: string;
  owner: string | null;
  due_on: string | null;
  closed_on: string | null;
}

export type Slide =
  | { kind: 'title'; title: string; subtitle: string; note: string }
  | { kind: 'figures'; title: string; figures: Figure[]; basis: string[] }
  | { kind: 'chart'; title: string; option: Record<string, unknown>; basis: string[] }
  | { kind: 'actions'; title: string; actions: MeetingAction[]; empty: string };

const SECTION_ORDER = ['刑事立案', '审查逮捕', '审查起诉', '挂案', '侦查监督', '案件质量评查', '专项检查'];

function figure(r: PackRow): Figure {
  const isRate = r.unit === '率';
  return {
    label: r.label,
    value: formatValue(r.value, r.unit),
    detail: isRate && r.denominator !== null ? `${r.numerator ?? 0} / ${r.denominator}` : undefined,
    yoy: `同比 ${formatChange(r.value, r.yoy_value, isRate)}`,
    pop: `环比 ${formatChange(r.value, r.pop_value, isRate)}`,
  };
}

const isTotal = (r: PackRow) => !r.dimension || r.dimension === 'total';
const sectionRank = (s: string) => {
  const i = SECTION_ORDER.indexOf(s);
  return i < 0 ? SECTION_ORDER.length : i;
};

export interface DeckInput {
  rows: PackRow[];
  title: string;
  asOf: string;
  marking: string;
  /** district code → name, for district breakdowns */
  districtName: (code: string) => string;
  /** 会议议定事项 agreed at this meeting; open ones from earlier meetings */
  actions?: MeetingAction[];
  carried?: MeetingAction[];
  frozenAt?: string;
}

export function buildSlides(d: DeckInput): Slide[] {
  const slides: Slide[] = [];
  const period = d.rows[0]?.period ?? '';
  slides.push({
    kind: 'title',
    title: d.title,
    subtitle: `${period} · 数据截至 ${d.asOf}${d.frozenAt ? ` · 已于 ${d.frozenAt} 固定` : ''}`,
    note: d.marking,
  });
  const totals = d.rows.filter(isTotal);
  slides.push({
    kind: 'figures',
    title: '关键数据',
    figures: totals.slice(0, 8).map(figure),
    basis: [],
  });
  const sections = [...new Set(totals.map((r) => r.section))].sort((a, b) => sectionRank(a) - sectionRank(b));
  for (const section of sections) {
    const rows = totals.filter((r) => r.section === section);
    slides.push({
      kind: 'figures',
      title: section,
      figures: rows.map(figure),
      basis: [...new Set(rows.map((r) => r.basis))],
    });
    // the section's breakdowns, one chart each: months as a trend, anything else as bars
    const breakdowns = d.rows.filter((r) => r.section === section && !isTotal(r));
    const groups = new Map<string, PackRow[]>();
    for (const r of breakdowns) {
      const k = `${r.metric}|${r.dimension}`;
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    for (const rows of groups.values()) {
      const first = rows[0]!;
      const percent = first.unit === '率';
      const categories = rows.map((r) =>
        first.dimension === 'district' ? d.districtName(r.key ?? '') : (r.key ?? ''),
      );
      const spec = {
        title: '',
        categories,
        unit: first.unit,
        percent,
        series: [
          { name: '本期', values: rows.map((r) => r.value) },
          ...(rows.some((r) => r.yoy_value !== null)
            ? [{ name: '上年同期', values: rows.map((r) => r.yoy_value) }]
            : []),
        ],
      };
      const by =
        (
          {
            month: '按月',
            district: '按区',
            grade: '按等次',
            campaign: '按检查',
            issue: '按问题类别',
            finding: '按情形',
          } as Record<string, string>
        )[first.dimension ?? ''] ?? '';
      slides.push({
        kind: 'chart',
        title: `${section} · ${first.label}${by ? `（${by}）` : ''}`,
        option: projector(first.dimension === 'month' ? lineChart(spec) : barChart(spec)),
        basis: [first.basis],
      });
    }
  }
  if (d.carried)
    slides.push({
      kind: 'actions',
      title: '上次会议议定事项落实情况',
      actions: d.carried,
      empty: '没有未办结的议定事项。',
    });
  slides.push({
    kind: 'actions',
    title: '会议议定事项',
    actions: d.actions ?? [],
    empty: '本次会议的议定事项在会议记录中填写后显示于此。',
  });
  return slides;
}

/** Type a projector can carry across a meeting room: the dashboard's chart options with larger text and lines. */
export function projector<T extends Record<string, unknown>>(option: T): T {
  const o = option as Record<string, Record<string, unknown> | undefined>;
  const axis = (a: Record<string, unknown> | undefined) =>
    a && {
      ...a,
      nameTextStyle: { fontSize: 20 },
      axisLabel: { ...(a.axisLabel as object | undefined), fontSize: 20 },
    };
  return {
    ...option,
    textStyle: { ...o.textStyle, fontSize: 20 },
    legend: o.legend && { ...o.legend, textStyle: { ...(o.legend.textStyle as object), fontSize: 22 } },
    xAxis: axis(o.xAxis),
    yAxis: axis(o.yAxis),
    grid: { left: 80, right: 40, top: 80, bottom: 60, containLabel: true },
    series: (option.series as Record<string, unknown>[]).map((x) =>
      x.type === 'line' ? { ...x, lineStyle: { width: 4 }, symbolSize: 10 } : { ...x, barMaxWidth: 80 },
    ),
  };
}
