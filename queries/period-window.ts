import { UserError } from '../src/db/errors.ts';
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
