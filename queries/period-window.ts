import { UserError } from '../src/db/errors.ts';
import type { OutputColumn } from './module.ts';
import { isoDate } from './params.ts';

export const fromParam = isoDate('from（起始日期）').optional();
export const toParam = isoDate('to（截止日期）').optional();

/**
 * A module's counting window [from, to] on its date field. Without `to`, the data-as-of date; without `from`,
 * 1 January of to's year: a year-to-date window (1–N月累计), the figure the offices report, whose 同比 is the same
 * months of the year before.
 */
export function periodWindow(params: Record<string, unknown>): { from: string; to: string } {
  const to = (params.to as string | undefined) ?? (params.as_of as string);
  const from = (params.from as string | undefined) ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) {
    throw new UserError(
      `起始日期 from（${from}）晚于截止日期 to（${to}）。`,
      `from (${from}) is after to (${to}).`,
      2,
    );
  }
  return { from, to };
}

/**
 * The output columns of a module counted over zj_compare_windows (decision-rates, measure-use): each row's period
 * and its 同比 and 环比 windows, then its figures for the period, for the 同比 window (_yoy) and for the 环比 one (_pop).
 */
export function comparedColumns(figures: readonly OutputColumn[]): OutputColumn[] {
  return [
    { name: 'period_from', label: '统计起始' },
    { name: 'period_to', label: '统计截止' },
    { name: 'yoy_from', label: '同比起始' },
    { name: 'yoy_to', label: '同比截止' },
    { name: 'pop_from', label: '环比起始' },
    { name: 'pop_to', label: '环比截止' },
    ...figures,
    ...figures.map((c) => ({ name: `${c.name}_yoy`, label: `${c.label}（同比期）` })),
    ...figures.map((c) => ({ name: `${c.name}_pop`, label: `${c.label}（环比期）` })),
  ];
}
