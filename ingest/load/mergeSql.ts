import { REFERENCES, TABLE_ZH, keyColumn, type TableName } from '../contract/tables.ts';
import { MSG } from '../validate/messages.ts';
import type { Params } from '../validate/params.ts';
import { contentHash, storedColumns } from '../validate/typedSql.ts';

const q = (n: string) => `"${n}"`;

// The tables below are narrow (row ids, keys, flags): copying a wide table per step cost more than the checks.

/**
 * In-file duplicates (contract.md): per key, the row with the newest updated_at wins (missing counts as oldest;
 * ties go to the earlier row). Later rows identical to the winner count once; differing ones are rejected.
 * Reads `typ`; `ranked` holds every valid row with __rank (1 = the row to merge), __keeper and __same.
 * Without duplicate keys (the usual case) the window and the fingerprints are skipped.
 */
export function rankSql(table: TableName, hasDuplicates: boolean): string {
  const key = q(keyColumn(table));
  if (!hasDuplicates) {
    return `SELECT __row, ${key} AS __key, 1 AS __rank, __row AS __keeper, true AS __same FROM typ WHERE len(__errors) = 0`;
  }
  return `WITH w AS (
    SELECT t.__row, t.${key} AS __key, ${contentHash(table, 't')} AS __content,
      row_number() OVER win AS __rank, first_value(t.__row) OVER win AS __keeper,
      first_value(${contentHash(table, 't')}) OVER win AS __keeper_content
    FROM typ t WHERE len(t.__errors) = 0
    WINDOW win AS (PARTITION BY t.${key} ORDER BY t.updated_at DESC NULLS LAST, t.__row))
  SELECT __row, __key, __rank, __keeper, __content = __keeper_content AS __same FROM w`;
}

export function duplicateCheckSql(table: TableName): string {
  const key = q(keyColumn(table));
  return `SELECT count(*) > count(DISTINCT ${key}) AS dup FROM typ WHERE len(__errors) = 0`;
}

/** Rows (__rank 1) whose references are missing, as (__row, column_name, reason) — checked against committed data. */
export function referenceErrorsSql(table: TableName, p: Params): string {
  const parts = REFERENCES[table].map((r) => {
    const col = q(r.column);
    const label = `${TABLE_ZH[r.table]}「`;
    return `SELECT t.__row, ${p.add(r.column)} AS column_name, ${p.add(MSG.missingRef + label)} || t.${col} || '」' AS reason
      FROM typ t JOIN ranked r ON r.__row = t.__row
      WHERE r.__rank = 1 AND t.${col} IS NOT NULL
        AND t.${col} NOT IN (SELECT ${q(r.targetColumn)} FROM ${q(r.table)})`;
  });
  // a suspect named by a decision or event must belong to the case it names
  if (table === 'decisions' || table === 'events') {
    parts.push(`SELECT t.__row, 'suspect_id', ${p.add(MSG.wrongCase)} || '「' || t.suspect_id || '」/「' || t.case_id || '」'
      FROM typ t JOIN ranked r ON r.__row = t.__row JOIN suspects s ON s.suspect_id = t.suspect_id
      WHERE r.__rank = 1 AND s.case_id <> t.case_id`);
  }
  return parts.length
    ? parts.join('\nUNION ALL\n')
    : 'SELECT NULL::BIGINT AS __row, NULL::VARCHAR AS column_name, NULL::VARCHAR AS reason WHERE false';
}

/**
 * What each surviving row does to the stored table (contract.md "Re-loading a key"): insert a new key; update
 * when the incoming updated_at is newer (a missing one counts as older than any), or, with none on either side,
 * when the content differs; otherwise unchanged. `incoming` = (__row, __action).
 */
export function actionSql(table: TableName): string {
  const key = q(keyColumn(table));
  return `WITH cand AS (
    SELECT r.__row, r.__key FROM ranked r WHERE r.__rank = 1 AND r.__row NOT IN (SELECT __row FROM ref_errors)
  ), stored AS (
    SELECT s.${key} AS __key, s.updated_at AS __stored_updated, ${contentHash(table, 's')} AS __stored_content
    FROM ${q(table)} s WHERE s.${key} IN (SELECT __key FROM cand)
  )
  SELECT cand.__row,
    CASE
      WHEN stored.__key IS NULL THEN 'insert'
      WHEN t.updated_at IS NOT NULL AND (stored.__stored_updated IS NULL OR t.updated_at > stored.__stored_updated) THEN 'update'
      WHEN t.updated_at IS NULL AND stored.__stored_updated IS NULL AND ${contentHash(table, 't')} <> stored.__stored_content THEN 'update'
      ELSE 'unchanged'
    END AS __action
  FROM cand JOIN typ t ON t.__row = cand.__row LEFT JOIN stored ON stored.__key = cand.__key`;
}

export function deleteUpdatedSql(table: TableName): string {
  const key = q(keyColumn(table));
  return `DELETE FROM ${q(table)} WHERE ${key} IN (
    SELECT t.${key} FROM typ t JOIN incoming i ON i.__row = t.__row WHERE i.__action = 'update')`;
}

export function insertSql(table: TableName, batchParam: string): string {
  const cols = storedColumns(table).map(q);
  return `INSERT INTO ${q(table)} (${cols.join(', ')}, batch_id)
    SELECT ${cols.map((c) => `t.${c}`).join(', ')}, ${batchParam}
    FROM typ t JOIN incoming i ON i.__row = t.__row WHERE i.__action IN ('insert', 'update')`;
}

/**
 * is_minor, when not given, comes from birth_date at the case's accepted_on, else filed_on (contract.md): a
 * person is a minor before the 18th birthday. Runs on `typ`, before fingerprints are taken, so that reloading the
 * same file compares like with like.
 */
export function deriveMinorSql(): string {
  return `UPDATE typ SET is_minor = coalesce(c.accepted_on, c.filed_on) < typ.birth_date + INTERVAL 18 YEAR
    FROM cases c WHERE c.case_id = typ.case_id AND typ.is_minor IS NULL AND typ.birth_date IS NOT NULL`;
}
