import type { DuckDBConnection } from '@duckdb/node-api';
import type { QueryModule } from '../../../queries/module.ts';
import { MODULES } from '../../../queries/registry.ts';
import { runModule } from '../../../queries/run.ts';
import { all, one } from '../../db/sql.ts';
import { beijingToday, fromJson } from './common.ts';

// Reads of special inspections within a scope. The matched cases are stored as case ids at creation; a case's
// district is its current one, joined at read time as the inspection-results module does.

/** Modules that can define an inspection: those whose rows name cases (case-timeline is one case's detail). */
export function criteriaModules(): QueryModule[] {
  return MODULES.filter(
    (m) => m.caseLevel && m.name !== 'case-timeline' && m.columns.some((c) => c.name === 'case_id'),
  );
}

const COLUMNS = `ic.inspection_campaign_id, ic.name, ic.topic, ic.start_on, ic.end_on,
  coalesce(ic.status, '进行中') AS status, ic.criteria, ic.created_by,
  strftime(ic.created_at, '%Y-%m-%d %H:%M:%S') AS created_at`;

export interface InspectionRow extends Record<string, unknown> {
  inspection_campaign_id: string;
  status: string;
  start_on: string | null;
  end_on: string | null;
}

const shape = (r: Record<string, unknown>) =>
  ({ ...r, criteria: fromJson(r.criteria) }) as unknown as InspectionRow;

/** Inspections with at least one matched case in the districts. */
export async function visibleInspections(
  conn: DuckDBConnection,
  districts: readonly string[],
  id: string | null = null,
): Promise<InspectionRow[]> {
  const rows = await all(
    conn,
    `WITH m AS (
       SELECT inspection_campaign_id, unnest(from_json(matched, '["VARCHAR"]')) AS case_id FROM inspection_campaigns
     ),
     visible AS (
       SELECT m.inspection_campaign_id, count(*) AS matched_in_scope
       FROM m JOIN cases c ON c.case_id = m.case_id
       WHERE list_contains($districts, c.district_code)
       GROUP BY m.inspection_campaign_id
     )
     SELECT ${COLUMNS}, v.matched_in_scope
     FROM inspection_campaigns ic JOIN visible v USING (inspection_campaign_id)
     WHERE $id::VARCHAR IS NULL OR ic.inspection_campaign_id = $id::VARCHAR
     ORDER BY ic.start_on DESC NULLS LAST, ic.inspection_campaign_id`,
    { districts: [...districts], id },
  );
  return rows.map(shape);
}

export async function inspectionExists(
  conn: DuckDBConnection,
  id: string,
): Promise<InspectionRow | undefined> {
  const r = await one(
    conn,
    `SELECT ${COLUMNS} FROM inspection_campaigns ic WHERE inspection_campaign_id = $id`,
    {
      id,
    },
  );
  return r && shape(r);
}

const PROGRESS = [
  'matched',
  'checked',
  'checked_share',
  'no_problem',
  'with_problem',
  'problem_share',
  'police_problem',
  'procuratorate_problem',
  'unattributed_problem',
  'rectified',
  'rectified_share',
  'open_problem',
];

/**
 * Progress from the inspection-results module itself, as of today (so every recorded check counts), in the
 * caller's scope: per inspection, or per inspection and district.
 */
export async function inspectionProgress(
  conn: DuckDBConnection,
  districts: readonly string[],
  campaign?: string,
  byDistrict = false,
): Promise<Record<string, unknown>[]> {
  const result = await runModule(
    conn,
    'inspection-results',
    {
      as_of: beijingToday(),
      group_by: byDistrict ? 'district' : 'campaign',
      ...(campaign ? { campaign } : {}),
    },
    { districts },
  );
  return result.rows.map((r) =>
    Object.fromEntries(
      ['inspection_campaign_id', ...(byDistrict ? ['district_code'] : []), ...PROGRESS].map((k) => [
        k,
        r[k] ?? null,
      ]),
    ),
  );
}

/** The latest check of each case in a campaign (the one inspection-results counts). */
const LATEST = `
  SELECT * FROM (
    SELECT f.*, row_number() OVER (
      PARTITION BY f.inspection_campaign_id, f.case_id ORDER BY f.checked_on DESC, f.inspection_finding_id DESC
    ) AS k
    FROM inspection_findings f
  ) WHERE k = 1`;

/** The matched cases of an inspection in the districts, in matching order within each district, with their check. */
export async function matchedCases(
  conn: DuckDBConnection,
  id: string,
  districts: readonly string[],
): Promise<Record<string, unknown>[]> {
  return all(
    conn,
    `SELECT m.case_id, c.district_code, c.police_unit, f.inspection_finding_id, f.checked_on, f.result,
       f.responsible, f.rectified_on
     FROM (
       SELECT unnest(l) AS case_id, generate_subscripts(l, 1) AS pos
       FROM (SELECT from_json(matched, '["VARCHAR"]') AS l FROM inspection_campaigns WHERE inspection_campaign_id = $id)
     ) m
     JOIN cases c ON c.case_id = m.case_id
     LEFT JOIN (${LATEST}) f ON f.inspection_campaign_id = $id AND f.case_id = m.case_id
     WHERE list_contains($districts, c.district_code)
     ORDER BY c.district_code, m.pos`,
    { id, districts: [...districts] },
  );
}

/** A case of an inspection's matched list with its district, whatever the scope; none when not matched. */
export async function matchedCase(
  conn: DuckDBConnection,
  id: string,
  caseId: string,
): Promise<{ case_id: string; district_code: string } | undefined> {
  return one(
    conn,
    `SELECT m.case_id, c.district_code
     FROM (SELECT unnest(from_json(matched, '["VARCHAR"]')) AS case_id FROM inspection_campaigns
           WHERE inspection_campaign_id = $id) m
     JOIN cases c ON c.case_id = m.case_id
     WHERE m.case_id = $case`,
    { id, case: caseId },
  );
}

export const FINDING_COLUMNS = `f.inspection_finding_id, f.inspection_campaign_id, f.case_id, c.district_code, f.checked_on,
  f.result, f.text, f.responsible, f.rectified_on`;

/** Findings of the inspection's matched cases in the districts (findings of other cases are not counted either). */
export async function findingsInScope(
  conn: DuckDBConnection,
  id: string,
  districts: readonly string[],
): Promise<Record<string, unknown>[]> {
  return all(
    conn,
    `SELECT ${FINDING_COLUMNS}
     FROM inspection_findings f
     JOIN cases c ON c.case_id = f.case_id
     WHERE f.inspection_campaign_id = $id AND list_contains($districts, c.district_code)
       AND f.case_id IN (SELECT unnest(from_json(matched, '["VARCHAR"]')) FROM inspection_campaigns
                         WHERE inspection_campaign_id = $id)
     ORDER BY c.district_code, f.checked_on, f.inspection_finding_id`,
    { id, districts: [...districts] },
  );
}

export async function findFinding(
  conn: DuckDBConnection,
  campaign: string,
  findingId: string,
): Promise<Record<string, unknown> | undefined> {
  return one(
    conn,
    `SELECT ${FINDING_COLUMNS}
     FROM inspection_findings f LEFT JOIN cases c ON c.case_id = f.case_id
     WHERE f.inspection_campaign_id = $campaign AND f.inspection_finding_id = $id`,
    { campaign, id: findingId },
  );
}
