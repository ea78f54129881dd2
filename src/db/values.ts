// DuckDB values → plain JSON values, per column type, fast: getRowObjectsJson() cost 60 ms for 10k rows of a
// 9-column result here (most of pending-cases' time budget); dates repeat, so their text is cached.

const dateCache = new Map<number, string>();
const DAY_MS = 86_400_000;

export function dateText(days: number): string {
  let s = dateCache.get(days);
  if (s === undefined) {
    s = new Date(days * DAY_MS).toISOString().slice(0, 10);
    if (dateCache.size < 100_000) dateCache.set(days, s);
  }
  return s;
}

const MICROS_PER_DAY = 86_400_000_000;
const clockCache: string[] = [];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** 'HH:MM:SS' of a second of the day (0–86,399), cached: a long list repeats them. */
function clockText(second: number): string {
  return (clockCache[second] ??=
    `${two(Math.floor(second / 3600))}:${two(Math.floor(second / 60) % 60)}:${two(second % 60)}`);
}

/**
 * 'YYYY-MM-DD HH:MM:SS[.ffffff]' of DuckDB's microseconds since 1970. Number arithmetic with cached day and clock
 * texts: the Date-based conversion cost 160 ms of a 45,000-row list with four timestamp columns.
 */
export function timestampText(micros: bigint): string {
  const n = Number(micros);
  if (!Number.isSafeInteger(n)) return timestampTextBig(micros);
  let day = Math.floor(n / MICROS_PER_DAY);
  let inDay = n - day * MICROS_PER_DAY;
  // a float quotient rounded up to a whole day; exact integers from here on
  if (inDay < 0) [day, inDay] = [day - 1, inDay + MICROS_PER_DAY];
  const second = Math.floor(inDay / 1_000_000);
  const fraction = inDay - second * 1_000_000;
  const text = `${dateText(day)} ${clockText(second)}`;
  return fraction === 0 ? text : `${text}.${fractionText(fraction)}`;
}

// DuckDB writes fractions only when there are any, without trailing zeros
const fractionText = (micros: number) => String(micros).padStart(6, '0').replace(/0+$/, '');

function timestampTextBig(micros: bigint): string {
  const seconds = micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n);
  const fraction = Number(micros - seconds * 1_000_000n);
  const ms = Number(seconds) * 1000;
  const text = `${dateText(Math.floor(ms / DAY_MS))} ${new Date(ms).toISOString().slice(11, 19)}`;
  return fraction === 0 ? text : `${text}.${fractionText(fraction)}`;
}

type Converter = (v: unknown) => unknown;

const plain: Converter = (v) => v;

export function converterFor(type: string): Converter {
  if (type === 'DATE') return (v) => (v === null ? null : dateText((v as { days: number }).days));
  if (type === 'TIMESTAMP')
    return (v) => (v === null ? null : timestampText((v as { micros: bigint }).micros));
  if (/^(BIGINT|HUGEINT|UBIGINT)$/.test(type)) return (v) => (v === null ? null : Number(v as bigint));
  if (/^DECIMAL/.test(type)) return (v) => (v === null ? null : Number(String(v)));
  if (type.endsWith('[]')) {
    const inner = converterFor(type.slice(0, -2));
    return (v) => (v === null ? null : (v as { items: unknown[] }).items.map(inner));
  }
  if (/^(VARCHAR|BOOLEAN|INTEGER|SMALLINT|TINYINT|UINTEGER|USMALLINT|UTINYINT|DOUBLE|FLOAT)$/.test(type))
    return plain;
  // anything else (STRUCT, MAP, BLOB, INTERVAL, TIMESTAMP WITH TIME ZONE …): its text form
  return (v) => (v === null ? null : typeof v === 'object' ? String(v) : v);
}
