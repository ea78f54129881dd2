import type { DuckDBConnection } from '@duckdb/node-api';
import { runModule } from '../../../queries/run.ts';
import { all, one } from '../../db/sql.ts';
import { beijingToday, fromJson } from './common.ts';

// Reads of review campaigns within a scope. A campaign's sample is stored as decision ids (the audit record of
// the draw); which district an item belongs to is its case's district, joined at read time exactly as the
// review-results module does, so the API and the module always agree on who sees which item.

/** Every stored sample item with its position in the draw and its case. */
export const ITEMS = `
  SELECT x.review_campaign_id, x.decision_id, x.pos, d.case_id, d.suspect_id, c.district_code, d.decision,
    d.decided_on
  FROM (
    SELECT review_campaign_id, unnest(l) AS decision_id, generate_subscripts(l, 1) AS pos
    FROM (SELECT review_campaign_id, from_json(sample, '["VARCHAR"]') AS l FROM review_campaigns)
  ) x
  JOIN decisions d ON d.decision_id = x.decision_id
  JOIN cases c ON c.case_id = d.case_id`;

const CAMPAIGN_COLUMNS = `rc.review_campaign_id, rc.name, rc.mode, coalesce(rc.status, '进行中') AS status,
  rc.population, rc.seed, rc.population_count, rc.size, rc.created_by,
  strftime(rc.created_at, '%Y-%m-%d %H:%M:%S') AS created_at`;

export interface CampaignRow extends Record<string, unknown> {
  review_campaign_id: string;
  status: string;
  sample_in_scope: number;
}

const shape = (r: Record<string, unknown>) =>
  ({ ...r, population: fromJson(r.population) }) as unknown as CampaignRow;

/** The campaigns with at least one sampled item in the districts (a cross-district campaign shows in each). */
export async function visibleCampaigns(
  conn: DuckDBConnection,
  districts: readonly string[],
  id: string | null = null,
): Promise<CampaignRow[]> {
  const rows = await all(
    conn,
    `WITH items AS (${ITEMS}),
     visible AS (
       SELECT review_campaign_id, count(*) AS sample_in_scope FROM items
       WHERE list_contains($districts, district_code) GROUP BY review_campaign_id
     )
     SELECT ${CAMPAIGN_COLUMNS}, v.sample_in_scope
     FROM review_campaigns rc JOIN visible v USING (review_campaign_id)
     WHERE $id::VARCHAR IS NULL OR rc.review_campaign_id = $id::VARCHAR
     ORDER BY rc.created_at DESC, rc.review_campaign_id`,
    { districts: [...districts], id },
  );
  return rows.map(shape);
}

export async function campaignExists(conn: DuckDBConnection, id: string): Promise<CampaignRow | undefined> {
  const r = await one(
    conn,
    `SELECT ${CAMPAIGN_COLUMNS}, 0 AS sample_in_scope FROM review_campaigns rc WHERE rc.review_campaign_id = $id`,
    { id },
  );
  return r && shape(r);
}

/**
 * Progress per campaign from the review-results module itself (as of today, so everything recorded counts):
 * the figures a campaign page shows are the module's figures for the same scope.
 */
export async function campaignProgress(
  conn: DuckDBConnection,
  districts: readonly string[],
  campaign?: string,
): Promise<Map<string, Record<string, unknown>>> {
  const result = await runModule(
    conn,
    'review-results',
    { as_of: beijingToday(), group_by: 'campaign', ...(campaign ? { campaign } : {}) },
    { districts },
  );
  const keep = [
    'sample_size',
    'reviewed',
    'progress',
    'grade_excellent',
    'grade_pass',
    'grade_basic_pass',
    'grade_fail',
    'fail_rate',
    'with_issue',
    'issue_rate',
    'police_issue',
    'procuratorate_issue',
    'findings',
  ];
  return new Map(
    result.rows.map((r) => [
      r.review_campaign_id as string,
      Object.fromEntries(keep.map((k) => [k, r[k] ?? null])),
    ]),
  );
}

export function emptyProgress(sampleInScope: number): Record<string, unknown> {
  return {
    sample_size: sampleInScope,
    reviewed: 0,
    progress: sampleInScope > 0 ? 0 : null,
    grade_excellent: 0,
    grade_pass: 0,
    grade_basic_pass: 0,
    grade_fail: 0,
    fail_rate: null,
    with_issue: 0,
    issue_rate: null,
    police_issue: 0,
    procuratorate_issue: 0,
    findings: 0,
  };
}

/** The sampled items of a campaign in the districts, in draw order within each district, with their review. */
export async function sampleItems(
  conn: DuckDBConnection,
  id: string,
  districts: readonly string[],
): Promise<Record<string, unknown>[]> {
  return all(
    conn,
    `WITH items AS (${ITEMS})
     SELECT i.decision_id, i.case_id, i.suspect_id, i.district_code, i.decision, i.decided_on,
       r.review_id, r.grade, r.reviewed_on, r.reviewer
     FROM items i
     LEFT JOIN reviews r ON r.review_campaign_id = i.review_campaign_id AND r.decision_id = i.decision_id
     WHERE i.review_campaign_id = $id AND list_contains($districts, i.district_code)
     ORDER BY i.district_code, i.pos`,
    { id, districts: [...districts] },
  );
}

/** One sampled decision of a campaign, whatever the scope (the caller decides what to answer). */
export async function sampleItem(
  conn: DuckDBConnection,
  id: string,
  decisionId: string,
): Promise<{ case_id: string; district_code: string } | undefined> {
  return one(
    conn,
    `WITH items AS (${ITEMS})
     SELECT case_id, district_code FROM items WHERE review_campaign_id = $id AND decision_id = $d`,
    { id, d: decisionId },
  );
}

export interface ReviewRow extends Record<string, unknown> {
  review_id: string;
  review_campaign_id: string;
  decision_id: string;
  status: string;
  case_id: string | null;
  district_code: string | null;
}

/** A review with its campaign's status and its decision's case and district (NULL when the decision is gone). */
export async function findReview(conn: DuckDBConnection, id: string): Promise<ReviewRow | undefined> {
  return one<ReviewRow>(
    conn,
    `SELECT r.review_id, r.review_campaign_id, r.decision_id, r.reviewer, r.reviewed_on, r.grade,
       coalesce(rc.status, '进行中') AS status, d.case_id, c.district_code
     FROM reviews r
     LEFT JOIN review_campaigns rc ON rc.review_campaign_id = r.review_campaign_id
     LEFT JOIN decisions d ON d.decision_id = r.decision_id
     LEFT JOIN cases c ON c.case_id = d.case_id
     WHERE r.review_id = $id`,
    { id },
  );
}
