import { REFERENCES, TABLE_ZH, keyColumn, type TableName } from '../contract/tables.ts';
import { MSG } from '../validate/messages.ts';
import type { Params } from '../validate/params.ts';
import { contentHash, storedColumns } from '../validate/typedSql.ts';

const q = (n: string) => `"${n}"`;

// Speed and memory (bench/results.json, docs/benchmarks.md): the typed rows are never materialised. One pass
// builds `chk` — narrow: row id, key, updated_at, errors — and the insert types the rows again as it streams them
// into the table. Materialising the wide typed table and reading it back cost more than typing twice, and it
// spilled to disk on million-row files. Only the few rows that are duplicates or already stored get more work.

/**
 * The typed rows as they will be stored: for suspects, is_minor derived when not given — from birth_date at the
 * case's accepted_on, else filed_on; a person is a minor before the 18th birthday (contract.md).
 */
export function finalRowsSql(table: TableName, typed: string): string {
  if (table !== 'suspects') return typed;
  return `SELECT t.* REPLACE (coalesce(t.is_minor,
      CASE WHEN t.birth_date IS NOT NULL THEN coalesce(c.accepted_on, c.filed_on) < t.birth_date + INTERVAL 18 YEAR END) AS is_minor)
    FROM (${typed}) t LEFT JOIN cases c ON c.case_id = t.case_id`;
}

/**
 * `chk`: per row its key, updated_at and errors, the reference checks included (contract.md: a row whose
 * reference is missing is rejected) — against committed data, earlier files of the same command included.
 */
export function checkSql(table: TableName, typed: string, p: Params): string {
  const key = q(keyColumn(table));
  const joins: string[] = [];
  const checks: string[] = [];
  const conds: string[] = [];
  for (const r of REFERENCES[table]) {
    const alias = `r_${r.column}`;
    const col = `t.${q(r.column)}`;
    const extra =
      (table === 'decisions' || table === 'events') && r.column === 'suspect_id' ? ', case_id AS kc' : '';
    joins.push(
      `LEFT JOIN (SELECT ${q(r.targetColumn)} AS k${extra} FROM ${q(r.table)}) ${alias} ON ${alias}.k = ${col}`,
    );
    conds.push(`(${col} IS NOT NULL AND ${alias}.k IS NULL)`);
    checks.push(
      `CASE WHEN ${col} IS NOT NULL AND ${alias}.k IS NULL THEN {'column': ${p.add(r.column)}, 'reason': ${p.add(`${MSG.missingRef}${TABLE_ZH[r.table]}「`)} || ${col} || '」'} END`,
    );
    // a suspect named by a decision or event must belong to the case it names
    if (extra) {
      conds.push(`(${alias}.kc <> t.case_id)`);
      checks.push(
        `CASE WHEN ${alias}.kc <> t.case_id THEN {'column': 'suspect_id', 'reason': ${p.add(MSG.wrongCase)} || '「' || ${col} || '」/「' || t.case_id || '」'} END`,
      );
    }
  }
  const errors = checks.length
    ? `CASE WHEN coalesce(${conds.join(' OR ')}, true)
        THEN list_concat(t.__errors, list_filter([${checks.join(', ')}], x -> x IS NOT NULL)) ELSE t.__errors END`
    : 't.__errors';
  return `SELECT t.__row, t.${key} AS __key, t.updated_at AS __updated, ${errors} AS __errors
    FROM (${typed}) t ${joins.join(' ')}`;
}

export const duplicateCheckSql = `SELECT count(*) > count(DISTINCT __key) AS dup FROM chk WHERE len(__errors) = 0`;

/**
 * In-file duplicates (contract.md): per key, the row with the newest updated_at wins (missing counts as oldest;
 * ties go to the earlier row). Later rows identical to the winner count once; differing ones are rejected.
 * `ranked` lists only the losing rows with their __keeper and whether they are the __same as it.
 */
export function rankSql(table: TableName, final: string): string {
  return `WITH d AS (
      SELECT __key FROM chk WHERE len(__errors) = 0 GROUP BY __key HAVING count(*) > 1
    ), r AS (
      SELECT c.__row, c.__key, c.__updated FROM chk c WHERE len(c.__errors) = 0 AND c.__key IN (SELECT __key FROM d)
    ), w AS (
      SELECT r.__row, ${contentHash(table, 'f')} AS __content,
        row_number() OVER win AS __rank, first_value(r.__row) OVER win AS __keeper,
        first_value(${contentHash(table, 'f')}) OVER win AS __keeper_content
      FROM r JOIN (${final}) f ON f.__row = r.__row
      WINDOW win AS (PARTITION BY r.__key ORDER BY r.__updated DESC NULLS LAST, r.__row))
    SELECT __row, __rank, __keeper, __content = __keeper_content AS __same FROM w WHERE __rank > 1`;
}

/** The candidates (valid, not a losing duplicate) whose key is already stored, with the stored row's facts. */
export function storedMatchesSql(table: TableName): string {
  const key = q(keyColumn(table));
  return `SELECT c.__row, c.__key, c.__updated, s.updated_at AS __stored_updated, ${contentHash(table, 's')} AS __stored_content
    FROM chk c JOIN ${q(table)} s ON s.${key} = c.__key
    WHERE len(c.__errors) = 0 AND c.__row NOT IN (SELECT __row FROM ranked)`;
}

/**
 * What each stored match does (contract.md "Re-loading a key"): update when the incoming updated_at is newer (a
 * missing one counts as older than any), or, with none on either side, when the content differs; otherwise
 * unchanged. The content is typed again only when some match has no timestamps on either side.
 */
export function existingSql(table: TableName, final: string | null): string {
  const differs = final ? `${contentHash(table, 'f')} <> m.__stored_content` : 'false';
  return `SELECT m.__row, m.__key,
      CASE
        WHEN m.__updated IS NOT NULL AND (m.__stored_updated IS NULL OR m.__updated > m.__stored_updated) THEN 'update'
        WHEN m.__updated IS NULL AND m.__stored_updated IS NULL AND ${differs} THEN 'update'
        ELSE 'unchanged'
      END AS __action
    FROM matches m ${final ? `LEFT JOIN (${final}) f ON f.__row = m.__row` : ''}`;
}

export const excludedSql = `SELECT __row FROM chk WHERE len(__errors) > 0
  UNION ALL SELECT __row FROM ranked
  UNION ALL SELECT __row FROM existing WHERE __action = 'unchanged'`;

export function deleteUpdatedSql(table: TableName): string {
  const key = q(keyColumn(table));
  return `DELETE FROM ${q(table)} WHERE ${key} IN (SELECT __key FROM existing WHERE __action = 'update')`;
}

/** Streams the new keys and the new versions of updated ones into the table, typing the rows as it goes. */
export function insertSql(table: TableName, final: string, batchParam: string): string {
  const cols = storedColumns(table).map(q);
  return `INSERT INTO ${q(table)} (${cols.join(', ')}, batch_id)
    SELECT ${cols.map((c) => `f.${c}`).join(', ')}, ${batchParam}
    FROM (${final}) f WHERE f.__row NOT IN (SELECT __row FROM excluded)`;
}

export const countsSql = `SELECT
    (SELECT count(*) FROM chk WHERE len(__errors) = 0) - (SELECT count(*) FROM ranked) - (SELECT count(*) FROM existing) AS inserted,
    (SELECT count(*) FROM existing WHERE __action = 'update') AS updated,
    (SELECT count(*) FROM existing WHERE __action = 'unchanged') AS unchanged,
    (SELECT count(*) FROM ranked WHERE __same) AS same_dups`;
