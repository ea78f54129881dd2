import { ARREST_REASONS, PROSECUTION_REASONS, columnsOf, type TableName } from '../contract/tables.ts';
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
const raw = (name: string) => `"__raw_${name}"`;

/**
 * SQL that types the cleaned text (`source`: one VARCHAR column per canonical column, NULL = empty, plus __row)
 * into the stored types of `table`, with `__errors`: the list of {column, reason} of every value and row rule the
 * row breaks. Generated from the zod contract (ingest/contract); every value is a bound parameter. Each value is
 * converted once (inner query) and the checks compare text with result (outer query).
 */
export function typedSql(table: TableName, source: string, p: Params, opts: TypingOptions): string {
  const cols = columnsOf(table);
  const joins: string[] = [];
  const inner: string[] = ['c.__row'];
  const checks: string[] = [];
  const conds: string[] = [];
  const err = (column: string, cond: string, reason: string, showValue?: string) => {
    conds.push(`(${cond})`);
    checks.push(
      `CASE WHEN ${cond} THEN {'column': ${p.add(column)}, 'reason': ${p.add(reason)}${showValue ? ` || '「' || ${showValue} || '」'` : ''}} END`,
    );
  };
  const rawCols = new Map<string, string>(); // column → its cleaned text, kept for the checks

  for (const c of cols) {
    const v = `c.${q(c.name)}`;
    const r = raw(c.name);
    const t = q(c.stored);
    const withDefault = (expr: string) =>
      c.default === undefined ? expr : `coalesce(${expr}, ${p.add(c.default as string | boolean)})`;
    const keepRaw = () => rawCols.set(c.name, v);
    if (c.required) err(c.name, `${r} IS NULL`, MSG.required);
    switch (c.kind) {
      case 'text':
        inner.push(`${v} AS ${t}`);
        if (c.required) keepRaw();
        break;
      case 'date': {
        const expr = opts.dateFormats.length
          ? `coalesce(zj_date(${v}), try_strptime(${v}, ${p.add(opts.dateFormats)})::DATE)`
          : `zj_date(${v})`;
        inner.push(`${expr} AS ${t}`);
        keepRaw();
        err(c.name, `${r} IS NOT NULL AND ${t} IS NULL`, MSG.date, r);
        break;
      }
      case 'timestamp': {
        const expr = opts.dateFormats.length
          ? `coalesce(zj_timestamp(${v}), try_strptime(${v}, ${p.add(opts.dateFormats)}))`
          : `zj_timestamp(${v})`;
        inner.push(`${expr} AS ${t}`);
        keepRaw();
        err(c.name, `${r} IS NOT NULL AND ${t} IS NULL`, MSG.timestamp, r);
        break;
      }
      case 'bool':
        inner.push(`${withDefault(`zj_bool(${v})`)} AS ${t}`);
        keepRaw();
        err(c.name, `${r} IS NOT NULL AND zj_bool(${r}) IS NULL`, MSG.bool, r);
        break;
      case 'district': {
        const alias = `d_${c.name}`;
        joins.push(`LEFT JOIN district_lookup ${alias} ON ${alias}.input = ${v}`);
        inner.push(`${alias}.code AS ${t}`);
        keepRaw();
        err(c.name, `${r} IN ('110103', '110104')`, MSG.districtRetired, r);
        err(
          c.name,
          `${r} IS NOT NULL AND ${t} IS NULL AND ${r} NOT IN ('110103', '110104')`,
          MSG.district,
          r,
        );
        break;
      }
      case 'enum':
        inner.push(`${withDefault(v)} AS ${t}`);
        keepRaw();
        err(
          c.name,
          `${r} IS NOT NULL AND NOT list_contains(${p.add(c.values!)}, ${r})`,
          `${MSG.enum}${c.values!.join(' / ')}；实为`,
          r,
        );
        break;
      case 'charge':
        joins.push(`LEFT JOIN charge_lookup ch ON ch.input = ${v}`);
        inner.push(`ch.name AS ${t}`, `coalesce(ch.historical, false) AS charge_historical`);
        keepRaw();
        err(c.name, `${r} IS NOT NULL AND ${t} IS NULL`, MSG.charge, r);
        break;
      case 'charges':
        joins.push('LEFT JOIN oc ON oc.__row = c.__row');
        inner.push(`oc.names AS ${t}`, `oc.unknown AS ${raw('other_charges_unknown')}`);
        err(c.name, `${raw('other_charges_unknown')} IS NOT NULL`, MSG.charge, raw('other_charges_unknown'));
        break;
      case 'count':
        inner.push(`CASE WHEN regexp_full_match(${v}, '\\d{1,9}') THEN ${v}::INTEGER END AS ${t}`);
        keepRaw();
        err(c.name, `${r} IS NOT NULL AND ${t} IS NULL`, MSG.count, r);
        break;
      case 'person_name':
        inner.push(
          opts.maskNames ? `zj_mask_name(${v}, ${p.add(COMPOUND_SURNAMES)}) AS ${t}` : `${v} AS ${t}`,
        );
        break;
      case 'id_number':
        inner.push(`zj_hmac(${v}, ${p.add(opts.ipad)}, ${p.add(opts.opad)}) AS ${t}`);
        break;
    }
  }
  for (const name of rowCheckColumns(table)) rawCols.set(name, `c.${q(name)}`);
  rowChecks(table, p, err);
  const rawNames = [...rawCols.keys()].map(raw);
  if (table === 'cases') rawNames.push(raw('other_charges_unknown'));
  return `SELECT t.* EXCLUDE (${rawNames.join(', ')}),
  -- the list of structs is built only for rows that break a rule: building it for every row cost seconds
  CASE WHEN coalesce(${conds.join(' OR ')}, true)
    THEN list_filter([${checks.join(',\n    ')}], x -> x IS NOT NULL) ELSE [] END AS __errors
FROM (
  SELECT ${[...inner, ...[...rawCols].map(([name, expr]) => `${expr} AS ${raw(name)}`)].join(',\n    ')}
  FROM (${source}) c
  ${joins.join('\n  ')}
) t`;
}

