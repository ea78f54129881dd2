import { z } from 'zod';
import { parsePeriod, type Period } from '../../queries/period.ts';

/**
 * Filters and drill state live in the URL as readable parameters (?district=110105&period=2025Q1), so a link shows
 * another user the same view. Each is validated: a bad value becomes a friendly message and the default; a district
 * outside the reader's scope is named as such, never shown.
 */
export interface PageState {
  period: Period;
  periodText: string;
  district?: string;
  police_unit?: string;
  problems: string[];
}

const districtCode = z.string().regex(/^1101\d{2}$/);
const unit = z.string().min(1).max(100);

export function readPageState(
  params: URLSearchParams,
  scope: readonly string[],
  dataAsOf: string | null,
): PageState {
  const problems: string[] = [];
  const defaultPeriod = (dataAsOf ?? new Date().toISOString()).slice(0, 4);
  let periodText = params.get('period') ?? defaultPeriod;
  let period = parsePeriod(periodText);
  if (!period) {
    problems.push(
      `链接中的期间「${periodText}」无效（应为 2025、2025Q1 或 2025-03），已改为 ${defaultPeriod} 年。`,
    );
    periodText = defaultPeriod;
    period = parsePeriod(defaultPeriod)!;
  }
  let district = params.get('district') ?? undefined;
  if (district !== undefined) {
    if (!districtCode.safeParse(district).success) {
      problems.push(`链接中的区划代码「${district}」无效，已显示您可查看的全部区。`);
      district = undefined;
    } else if (!scope.includes(district)) {
      problems.push(`链接中的区（${district}）不在您的查看范围内，已显示您可查看的区。`);
      district = undefined;
    }
  }
  let police_unit = params.get('police_unit') ?? undefined;
  if (police_unit !== undefined && !unit.safeParse(police_unit).success) {
    problems.push('链接中的办案单位无效，已忽略。');
    police_unit = undefined;
  }
  // a user of one district is always looking at that district
  if (district === undefined && scope.length === 1) district = scope[0];
  return { period, periodText, district, police_unit, problems };
}

/** The state's values for panel parameter templates: a running period ends at the data-as-of date. */
export function templateValues(s: PageState, dataAsOf: string | null): Record<string, string | undefined> {
  const to = dataAsOf && dataAsOf < s.period.to ? dataAsOf : s.period.to;
  const trendFrom = `${Number(to.slice(0, 4)) - 1}-01-01`;
  return {
    period: s.periodText,
    from: s.period.from,
    to,
    trend_from: trendFrom,
    district: s.district,
    police_unit: s.police_unit,
    level: s.district ? '区级' : '市级',
  };
}

/** A URL for the same page with some parameters changed (undefined removes one). */
export function withParams(
  url: URL,
  changes: Record<string, string | undefined>,
  path = url.pathname,
): string {
  const next = new URLSearchParams(url.searchParams);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) next.delete(k);
    else next.set(k, v);
  }
  const q = next.toString();
  return q ? `${path}?${q}` : path;
}
