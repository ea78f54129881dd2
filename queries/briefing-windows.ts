// The windows of the briefing (queries/briefing.ts): the same arithmetic as the SQL of decision-rates and measure-use,
// so that the figures the briefing takes from their 同比 / 环比 columns and the ones it computes itself agree.

export interface Window {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => d.toISOString().slice(0, 10);
const parse = (s: string) => new Date(`${s}T00:00:00Z`);
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const isLastDay = (s: string) =>
  Number(s.slice(8, 10)) === lastDay(Number(s.slice(0, 4)), Number(s.slice(5, 7)));
const addDays = (s: string, n: number) => iso(new Date(parse(s).getTime() + n * 86_400_000));

/** zj_add_months in TypeScript (SPC 2021 第202条): a month's last day stays a last day; a missing day clamps. */
export function addMonths(s: string, n: number): string {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7)) - 1 + n;
  const ty = y + Math.floor(m / 12);
  const tm = (((m % 12) + 12) % 12) + 1;
  const last = lastDay(ty, tm);
  const day = isLastDay(s) ? last : Math.min(Number(s.slice(8, 10)), last);
  return `${ty}-${pad(tm)}-${pad(day)}`;
}

/**
 * 同比 and 环比 windows of [from, to] by the rule of decision-rates and measure-use (rules.md §5), so that every
 * section of the briefing compares the same days: 同比 is the window 12 months earlier; 环比 is the previous calendar
 * year, quarter or month when the window is exactly one, else the window of equal length just before it.
 */
export function comparisonWindows(w: Window): { yoy: Window; pop: Window } {
  const { from, to } = w;
  const yoy = { from: addMonths(from, -12), to: addMonths(to, -12) };
  const mo = Number(from.slice(5, 7));
  const first = from.slice(8, 10) === '01';
  let popFrom: string;
  if (first && mo === 1 && to === `${from.slice(0, 4)}-12-31`) popFrom = addMonths(from, -12);
  else if (first && [1, 4, 7, 10].includes(mo) && to === monthEnd(addMonths(from, 2)))
    popFrom = addMonths(from, -3);
  else if (first && to === monthEnd(from)) popFrom = addMonths(from, -1);
  else popFrom = addDays(from, -(daysBetween(from, to) + 1));
  return { yoy, pop: { from: popFrom, to: addDays(from, -1) } };
}

function monthEnd(s: string): string {
  return `${s.slice(0, 8)}${pad(lastDay(Number(s.slice(0, 4)), Number(s.slice(5, 7))))}`;
}

const daysBetween = (a: string, b: string) =>
  Math.round((parse(b).getTime() - parse(a).getTime()) / 86_400_000);

/** The calendar months of a window, each cut to the window. */
export function monthsOf(w: Window): { month: string; from: string; to: string }[] {
  const out = [];
  for (let s = `${w.from.slice(0, 8)}01`; s <= w.to; s = addMonths(s, 1)) {
    const from = s < w.from ? w.from : s;
    const end = monthEnd(s);
    out.push({ month: s.slice(0, 7), from, to: end > w.to ? w.to : end });
  }
  return out;
}
