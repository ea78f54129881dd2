/**
 * ECharts option builders: pure functions from rows to options, unit-tested without a browser. Every chart gets
 * the CJK font stack (canvas text does not inherit CSS fonts) and an aria description for screen readers.
 */
export const CJK_FONTS =
  '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

export interface Series {
  name: string;
  values: (number | null)[];
}

export interface CategoryChart {
  title: string;
  categories: string[];
  series: Series[];
  /** the value axis' unit, e.g. 件 or % */
  unit: string;
  /** values are fractions shown as percentages */
  percent?: boolean;
}

const base = (title: string) => ({
  textStyle: { fontFamily: CJK_FONTS },
  title: {
    text: title,
    left: 'left',
    textStyle: { fontFamily: CJK_FONTS, fontSize: 15, fontWeight: 'bold' as const },
  },
  aria: { enabled: true },
  // 300 ms instead of ECharts' 1 s: the figures are what the reader waits for, and the overview is drawn — data
  // fetched and every chart finished — within its 1.5 s budget (docs/benchmarks.md)
  animationDuration: 300,
  animationDurationUpdate: 300,
  tooltip: { trigger: 'axis' as const },
  grid: { left: 48, right: 16, top: 56, bottom: 32, containLabel: true },
});

const scaled = (v: number | null, percent?: boolean) =>
  v === null ? null : percent ? Math.round(v * 1000) / 10 : v;

/** Bars per category (district, unit, charge); clicking a bar is a drill-down, so every bar carries its category. */
export function barChart(c: CategoryChart) {
  return {
    ...base(c.title),
    legend: c.series.length > 1 ? { top: 26, textStyle: { fontFamily: CJK_FONTS } } : undefined,
    xAxis: {
      type: 'category' as const,
      data: c.categories,
      axisLabel: { interval: 0, rotate: c.categories.length > 8 ? 30 : 0 },
    },
    yAxis: { type: 'value' as const, name: c.percent ? '%' : c.unit },
    series: c.series.map((s) => ({
      name: s.name,
      type: 'bar' as const,
      data: s.values.map((v) => scaled(v, c.percent)),
    })),
  };
}

/** Lines over months (趋势); a gap stays a gap rather than a drop to zero. */
export function lineChart(c: CategoryChart) {
  return {
    ...base(c.title),
    legend: c.series.length > 1 ? { top: 26, textStyle: { fontFamily: CJK_FONTS } } : undefined,
    xAxis: { type: 'category' as const, data: c.categories, boundaryGap: false },
    yAxis: { type: 'value' as const, name: c.percent ? '%' : c.unit },
    series: c.series.map((s) => ({
      name: s.name,
      type: 'line' as const,
      connectNulls: false,
      data: s.values.map((v) => scaled(v, c.percent)),
    })),
  };
}

/**
 * Rows → categories and one series per value column, in the rows' order of first appearance; categories missing
 * for a series become null (not 0: "no data" is not "none").
 */
export function pivot(
  rows: readonly Record<string, unknown>[],
  category: string,
  values: readonly { column: string; name: string }[],
  label: (key: string) => string = (k) => k,
): { categories: string[]; keys: string[]; series: Series[] } {
  const keys: string[] = [];
  const byKey = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const k = String(r[category] ?? '');
    if (!byKey.has(k)) {
      keys.push(k);
      byKey.set(k, r);
    }
  }
  return {
    keys,
    categories: keys.map(label),
    series: values.map((v) => ({
      name: v.name,
      values: keys.map((k) => {
        const x = byKey.get(k)![v.column];
        return typeof x === 'number' ? x : null;
      }),
    })),
  };
}

/** 3.2 个百分点 for rates, 12.5% for counts; the sign is a word so it reads aloud and prints in black and white. */
export function formatChange(value: number | null, previous: number | null, isRate: boolean): string {
  if (value === null || previous === null) return '无可比数据';
  if (isRate) {
    const points = Math.round((value - previous) * 1000) / 10;
    return points === 0 ? '持平' : `${points > 0 ? '上升' : '下降'} ${Math.abs(points).toFixed(1)} 个百分点`;
  }
  if (previous === 0) return value === 0 ? '持平' : '对比期为 0';
  const pct = Math.round(((value - previous) / previous) * 1000) / 10;
  return pct === 0 ? '持平' : `${pct > 0 ? '增长' : '下降'} ${Math.abs(pct).toFixed(1)}%`;
}

/** 率 values are fractions (0.125 → 12.5%); counts get their unit (件). */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  if (unit === '率') return `${(value * 100).toFixed(1)}%`;
  return `${value.toLocaleString('zh-CN')}${unit ? ` ${unit}` : ''}`;
}
