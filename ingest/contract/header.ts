import { UserError } from '../../src/db/errors.ts';
import type { Mapping } from '../mapping.ts';
import { INFERENCE_ORDER, TABLE_ZH, columnsOf, keyColumn, type TableName } from './tables.ts';

const norm = (s: string) =>
  s
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

/** Every header spelling a table accepts → its canonical column (aliases are per table: contract.md). */
export function headerAliases(table: TableName): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of columnsOf(table)) {
    map.set(norm(c.name), c.name);
    for (const zh of c.zh) map.set(norm(zh), c.name);
  }
  return map;
}

/** The first table, in the contract's order, whose key column is in the header; undefined when none. */
export function inferTable(header: readonly string[]): TableName | undefined {
  const names = new Set(header.map(norm));
  return INFERENCE_ORDER.find((t) => {
    const key = columnsOf(t).find((c) => c.name === keyColumn(t))!;
    return [key.name, ...key.zh].some((n) => names.has(norm(n)));
  });
}

export interface HeaderPlan {
  /** canonical column → index of the header column that feeds it */
  sources: Map<string, number>;
  /** canonical column → constant value from the mapping */
  constants: Map<string, string>;
  /** header names that map to nothing; their values are not stored */
  extra: string[];
}

/** Maps a file's header onto a table; missing required columns and ambiguous headers are unusable input (exit 2). */
export function planHeader(
  file: string,
  table: TableName,
  header: readonly string[],
  mapping?: Mapping,
): HeaderPlan {
  const aliases = headerAliases(table);
  const mapped = new Map(Object.entries(mapping?.columns ?? {}).map(([k, v]) => [norm(k), v]));
  const sources = new Map<string, number>();
  const extra: string[] = [];
  header.forEach((h, i) => {
    const target = mapped.get(norm(h)) ?? aliases.get(norm(h));
    if (!target) return extra.push(h);
    if (sources.has(target)) {
      throw new UserError(
        `文件 ${file} 的表头中有两列都对应「${target}」（第 ${sources.get(target)! + 1} 列和第 ${i + 1} 列）：请删除或重命名其中一列，或用映射文件指定。`,
        `${file}: two header columns map to ${target}.`,
        2,
      );
    }
    sources.set(target, i);
  });
  const constants = new Map(Object.entries(mapping?.constants ?? {}));
  const missing = columnsOf(table)
    .filter((c) => c.required && !sources.has(c.name) && !constants.has(c.name))
    .map((c) => `${c.name}（${c.zh[0]}）`);
  if (missing.length > 0) {
    throw new UserError(
      `文件 ${file}（${TABLE_ZH[table]}表）缺少必填列：${missing.join('、')}。请在导出时包含这些列，或用映射文件（--mapping）对应列名。`,
      `${file} (${table}) lacks required columns: ${missing.join(', ')}.`,
      2,
    );
  }
  return { sources, constants, extra };
}
