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

export function timestampText(micros: bigint): string {
  const seconds = micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n);
  const fraction = Number(micros - seconds * 1_000_000n);
  const ms = Number(seconds) * 1000;
  const text = `${dateText(Math.floor(ms / DAY_MS))} ${new Date(ms).toISOString().slice(11, 19)}`;
  // DuckDB writes fractions only when there are any, without trailing zeros
  return fraction === 0 ? text : `${text}.${String(fraction).padStart(6, '0').replace(/0+$/, '')}`;
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
