import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../db/errors.ts';

export const COMMON = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** parseArgs with the CLI's exit-2 message on unknown or malformed options. */
export function parse<O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: O,
) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UserError(
      `zhenjian ${command} 的参数有误：${(e as Error).message}。运行 zhenjian ${command} --help 查看用法。`,
      `Bad arguments for zhenjian ${command}: ${(e as Error).message}`,
      2,
    );
  }
}

export function intOption(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new UserError(
      `--${name} 应为不小于 ${min} 的整数，实为「${value}」。`,
      `--${name} must be an integer ≥ ${min}.`,
      2,
    );
  }
  return Number(value);
}

/** A DuckDB buffer limit such as 512MB or 2GB (--memory-limit). */
export function memoryOption(value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!/^\d{2,6}(MB|GB)$/i.test(value) || Number.parseInt(value, 10) === 0) {
    throw new UserError(
      `--memory-limit 应写成数字加 MB 或 GB，如 512MB、2GB（收到「${value}」）。`,
      `--memory-limit takes e.g. 512MB or 2GB.`,
      2,
    );
  }
  return value.toUpperCase();
}

export function dateOption(name: string, value: string | undefined, fallback: string): string {
  const v = value ?? fallback;
  const d = new Date(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new UserError(
      `--${name} 应为有效日期 YYYY-MM-DD，实为「${v}」。`,
      `--${name} must be a valid date YYYY-MM-DD.`,
      2,
    );
  }
  return v;
}

/** Today's date in Beijing, the zone the data is in. */
export function todayInBeijing(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}
