import { z } from 'zod';

/** How a column's text is read (spec/contract.md "Values"). */
export type Kind =
  | 'text'
  | 'date'
  | 'timestamp'
  | 'bool'
  | 'district'
  | 'enum'
  | 'charge' // one charge name → current name (historical names mapped or flagged)
  | 'charges' // further charges separated by ; or ；
  | 'count' // integer ≥ 0
  | 'person_name' // stored masked (张某某)
  | 'id_number'; // stored only as an HMAC

export interface ColumnMeta {
  kind: Kind;
  /** Chinese header labels accepted for the column (the canonical English name is always accepted). */
  zh: readonly string[];
  required?: boolean;
  key?: boolean;
  values?: readonly string[];
  /** Value when the cell is empty (contract.md "default …"). */
  default?: string | boolean;
  /** Stored under another name because the stored value is not the input (privacy). */
  storedAs?: string;
}

/** The registry that lets the SQL generator read each column's contract from its zod schema. */
export const columnMeta = z.registry<ColumnMeta>();

// Factories, not shared instances: the registry keys on the schema object, so every column needs its own.
const date = () => z.iso.date();
const timestamp = () => z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

// The zod type describes the stored (normalised) value; the meta describes how input text becomes it.
const typeOf = (m: ColumnMeta): z.ZodType => {
  const base: z.ZodType = (() => {
    switch (m.kind) {
      case 'date':
        return date();
      case 'timestamp':
        return timestamp();
      case 'bool':
        return z.boolean();
      case 'district':
        return z.string().regex(/^1101(0[1-25-9]|1[1-9])$/);
      case 'enum':
        return z.enum(m.values as [string, ...string[]]);
      case 'charges':
        return z.array(z.string());
      case 'count':
        return z.number().int().nonnegative();
      default:
        return z.string().min(1);
    }
  })();
  return m.required || m.default !== undefined ? base : base.nullable();
};

export function col(kind: Kind, zh: string | readonly string[], more: Omit<ColumnMeta, 'kind' | 'zh'> = {}) {
  const meta: ColumnMeta = { kind, zh: typeof zh === 'string' ? [zh] : zh, ...more };
  return typeOf(meta).register(columnMeta, meta);
}

export const enumCol = (
  zh: string | readonly string[],
  values: readonly string[],
  more: Omit<ColumnMeta, 'kind' | 'zh' | 'values'> = {},
) => col('enum', zh, { ...more, values });
