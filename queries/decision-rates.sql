-- 不捕率 / 不诉率 and objections (decision-rates) — spec/rules.md §5; 京检发〔2022〕169号 第9条 (the population of the joint
-- review), metrics M-01, M-03, M-07, M-10, M-11, M-14 of domain-research.md.
-- Legal basis: 《刑事诉讼法》第81条、第90条、第92条 (审查逮捕, 不批准逮捕 and its 复议/复核), 第175条 (退回补充侦查),
-- 第177条、第179条 (不起诉 and its 复议/复核); 《人民检察院刑事诉讼规则》第290–291条、第379–380条.
-- Unit: persons. Per window, suspect and stage the latest decision with decided_on in the window counts (latest
-- decided_on, then the greatest decision_id). A 复议/复核 stays on its original row: a 变更 does not move the person out
-- of 不批准逮捕 / 不起诉; objections count on the window's decisions whenever they were filed or decided.
-- Date field: decisions.decided_on. District, police unit and charge are the decision's case's; the chapter comes
-- from the reference table `charges` (NULL for a historical name that has no current successor).
-- Parameters: $from, $to (derived defaults: 1 January of to's year; to = the as-of date), $group_by (all, district,
-- police_unit, charge, chapter, month, quarter — a zod enum), $districts.
-- Windows: each row's own period [period_from, period_to] is [from, to], or one calendar month / quarter of it cut to
-- [from, to]; 同比 (_yoy) is that period 12 months earlier by month arithmetic (zj_add_months, so a month's last day
-- stays a last day); 环比 (_pop) is the previous calendar year, quarter or month when the period is exactly one,
-- else the window of the same length that ends the day before period_from.
-- The windows come from the table macro zj_compare_windows (src/db/migrations/014_compare_windows.sql), shared with
-- the other windowed module.
-- Rates are fractions with a NULL, never 0, for a zero denominator; each comes with its numerator and denominator.
WITH windows AS (SELECT * FROM zj_compare_windows($from::DATE, $to::DATE, $group_by)),
spans AS (
  SELECT pid, 'cur' AS kind, pf AS wf, pt AS wt FROM windows
  UNION ALL SELECT pid, 'yoy', yf, yt FROM windows
  UNION ALL SELECT pid, 'pop', qf, qt FROM windows
),
-- a person counts once per window and stage: with the decision that is the latest in the window (zj_decision_facts'
-- next_decided_on, src/db/migrations/008_module_marts.sql; from its mart when that is current)
persons AS (
  SELECT s.wf, s.wt, d.stage, d.decision, d.returns, d.recon_filed_on, d.recon_result, d.upper_review_filed_on,
    d.upper_review_result, d.district_code, d.police_unit, d.charge, d.chapter_no, d.chapter
  -- each distinct window once: a year-to-date window at the year's end has the same 同比 and 环比 window
  FROM (SELECT DISTINCT wf, wt FROM spans) s
  JOIN /*MART:decision_facts*/ d ON d.decided_on BETWEEN s.wf AND s.wt
    AND (d.next_decided_on IS NULL OR d.next_decided_on > s.wt)
  WHERE list_contains($districts, d.district_code)
),
-- persons of one window and group counted per kind first (few rows), so that the figures below filter those
kinds AS (
  SELECT wf, wt,
    CASE WHEN $group_by IN ('district', 'police_unit') THEN district_code END AS district_code,
    CASE WHEN $group_by = 'police_unit' THEN police_unit END AS police_unit,
    CASE WHEN $group_by = 'charge' THEN charge END AS charge,
    CASE WHEN $group_by = 'chapter' THEN chapter_no END AS chapter_no,
    CASE WHEN $group_by = 'chapter' THEN chapter END AS chapter,
    stage, decision, recon_filed_on IS NOT NULL OR recon_result IS NOT NULL AS recon, recon_result,
    upper_review_filed_on IS NOT NULL OR upper_review_result IS NOT NULL AS upper_review, upper_review_result,
    returns >= 1 AS returned_any, count(*) AS n
  FROM persons
  GROUP BY ALL
),
window_counts AS (
  SELECT wf, wt, district_code, police_unit, charge, chapter_no, chapter,
    sum(n) FILTER (WHERE decision = '批准逮捕') AS arrest,
    sum(n) FILTER (WHERE decision = '不批准逮捕') AS non_arrest,
    sum(n) FILTER (WHERE stage = '审查逮捕') AS arrest_decided,
    sum(n) FILTER (WHERE decision = '不批准逮捕' AND recon) AS arrest_recon,
    sum(n) FILTER (WHERE decision = '不批准逮捕' AND recon_result IS NOT NULL) AS arrest_recon_decided,
    sum(n) FILTER (WHERE decision = '不批准逮捕' AND recon_result = '变更') AS arrest_recon_changed,
    sum(n) FILTER (
      WHERE decision = '不批准逮捕' AND upper_review
    ) AS arrest_upper_review,
    sum(n) FILTER (WHERE decision = '不批准逮捕' AND upper_review_result IS NOT NULL) AS arrest_upper_review_decided,
    sum(n) FILTER (WHERE decision = '不批准逮捕' AND upper_review_result = '变更') AS arrest_upper_review_changed,
    sum(n) FILTER (WHERE decision = '起诉') AS prosecution,
    sum(n) FILTER (WHERE decision = '不起诉') AS non_prosecution,
    sum(n) FILTER (WHERE stage = '审查起诉') AS prosecution_decided,
    sum(n) FILTER (WHERE decision = '不起诉' AND recon) AS prosecution_recon,
    sum(n) FILTER (WHERE decision = '不起诉' AND recon_result IS NOT NULL) AS prosecution_recon_decided,
    sum(n) FILTER (WHERE decision = '不起诉' AND recon_result = '变更') AS prosecution_recon_changed,
    sum(n) FILTER (
      WHERE decision = '不起诉' AND upper_review
    ) AS prosecution_upper_review,
    sum(n) FILTER (WHERE decision = '不起诉' AND upper_review_result IS NOT NULL) AS prosecution_upper_review_decided,
    sum(n) FILTER (WHERE decision = '不起诉' AND upper_review_result = '变更') AS prosecution_upper_review_changed,
    sum(n) FILTER (WHERE stage = '审查起诉' AND returned_any) AS returned
  FROM kinds
  GROUP BY ALL
),
counts AS (
  SELECT s.pid, s.kind, c.* EXCLUDE (wf, wt)
  FROM spans s
  JOIN window_counts c ON c.wf = s.wf AND c.wt = s.wt
),
-- every period is a row even without decisions (but an empty scope shows nothing); other groups are those with a
-- decision in any of the three windows
padded AS (
  SELECT * FROM counts
  UNION ALL BY NAME
  SELECT pid, 'none' AS kind FROM windows WHERE $group_by IN ('all', 'month', 'quarter') AND len($districts) > 0
),
per_group AS (
  SELECT pid, district_code, police_unit, charge, chapter_no, chapter,
    coalesce(sum(arrest) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS arrest,
    coalesce(sum(non_arrest) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS non_arrest,
    coalesce(sum(arrest_decided) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS arrest_decided,
    coalesce(sum(arrest_recon) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS arrest_recon,
    coalesce(sum(arrest_recon_decided) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS arrest_recon_decided,
    coalesce(sum(arrest_recon_changed) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS arrest_recon_changed,
    coalesce(sum(arrest_upper_review) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS arrest_upper_review,
    coalesce(sum(arrest_upper_review_decided) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS arrest_upper_review_decided,
    coalesce(sum(arrest_upper_review_changed) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS arrest_upper_review_changed,
    coalesce(sum(prosecution) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS prosecution,
    coalesce(sum(non_prosecution) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS non_prosecution,
    coalesce(sum(prosecution_decided) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS prosecution_decided,
    coalesce(sum(prosecution_recon) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS prosecution_recon,
    coalesce(sum(prosecution_recon_decided) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS prosecution_recon_decided,
    coalesce(sum(prosecution_recon_changed) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS prosecution_recon_changed,
    coalesce(sum(prosecution_upper_review) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS prosecution_upper_review,
    coalesce(sum(prosecution_upper_review_decided) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS prosecution_upper_review_decided,
    coalesce(sum(prosecution_upper_review_changed) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS prosecution_upper_review_changed,
    coalesce(sum(returned) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS returned,
    coalesce(sum(arrest) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS arrest_yoy,
    coalesce(sum(non_arrest) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS non_arrest_yoy,
    coalesce(sum(arrest_decided) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS arrest_decided_yoy,
    coalesce(sum(arrest_recon) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS arrest_recon_yoy,
    coalesce(sum(arrest_recon_decided) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS arrest_recon_decided_yoy,
    coalesce(sum(arrest_recon_changed) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS arrest_recon_changed_yoy,
    coalesce(sum(arrest_upper_review) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS arrest_upper_review_yoy,
    coalesce(sum(arrest_upper_review_decided) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS arrest_upper_review_decided_yoy,
    coalesce(sum(arrest_upper_review_changed) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS arrest_upper_review_changed_yoy,
    coalesce(sum(prosecution) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS prosecution_yoy,
    coalesce(sum(non_prosecution) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS non_prosecution_yoy,
    coalesce(sum(prosecution_decided) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS prosecution_decided_yoy,
    coalesce(sum(prosecution_recon) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS prosecution_recon_yoy,
    coalesce(sum(prosecution_recon_decided) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS prosecution_recon_decided_yoy,
    coalesce(sum(prosecution_recon_changed) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS prosecution_recon_changed_yoy,
    coalesce(sum(prosecution_upper_review) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS prosecution_upper_review_yoy,
    coalesce(sum(prosecution_upper_review_decided) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS prosecution_upper_review_decided_yoy,
    coalesce(sum(prosecution_upper_review_changed) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS prosecution_upper_review_changed_yoy,
    coalesce(sum(returned) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS returned_yoy,
    coalesce(sum(arrest) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS arrest_pop,
    coalesce(sum(non_arrest) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS non_arrest_pop,
    coalesce(sum(arrest_decided) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS arrest_decided_pop,
    coalesce(sum(arrest_recon) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS arrest_recon_pop,
    coalesce(sum(arrest_recon_decided) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS arrest_recon_decided_pop,
    coalesce(sum(arrest_recon_changed) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS arrest_recon_changed_pop,
    coalesce(sum(arrest_upper_review) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS arrest_upper_review_pop,
    coalesce(sum(arrest_upper_review_decided) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS arrest_upper_review_decided_pop,
    coalesce(sum(arrest_upper_review_changed) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS arrest_upper_review_changed_pop,
    coalesce(sum(prosecution) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS prosecution_pop,
    coalesce(sum(non_prosecution) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS non_prosecution_pop,
    coalesce(sum(prosecution_decided) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS prosecution_decided_pop,
    coalesce(sum(prosecution_recon) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS prosecution_recon_pop,
    coalesce(sum(prosecution_recon_decided) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS prosecution_recon_decided_pop,
    coalesce(sum(prosecution_recon_changed) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS prosecution_recon_changed_pop,
    coalesce(sum(prosecution_upper_review) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS prosecution_upper_review_pop,
    coalesce(sum(prosecution_upper_review_decided) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS prosecution_upper_review_decided_pop,
    coalesce(sum(prosecution_upper_review_changed) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS prosecution_upper_review_changed_pop,
    coalesce(sum(returned) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS returned_pop
  FROM padded
  GROUP BY pid, district_code, police_unit, charge, chapter_no, chapter
)
SELECT
  p.district_code, p.police_unit, p.charge, p.chapter_no, p.chapter, w.month, w.quarter,
  w.pf AS period_from, w.pt AS period_to, w.yf AS yoy_from, w.yt AS yoy_to, w.qf AS pop_from, w.qt AS pop_to,
  arrest, non_arrest, arrest_decided, non_arrest::DOUBLE / nullif(arrest_decided, 0) AS non_arrest_rate,
  arrest_recon, arrest_recon::DOUBLE / nullif(non_arrest, 0) AS arrest_recon_rate, arrest_recon_decided,
  arrest_recon_changed,
  arrest_recon_changed::DOUBLE / nullif(arrest_recon_decided, 0) AS arrest_recon_changed_rate,
  arrest_upper_review, arrest_upper_review_decided, arrest_upper_review_changed,
  arrest_upper_review_changed::DOUBLE / nullif(arrest_upper_review_decided, 0) AS arrest_upper_review_changed_rate,
  prosecution, non_prosecution, prosecution_decided,
  non_prosecution::DOUBLE / nullif(prosecution_decided, 0) AS non_prosecution_rate, prosecution_recon,
  prosecution_recon::DOUBLE / nullif(non_prosecution, 0) AS prosecution_recon_rate, prosecution_recon_decided,
  prosecution_recon_changed,
  prosecution_recon_changed::DOUBLE / nullif(prosecution_recon_decided, 0) AS prosecution_recon_changed_rate,
  prosecution_upper_review, prosecution_upper_review_decided, prosecution_upper_review_changed,
  prosecution_upper_review_changed::DOUBLE / nullif(prosecution_upper_review_decided, 0) AS prosecution_upper_review_changed_rate,
  returned, returned::DOUBLE / nullif(prosecution_decided, 0) AS return_rate, arrest_yoy, non_arrest_yoy,
  arrest_decided_yoy, non_arrest_yoy::DOUBLE / nullif(arrest_decided_yoy, 0) AS non_arrest_rate_yoy,
  arrest_recon_yoy, arrest_recon_yoy::DOUBLE / nullif(non_arrest_yoy, 0) AS arrest_recon_rate_yoy,
  arrest_recon_decided_yoy, arrest_recon_changed_yoy,
  arrest_recon_changed_yoy::DOUBLE / nullif(arrest_recon_decided_yoy, 0) AS arrest_recon_changed_rate_yoy,
  arrest_upper_review_yoy, arrest_upper_review_decided_yoy, arrest_upper_review_changed_yoy,
  arrest_upper_review_changed_yoy::DOUBLE / nullif(arrest_upper_review_decided_yoy, 0) AS arrest_upper_review_changed_rate_yoy,
  prosecution_yoy, non_prosecution_yoy, prosecution_decided_yoy,
  non_prosecution_yoy::DOUBLE / nullif(prosecution_decided_yoy, 0) AS non_prosecution_rate_yoy,
  prosecution_recon_yoy,
  prosecution_recon_yoy::DOUBLE / nullif(non_prosecution_yoy, 0) AS prosecution_recon_rate_yoy,
  prosecution_recon_decided_yoy, prosecution_recon_changed_yoy,
  prosecution_recon_changed_yoy::DOUBLE / nullif(prosecution_recon_decided_yoy, 0) AS prosecution_recon_changed_rate_yoy,
  prosecution_upper_review_yoy, prosecution_upper_review_decided_yoy, prosecution_upper_review_changed_yoy,
  prosecution_upper_review_changed_yoy::DOUBLE / nullif(prosecution_upper_review_decided_yoy, 0) AS prosecution_upper_review_changed_rate_yoy,
  returned_yoy, returned_yoy::DOUBLE / nullif(prosecution_decided_yoy, 0) AS return_rate_yoy, arrest_pop,
  non_arrest_pop, arrest_decided_pop,
  non_arrest_pop::DOUBLE / nullif(arrest_decided_pop, 0) AS non_arrest_rate_pop, arrest_recon_pop,
  arrest_recon_pop::DOUBLE / nullif(non_arrest_pop, 0) AS arrest_recon_rate_pop, arrest_recon_decided_pop,
  arrest_recon_changed_pop,
  arrest_recon_changed_pop::DOUBLE / nullif(arrest_recon_decided_pop, 0) AS arrest_recon_changed_rate_pop,
  arrest_upper_review_pop, arrest_upper_review_decided_pop, arrest_upper_review_changed_pop,
  arrest_upper_review_changed_pop::DOUBLE / nullif(arrest_upper_review_decided_pop, 0) AS arrest_upper_review_changed_rate_pop,
  prosecution_pop, non_prosecution_pop, prosecution_decided_pop,
  non_prosecution_pop::DOUBLE / nullif(prosecution_decided_pop, 0) AS non_prosecution_rate_pop,
  prosecution_recon_pop,
  prosecution_recon_pop::DOUBLE / nullif(non_prosecution_pop, 0) AS prosecution_recon_rate_pop,
  prosecution_recon_decided_pop, prosecution_recon_changed_pop,
  prosecution_recon_changed_pop::DOUBLE / nullif(prosecution_recon_decided_pop, 0) AS prosecution_recon_changed_rate_pop,
  prosecution_upper_review_pop, prosecution_upper_review_decided_pop, prosecution_upper_review_changed_pop,
  prosecution_upper_review_changed_pop::DOUBLE / nullif(prosecution_upper_review_decided_pop, 0) AS prosecution_upper_review_changed_rate_pop,
  returned_pop, returned_pop::DOUBLE / nullif(prosecution_decided_pop, 0) AS return_rate_pop
FROM per_group p
JOIN windows w USING (pid)
ORDER BY w.pf, p.district_code, p.police_unit, p.chapter_no, p.charge
