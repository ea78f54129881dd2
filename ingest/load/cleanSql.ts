import type { HeaderPlan } from '../contract/header.ts';
import { columnsOf, type TableName } from '../contract/tables.ts';
import type { Params } from '../validate/params.ts';

/**
 * SQL for the cleaned text: the staging table's text under canonical names — trimmed, empty tokens as NULL, the mapping's
 * value maps applied (through the temp table `vmap`), constants filled in. Columns the file lacks are NULL.
 * With `retry`, only the staged rows listed in the temp table `retry_rows` are read.
 */
export function cleanSql(
  table: TableName,
  staging: string,
  plan: HeaderPlan,
  tokens: readonly string[],
  p: Params,
  opts: { valueMapped: ReadonlySet<string>; retry: boolean },
): string {
  const t = p.add(tokens);
  const joins: string[] = [];
  const cols = columnsOf(table).map((c) => {
    const source = plan.sources.get(c.name);
    const constant = plan.constants.get(c.name);
    let expr =
      source !== undefined
        ? `zj_clean(s.c${source}, ${t})`
        : constant !== undefined
          ? `zj_clean(${p.add(constant)}, ${t})`
          : 'NULL::VARCHAR';
    if (opts.valueMapped.has(c.name)) {
      const alias = `vm_${c.name}`;
      joins.push(`LEFT JOIN vmap ${alias} ON ${alias}.col = ${p.add(c.name)} AND ${alias}.src = ${expr}`);
      expr = `coalesce(${alias}.dst, ${expr})`;
    }
    return `${expr} AS "${c.name}"`;
  });
  return `SELECT s.rowid AS __row, ${cols.join(', ')}
FROM ${staging} s
${joins.join('\n')}
${opts.retry ? 'WHERE s.rowid IN (SELECT __row FROM retry_rows)' : ''}`;
}
