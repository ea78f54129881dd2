import type { ResultColumn } from '../../src/db/sql.ts';

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe
 * (OWASP CSV injection); numbers stay numbers.
 */
export function escapeCell(value: unknown, numeric: boolean): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join('；') : String(value);
  if (!numeric && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with a UTF-8 BOM so that Excel on Chinese Windows opens it as UTF-8. */
export function toCsv(
  columns: readonly ResultColumn[],
  rows: readonly Record<string, unknown>[],
  labels?: Record<string, string>,
): string {
  const numeric = columns.map((c) => NUMERIC.test(c.type));
  const lines = [columns.map((c) => escapeCell(labels?.[c.name] ?? c.name, false)).join(',')];
  for (const row of rows) lines.push(columns.map((c, i) => escapeCell(row[c.name], numeric[i]!)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
