import { z } from 'zod';

export interface Period {
  kind: 'year' | 'quarter' | 'month';
  from: string;
  to: string;
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const QUARTER_ZH = ['一', '二', '三', '四'];

/** 2025 | 2025Q1 | 2025-03 → the calendar period (spec/cli.md `briefing --period`). */
export function parsePeriod(text: string): Period | undefined {
  let m = /^(\d{4})$/.exec(text);
  if (m) return { kind: 'year', from: `${m[1]}-01-01`, to: `${m[1]}-12-31`, label: `${m[1]}年` };
  m = /^(\d{4})Q([1-4])$/i.exec(text);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    const endMonth = q * 3;
    return {
      kind: 'quarter',
      from: `${y}-${pad(endMonth - 2)}-01`,
      to: `${y}-${pad(endMonth)}-${pad(lastDay(y, endMonth))}`,
      label: `${y}年第${QUARTER_ZH[q - 1]}季度`,
    };
  }
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return {
      kind: 'month',
      from: `${y}-${pad(mo)}-01`,
      to: `${y}-${pad(mo)}-${pad(lastDay(y, mo))}`,
      label: `${y}年${mo}月`,
    };
  }
  return undefined;
}

/** The same period a year earlier (同比). */
export function yearBefore(p: Period): Period {
  const y = Number(p.from.slice(0, 4)) - 1;
  const text =
    p.kind === 'year'
      ? `${y}`
      : p.kind === 'quarter'
        ? `${y}Q${Math.ceil(Number(p.from.slice(5, 7)) / 3)}`
        : `${y}-${p.from.slice(5, 7)}`;
  return parsePeriod(text)!;
}

/** The previous period of the same kind (环比). */
export function periodBefore(p: Period): Period {
  const y = Number(p.from.slice(0, 4));
  const mo = Number(p.from.slice(5, 7));
  if (p.kind === 'year') return parsePeriod(`${y - 1}`)!;
  if (p.kind === 'quarter') {
    const q = Math.ceil(mo / 3);
    return parsePeriod(q === 1 ? `${y - 1}Q4` : `${y}Q${q - 1}`)!;
  }
  return parsePeriod(mo === 1 ? `${y - 1}-12` : `${y}-${pad(mo - 1)}`)!;
}

export const periodParam = z
  .string({ error: 'period（期间）必填：如 2025、2025Q1 或 2025-03' })
  .refine((v) => parsePeriod(v) !== undefined, { error: 'period（期间）应写成 2025、2025Q1 或 2025-03' });
