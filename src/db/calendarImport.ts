import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { rebuildCalendarDays } from './calendar.ts';
import { UserError } from './errors.ts';
import { run, transaction } from './sql.ts';

const day = z.strictObject({
  date: z.iso.date({ error: 'date 应为有效日期 YYYY-MM-DD' }),
  kind: z.enum(['休', '班'], { error: 'kind 应为「休」（法定休息日）或「班」（调休上班日）' }),
  name: z.string().optional(),
});
export type CalendarDay = z.infer<typeof day>;

/** Reads a JSON array or a CSV (header date,kind[,name]) of State Council holiday / 调休 days. */
export function readCalendarFile(path: string): CalendarDay[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    throw new UserError(`无法读取节假日文件 ${path}：请检查路径和权限。`, `Cannot read ${path}.`, 2);
  }
  let raw: unknown[];
  if (text.trimStart().startsWith('[')) {
    try {
      raw = JSON.parse(text) as unknown[];
    } catch (e) {
      throw new UserError(`节假日文件 ${path} 不是有效的 JSON：${(e as Error).message}`, `Invalid JSON.`, 2);
    }
  } else {
    const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.trim());
    const cols = (header ?? '').split(',').map((c) => c.trim());
    if (!cols.includes('date') || !cols.includes('kind')) {
      throw new UserError(
        `节假日文件 ${path} 的表头应包含 date,kind（可选 name）。`,
        `CSV header must have date,kind.`,
        2,
      );
    }
    raw = lines.map((l) =>
      Object.fromEntries(
        l
          .split(',')
          .map((v, i) => [cols[i]!, v.trim()])
          .filter(([, v]) => v !== ''),
      ),
    );
  }
  return raw.map((r, i) => {
    const parsed = day.safeParse(r);
    if (!parsed.success) {
      throw new UserError(
        `节假日文件 ${path} 第 ${i + 1} 条有误：${parsed.error.issues.map((x) => x.message).join('；')}。没有导入任何日期。`,
        `Entry ${i + 1} of ${path} is invalid; nothing imported.`,
        2,
      );
    }
    return parsed.data;
  });
}

/**
 * Adds or corrects days (a day given again replaces its entry) and marks their years as covered; then rebuilds
 * the working-day table every deadline uses. One transaction.
 */
export async function importCalendar(
  conn: DuckDBConnection,
  days: CalendarDay[],
  source: string,
): Promise<{ days: number; years: number[] }> {
  const years = [...new Set(days.map((d) => Number(d.date.slice(0, 4))))].sort();
  await transaction(conn, async () => {
    await run(conn, 'DELETE FROM holidays WHERE day IN (SELECT unnest($d)::DATE)', {
      d: days.map((d) => d.date),
    });
    await run(conn, 'INSERT INTO holidays SELECT unnest($d)::DATE, unnest($k), unnest($n), $s', {
      d: days.map((d) => d.date),
      k: days.map((d) => d.kind),
      n: days.map((d) => d.name ?? ''),
      s: source,
    });
    await run(conn, 'DELETE FROM calendar_years WHERE year IN (SELECT unnest($y)::INTEGER)', {
      y: years.map(String),
    });
    await run(conn, 'INSERT INTO calendar_years SELECT unnest($y)::INTEGER, $s', {
      y: years.map(String),
      s: source,
    });
    await rebuildCalendarDays(conn);
  });
  return { days: days.length, years };
}
