import {
  Bool,
  DateDay,
  Dictionary,
  Float64,
  Int32,
  Table,
  TimestampMillisecond,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import type { ResultColumn } from '../../src/db/sql.ts';

const DAY = 86_400_000;

function arrowType(type: string): DataType {
  if (type === 'DATE') return new DateDay();
  if (type === 'TIMESTAMP') return new TimestampMillisecond();
  if (type === 'BOOLEAN') return new Bool();
  if (/^(TINYINT|SMALLINT|INTEGER|UTINYINT|USMALLINT)$/.test(type)) return new Int32();
  if (/^(BIGINT|HUGEINT|UBIGINT|UINTEGER|FLOAT|DOUBLE|DECIMAL)/.test(type)) return new Float64();
  // strings repeat a lot (districts, units, charges, rules): dictionary-encode them
  return new Dictionary(new Utf8(), new Int32());
}

function toValue(type: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'DATE') return new Date(`${v as string}T00:00:00Z`).getTime() / DAY;
  if (type === 'TIMESTAMP') return new Date(`${(v as string).replace(' ', 'T')}Z`).getTime();
  if (Array.isArray(v)) return v.join('；');
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

/** An Arrow IPC stream of the result; `meta` goes into the schema's metadata as JSON (spec/api.md). */
export function toArrow(
  columns: readonly ResultColumn[],
  rows: readonly Record<string, unknown>[],
  meta: unknown,
): Uint8Array {
  const vectors: Record<string, Vector> = {};
  for (const c of columns) {
    const type = arrowType(c.type);
    const values = rows.map((r) => {
      const v = toValue(c.type, r[c.name]);
      return type instanceof DateDay && v !== null ? new Date((v as number) * DAY) : v;
    });
    vectors[c.name] = vectorFromArray(values, type);
  }
  const table = new Table(vectors);
  table.schema.metadata.set('zhenjian', JSON.stringify(meta));
  return tableToIPC(table, 'stream');
}