const rowCheckColumns = (table: TableName): string[] =>
  table === 'cases' ? ['status', 'closed_on'] : table === 'decisions' ? ['stage', 'decision', 'reason'] : [];

// Rules across columns (contract.md notes), on the cleaned text.
function rowChecks(
  table: TableName,
  p: Params,
  err: (column: string, cond: string, reason: string, show?: string) => void,
) {
  if (table === 'cases') {
    err(
      'closed_on',
      `${raw('status')} IN ('已移送审查起诉', '已撤案', '已终止侦查') AND ${raw('closed_on')} IS NULL`,
      MSG.closedOnRequired,
    );
  }
  if (table === 'decisions') {
    const [stage, decision, reason] = [raw('stage'), raw('decision'), raw('reason')];
    err(
      'decision',
      `(${stage} = '审查逮捕' AND ${decision} IN ('起诉', '不起诉')) OR (${stage} = '审查起诉' AND ${decision} IN ('批准逮捕', '不批准逮捕'))`,
      MSG.decisionStage,
      `${decision} || '」/「' || ${stage}`,
    );
    err('reason', `${decision} IN ('不批准逮捕', '不起诉') AND ${reason} IS NULL`, MSG.reasonRequired);
    err(
      'reason',
      `(${decision} = '不批准逮捕' AND NOT list_contains(${p.add(ARREST_REASONS)}, ${reason}))
       OR (${decision} = '不起诉' AND NOT list_contains(${p.add(PROSECUTION_REASONS)}, ${reason}))`,
      MSG.reasonMismatch,
      `${reason} || '」/「' || ${decision}`,
    );
  }
}

/** The stored columns of a table, in contract order (cases adds charge_historical after charge). */
export function storedColumns(table: TableName): string[] {
  const cols = columnsOf(table).map((c) => c.stored);
  if (table === 'cases') cols.splice(cols.indexOf('charge') + 1, 0, 'charge_historical');
  return cols;
}

/**
 * A fingerprint of a row's stored values (NULLs included), to tell identical rows from differing ones. DuckDB's
 * 64-bit hash: only rows with the same key are ever compared, so a collision is not a practical concern, and it is
 * much cheaper than md5 over JSON, which dominated the load of wide tables.
 */
export function contentHash(table: TableName, alias: string): string {
  return `hash(${storedColumns(table)
    .map((c) => `${alias}.${q(c)}`)
    .join(', ')})`;
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
