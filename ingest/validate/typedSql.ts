import {
  ARREST_REASONS,
  PROSECUTION_REASONS,
  columnsOf,
  type ColumnDef,
  type TableName,
} from '../contract/tables.ts';
import { COMPOUND_SURNAMES } from './macros.ts';
import { MSG } from './messages.ts';
import type { Params } from './params.ts';

export interface TypingOptions {
  dateFormats: readonly string[];
  ipad: Uint8Array;
  opad: Uint8Array;
  maskNames: boolean;
}

const q = (name: string) => `"${name}"`;

/**
 * SQL that types the cleaned text table `cln` (one VARCHAR column per canonical column, NULL = empty) into the
 * stored types of `table`, with `__errors`: the list of {column, reason} of every value and row rule the row
 * breaks. Generated from the zod contract (ingest/contract); every value is a bound parameter.
 */
export function typedSql(table: TableName, p: Params, opts: TypingOptions): string {
  const cols = columnsOf(table);
  const joins: string[] = [];
  const values: string[] = [];
  const checks: string[] = [];
  const err = (column: string, cond: string, reason: string, showValue?: string) =>
    checks.push(
      `CASE WHEN ${cond} THEN {'column': ${p.add(column)}, 'reason': ${p.add(reason)}${showValue ? ` || '「' || ${showValue} || '」'` : ''}} END`,
    );

  for (const c of cols) {
    const v = `c.${q(c.name)}`;
    const withDefault = (expr: string) =>
      c.default === undefined ? expr : `coalesce(${expr}, ${p.add(c.default as string | boolean)})`;
    if (c.required) err(c.name, `${v} IS NULL`, MSG.required);
    switch (c.kind) {
      case 'text':
        values.push(`${v} AS ${q(c.stored)}`);
        break;
      case 'date': {
        const expr = opts.dateFormats.length
          ? `coalesce(zj_date(${v}), try_strptime(${v}, ${p.add(opts.dateFormats)})::DATE)`
          : `zj_date(${v})`;
        values.push(`${expr} AS ${q(c.stored)}`);
        err(c.name, `${v} IS NOT NULL AND ${expr} IS NULL`, MSG.date, v);
        break;
      }
      case 'timestamp': {
        const expr = opts.dateFormats.length
          ? `coalesce(zj_timestamp(${v}), try_strptime(${v}, ${p.add(opts.dateFormats)}))`
          : `zj_timestamp(${v})`;
        values.push(`${expr} AS ${q(c.stored)}`);
        err(
          c.name,
          `${v} IS NOT NULL AND (${expr} IS NULL OR (zj_timestamp_bad(${v}) AND zj_timestamp(${v}) IS NOT NULL))`,
          MSG.timestamp,
          v,
        );
        break;
      }
      case 'bool':
        values.push(`${withDefault(`zj_bool(${v})`)} AS ${q(c.stored)}`);
        err(c.name, `${v} IS NOT NULL AND zj_bool(${v}) IS NULL`, MSG.bool, v);
        break;
      case 'district': {
        const alias = `d_${c.name}`;
        joins.push(`LEFT JOIN district_lookup ${alias} ON ${alias}.input = ${v}`);
        values.push(`${alias}.code AS ${q(c.stored)}`);
        err(c.name, `${v} IN ('110103', '110104')`, MSG.districtRetired, v);
        err(
          c.name,
          `${v} IS NOT NULL AND ${alias}.code IS NULL AND ${v} NOT IN ('110103', '110104')`,
          MSG.district,
          v,
        );
        break;
      }
      case 'enum':
        values.push(`${withDefault(v)} AS ${q(c.stored)}`);
        err(
          c.name,
          `${v} IS NOT NULL AND NOT list_contains(${p.add(c.values!)}, ${v})`,
          `${MSG.enum}${c.values!.join(' / ')}；实为`,
          v,
        );
        break;
      case 'charge': {
        joins.push(`LEFT JOIN charge_lookup ch ON ch.input = ${v}`);
        values.push(
          `coalesce(ch.name, ${v}) AS ${q(c.stored)}`,
          `coalesce(ch.historical, false) AS charge_historical`,
        );
        err(c.name, `${v} IS NOT NULL AND ch.name IS NULL`, MSG.charge, v);
        break;
      }
      case 'charges':
        joins.push('LEFT JOIN oc ON oc.__row = c.__row');
        values.push(`oc.names AS ${q(c.stored)}`);
        err(c.name, 'oc.unknown IS NOT NULL', MSG.charge, 'oc.unknown');
        break;
      case 'count':
        values.push(`CASE WHEN regexp_full_match(${v}, '\\d{1,9}') THEN ${v}::INTEGER END AS ${q(c.stored)}`);
        err(c.name, `${v} IS NOT NULL AND NOT regexp_full_match(${v}, '\\d{1,9}')`, MSG.count, v);
        break;
      case 'person_name':
        values.push(
          opts.maskNames
            ? `zj_mask_name(${v}, ${p.add(COMPOUND_SURNAMES)}) AS ${q(c.stored)}`
            : `${v} AS ${q(c.stored)}`,
        );
        break;
      case 'id_number':
        values.push(`zj_hmac(${v}, ${p.add(opts.ipad)}, ${p.add(opts.opad)}) AS ${q(c.stored)}`);
        break;
    }
  }
  rowChecks(table, p, err);
  return `SELECT c.__row, ${values.join(',\n  ')},
  list_filter([${checks.join(',\n    ')}], x -> x IS NOT NULL) AS __errors
FROM cln c
${joins.join('\n')}`;
}

