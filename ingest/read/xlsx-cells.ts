/** Cell values as the text a user sees in Excel, without Excel's display rounding. */

export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const text = String(n);
  const e = text.indexOf('e');
  if (e < 0) return text;
  // shortest round-trip digits from String(), with the exponent written out instead of '1e+21' / '1e-7'
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  let result: string;
  if (point <= 0) result = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) result = digits + '0'.repeat(point - digits.length);
  else result = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${result}` : result;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Excel dates have no zone; exceljs builds them as UTC, so format in UTC, to the nearest second. */
export function excelDateText(date: Date): string | null {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return null;
  const d = new Date(Math.round(ms / 1000) * 1000);
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const h = d.getUTCHours();
  const m = d.getUTCMinutes();
  const s = d.getUTCSeconds();
  return h === 0 && m === 0 && s === 0 ? day : `${day} ${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** Same test exceljs applies to plain cells; it skips it for formula results. */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  const stripped = format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]+/.test(stripped);
}

export function excelSerialDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

type Obj = Record<string, unknown>;

export function cellText(value: unknown, numFmt: string | undefined, date1904: boolean): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return null; // a formula whose cached result is an error
    return plainNumber(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return excelDateText(value);
  if (typeof value !== 'object') return String(value);
  const v = value as Obj;
  if (Array.isArray(v.richText)) return joinRichText(v.richText) || null;
  if ('formula' in v || 'sharedFormula' in v) {
    const result = v.result;
    if (typeof result === 'number' && isDateFormat(numFmt))
      return excelDateText(excelSerialDate(result, date1904));
    return cellText(result, undefined, date1904);
  }
  if (typeof v.error === 'string') return v.error;
  if ('text' in v) return cellText(v.text, numFmt, date1904);
  return null;
}

function joinRichText(runs: unknown[]): string {
  return runs.map((run) => String((run as Obj | null)?.text ?? '')).join('');
}
