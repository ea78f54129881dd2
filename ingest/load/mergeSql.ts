import { REFERENCES, TABLE_ZH, keyColumn, type TableName } from '../contract/tables.ts';
import { MSG } from '../validate/messages.ts';
import type { Params } from '../validate/params.ts';
import { contentHash, storedColumns } from '../validate/typedSql.ts';

const q = (n: string) => `"${n}"`;

/**
 * In-file duplicates (contract.md): per key, the row with the newest updated_at wins (missing counts as oldest;
 * ties go to the earlier row). Later rows identical to the winner count once; differing ones are rejected.
 * Reads `typ`, writes `ranked` (__rank 1 = the row to merge, __dup: 'same' | 'differs').
 */
export function rankSql(table: TableName): string {
  const key = q(keyColumn(table));
  return `SELECT t.*, ${contentHash(table, 't')} AS __content,
    row_number() OVER w AS __rank,
    first_value(t.__row) OVER w AS __keeper
  FROM typ t WHERE len(t.__errors) = 0
  WINDOW w AS (PARTITION BY t.${key} ORDER BY t.updated_at DESC NULLS LAST, t.__row)`;
}

/** Rows (__rank 1) whose references are missing, as (__row, column, reason) — checked against committed data. */
export function referenceErrorsSql(table: TableName, p: Params): string {
  const parts = REFERENCES[table].map((r) => {
    const col = q(r.column);
    const target = `${q(r.table)}`;
    const label = `${TABLE_ZH[r.table]}「`;
    return `SELECT r.__row, ${p.add(r.column)} AS column_name, ${p.add(MSG.missingRef + label)} || r.${col} || '」' AS reason
      FROM ranked r WHERE r.__rank = 1 AND r.${col} IS NOT NULL
        AND r.${col} NOT IN (SELECT ${q(r.targetColumn)} FROM ${target})`;
  });
  // a suspect named by a decision or event must belong to the case it names
  if (table === 'decisions' || table === 'events') {
    parts.push(`SELECT r.__row, 'suspect_id', ${p.add(MSG.wrongCase)} || '「' || r.suspect_id || '」/「' || r.case_id || '」'
      FROM ranked r JOIN suspects s ON s.suspect_id = r.suspect_id
      WHERE r.__rank = 1 AND s.case_id <> r.case_id`);
  }
  return parts.length
    ? parts.join('\nUNION ALL\n')
    : 'SELECT NULL::BIGINT AS __row, NULL AS column_name, NULL AS reason WHERE false';
}

/**
 * What each surviving row does to the stored table (contract.md "Re-loading a key"): insert a new key; update
 * when the incoming updated_at is newer (a missing one counts as older than any), or, with none on either side,
 * when the content differs; otherwise unchanged. Reads `ranked` and `ref_errors`, writes `incoming`.
 */
export function actionSql(table: TableName): string {
  const key = q(keyColumn(table));
  return `WITH cand AS (
    SELECT r.* FROM ranked r WHERE r.__rank = 1 AND r.__row NOT IN (SELECT __row FROM ref_errors)
  ), stored AS (
    SELECT s.${key} AS __key, s.updated_at AS __stored_updated, ${contentHash(table, 's')} AS __stored_content
    FROM ${q(table)} s WHERE s.${key} IN (SELECT ${key} FROM cand)
  )
  SELECT cand.*,
    CASE
      WHEN stored.__key IS NULL THEN 'insert'
      WHEN cand.updated_at IS NOT NULL AND (stored.__stored_updated IS NULL OR cand.updated_at > stored.__stored_updated) THEN 'update'
      WHEN cand.updated_at IS NULL AND stored.__stored_updated IS NULL AND cand.__content <> stored.__stored_content THEN 'update'
      ELSE 'unchanged'
    END AS __action
  FROM cand LEFT JOIN stored ON stored.__key = cand.${key}`;
}

export function deleteUpdatedSql(table: TableName): string {
  const key = q(keyColumn(table));
  return `DELETE FROM ${q(table)} WHERE ${key} IN (SELECT ${key} FROM incoming WHERE __action = 'update')`;
}

export function insertSql(table: TableName, batchParam: string): string {
  const cols = storedColumns(table).map(q);
  return `INSERT INTO ${q(table)} (${cols.join(', ')}, batch_id)
    SELECT ${cols.map((c) => `i.${c}`).join(', ')}, ${batchParam} FROM incoming i WHERE i.__action IN ('insert', 'update')`;
}

/**
 * is_minor, when not given, comes from birth_date at the case's accepted_on, else filed_on (contract.md): a
 * person is a minor before the 18th birthday.
 */
// Runs on `typ`, before fingerprints are taken, so that reloading the same file compares like with like.
export function deriveMinorSql(): string {
  return `UPDATE typ SET is_minor = coalesce(c.accepted_on, c.filed_on) < typ.birth_date + INTERVAL 18 YEAR
    FROM cases c WHERE c.case_id = typ.case_id AND typ.is_minor IS NULL AND typ.birth_date IS NOT NULL`;
}