// Rules across columns (contract.md notes); they read the cleaned text so that they run in the same pass.
function rowChecks(
  table: TableName,
  p: Params,
  err: (column: string, cond: string, reason: string, show?: string) => void,
) {
  if (table === 'cases') {
    err(
      'closed_on',
      `c.status IN ('已移送审查起诉', '已撤案', '已终止侦查') AND c.closed_on IS NULL`,
      MSG.closedOnRequired,
    );
  }
  if (table === 'decisions') {
    err(
      'decision',
      `(c.stage = '审查逮捕' AND c.decision IN ('起诉', '不起诉')) OR (c.stage = '审查起诉' AND c.decision IN ('批准逮捕', '不批准逮捕'))`,
      MSG.decisionStage,
      `c.decision || '」/「' || c.stage`,
    );
    err('reason', `c.decision IN ('不批准逮捕', '不起诉') AND c.reason IS NULL`, MSG.reasonRequired);
    err(
      'reason',
      `(c.decision = '不批准逮捕' AND NOT list_contains(${p.add(ARREST_REASONS)}, c.reason))
       OR (c.decision = '不起诉' AND NOT list_contains(${p.add(PROSECUTION_REASONS)}, c.reason))`,
      MSG.reasonMismatch,
      `c.reason || '」/「' || c.decision`,
    );
  }
}

/** The stored columns of a table, in contract order (cases adds charge_historical after charge). */
export function storedColumns(table: TableName): string[] {
  const cols = columnsOf(table).map((c: ColumnDef) => c.stored);
  if (table === 'cases') cols.splice(cols.indexOf('charge') + 1, 0, 'charge_historical');
  return cols;
}

/** A fingerprint of a row's stored values: equal fingerprints = identical rows (NULLs included). */
export function contentHash(table: TableName, alias: string): string {
  return `md5(to_json(struct_pack(${storedColumns(table)
    .map((c) => `${q(c)} := ${alias}.${q(c)}`)
    .join(', ')}))::VARCHAR)`;
}

/** A rejected row's values as JSON text, after the same privacy treatment as loaded rows (contract.md). */
export function rejectValuesSql(table: TableName, p: Params, opts: TypingOptions, alias: string): string {
  const fields = columnsOf(table).map((c) => {
    const v = `${alias}.${q(c.name)}`;
    if (c.kind === 'person_name') return `${q(c.name)} := zj_mask_name(${v}, ${p.add(COMPOUND_SURNAMES)})`;
    if (c.kind === 'id_number')
      return `${q(c.name)} := zj_hmac(${v}, ${p.add(opts.ipad)}, ${p.add(opts.opad)})`;
    return `${q(c.name)} := ${v}`;
  });
  return `to_json(struct_pack(${fields.join(', ')}))::VARCHAR`;
}
