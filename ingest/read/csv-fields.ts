/**
 * Field values of one record, with the same reading as CsvScanner (so the field counts agree): `""` inside quotes
 * is a quote, a quote inside an unquoted field is literal, text after a closing quote is appended as written.
 */
export function splitRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let quoteSeen = false;
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
        quoteSeen = true;
      }
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      atStart = true;
      quoteSeen = false;
    } else if (ch === '"' && atStart && !quoteSeen) {
      quoted = true;
      atStart = false;
    } else {
      field += ch;
      atStart = false;
    }
  }
  fields.push(field);
  return fields;
}

const NEEDS_QUOTES = /[",\r\n\t]/;

/** One value for a staging CSV (UTF-8); null and '' are written as an empty field, which DuckDB reads as NULL. */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (!NEEDS_QUOTES.test(value)) return value;
  return `"${value.replaceAll('"', '""')}"`;
}

export function csvLine(values: readonly (string | null | undefined)[], delimiter: ',' | '\t' = ','): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += delimiter;
    line += csvField(values[i]);
  }
  return line + '\n';
}
