-- Shared SQL of the query modules and the marts that hold it precomputed (queries/marts.ts). Each macro is the one
-- definition of its figures: a module reads either the macro (computed for its as_of and scope) or the mart (the
-- same macro for the data-as-of date and all districts, filtered by district afterwards), so the two cannot differ.

-- 逮捕 custody (measure-overruns, case-timeline): 《刑事诉讼法》第156条 (2 months after 逮捕), 第158–159条 (each
-- approved extension adds its months). Arrests started on or before as_of of cases in districts (of the case
-- only_case, when not NULL). The clock stops at whichever comes first: the case leaving the police stage or the
-- arrest being lifted, each only when dated on or before as_of. An extension (延长侦查羁押期限 event, its note the
-- months) belongs to the arrests of its suspect (all the case's arrests when it names none) that began on or before
-- it and counts when it occurred on or before as_of; a note that is not a positive whole number extends nothing.
-- Month arithmetic is chained from the previous limit (2024-02-29 + 2 months is 04-30, not two single months) and
-- custody periods do not roll over holidays.
CREATE MACRO zj_arrest_custody(as_of, districts, only_case, custody_months) AS TABLE
WITH RECURSIVE arrests AS (
  SELECT m.measure_id, m.suspect_id, s.case_id, m.start_on,
    CASE WHEN m.end_on <= as_of THEN m.end_on END AS lifted_on,
    least(CASE WHEN c.status <> '侦查中' AND c.closed_on <= as_of THEN c.closed_on END,
          CASE WHEN m.end_on <= as_of THEN m.end_on END) AS stopped_on
  FROM measures m
  JOIN suspects s ON s.suspect_id = m.suspect_id
  JOIN cases c ON c.case_id = s.case_id
  WHERE m.measure = '逮捕' AND m.start_on <= as_of AND list_contains(districts, c.district_code)
    AND (only_case IS NULL OR c.case_id = only_case)
),
-- each arrest's extension months in order, gathered before the recursion: a recursive step that joined events would
-- scan them once per step
extensions AS (
  SELECT a.measure_id, list(TRY_CAST(e.note AS INTEGER) ORDER BY e.occurred_at, e.event_id) AS months
  FROM arrests a
  JOIN events e ON e.case_id = a.case_id AND e.event = '延长侦查羁押期限'
    AND (e.suspect_id IS NULL OR e.suspect_id = a.suspect_id)
  WHERE e.occurred_at::DATE >= a.start_on AND e.occurred_at::DATE <= as_of
    AND TRY_CAST(e.note AS INTEGER) > 0
    -- said again on events so that one case's timeline reads that case's events, not all of them
    AND (only_case IS NULL OR e.case_id = only_case)
  GROUP BY a.measure_id
),
limits AS (
  SELECT a.measure_id, 0 AS k, zj_due(a.start_on, custody_months, 'month', false) AS limit_on,
    coalesce(x.months, []::INTEGER[]) AS months
  FROM arrests a LEFT JOIN extensions x USING (measure_id)
  UNION ALL
  SELECT measure_id, k + 1, zj_due(limit_on, months[k + 1], 'month', false), months
  FROM limits
  WHERE k < len(months)
),
final_limits AS (SELECT measure_id, arg_max(limit_on, k) AS limit_on FROM limits GROUP BY measure_id)
SELECT a.measure_id, a.suspect_id, a.case_id, a.start_on, a.lifted_on, a.stopped_on, l.limit_on
FROM arrests a JOIN final_limits l USING (measure_id);

-- 强制措施超期 findings (measure-overruns; spec/rules.md §7; domain-research M-33, M-34, M-34c) at as_of, of cases in
-- districts: 逾期未解除 / 逾期解除 (取保候审 past bail_months, 监视居住 and 指定居所监视居住 past rs_months: 《刑事诉讼法》第79条),
-- 超期羁押 (逮捕 custody past zj_arrest_custody's limit), 拘留超期 (刑事拘留 past detention_days, 第91条: it ends when lifted
-- or when the suspect's 逮捕 begins, whichever is recorded first), 退查超次数 (审查起诉/审查逮捕 decisions decided on or before
-- as_of with returns above max_returns, 第175条). None of these periods rolls over for holidays; a lifting or
-- closing dated after as_of has not happened yet at as_of. Unordered (the module sorts).
CREATE MACRO zj_measure_overruns(as_of, districts, bail_months, rs_months, custody_months, detention_days, max_returns)
AS TABLE
WITH m AS (
  SELECT m.measure_id, m.suspect_id, m.measure, m.start_on,
    CASE WHEN m.end_on <= as_of THEN m.end_on END AS lifted_on,
    s.case_id, c.district_code, c.police_unit
  FROM measures m
  JOIN suspects s ON s.suspect_id = m.suspect_id
  JOIN cases c ON c.case_id = s.case_id
  WHERE list_contains(districts, c.district_code) AND m.start_on <= as_of
    AND m.measure IN ('取保候审', '监视居住', '指定居所监视居住', '刑事拘留')
),
arrests AS (
  SELECT a.*, c.district_code, c.police_unit
  FROM zj_arrest_custody(as_of, districts, NULL, custody_months) a
  JOIN cases c ON c.case_id = a.case_id
),
noncustodial AS (
  SELECT *,
    zj_due(start_on, CASE measure WHEN '取保候审' THEN bail_months ELSE rs_months END, 'month', false) AS limit_on
  FROM m
  WHERE measure IN ('取保候审', '监视居住', '指定居所监视居住')
),
detentions AS (
  SELECT d.*,
    least(d.lifted_on, (SELECT min(a.start_on) FROM arrests a
                        WHERE a.suspect_id = d.suspect_id AND a.start_on >= d.start_on)) AS stopped_on,
    zj_due(d.start_on, detention_days, 'day', false) AS limit_on
  FROM m d
  WHERE d.measure = '刑事拘留'
)
SELECT CASE WHEN lifted_on IS NULL THEN '逾期未解除' ELSE '逾期解除' END AS kind, measure, measure_id,
  NULL::VARCHAR AS decision_id, suspect_id, case_id, district_code, police_unit, start_on, limit_on,
  lifted_on AS end_on, (coalesce(lifted_on, as_of) - limit_on)::INTEGER AS days_over, NULL::INTEGER AS returns,
  CASE measure
    WHEN '取保候审' THEN '《刑事诉讼法》第79条：取保候审最长不得超过十二个月，期限届满应当及时解除'
    ELSE '《刑事诉讼法》第79条：监视居住最长不得超过六个月，期限届满应当及时解除'
  END AS basis
FROM noncustodial
WHERE coalesce(lifted_on, as_of) > limit_on
UNION ALL
SELECT '超期羁押', '逮捕', measure_id, NULL, suspect_id, case_id, district_code, police_unit,
  start_on, limit_on, stopped_on, (coalesce(stopped_on, as_of) - limit_on)::INTEGER, NULL,
  '《刑事诉讼法》第156条、第158条、第159条：逮捕后的侦查羁押期限不得超过二个月，经批准方可延长'
FROM arrests
WHERE coalesce(stopped_on, as_of) > limit_on
UNION ALL
SELECT '拘留超期', measure, measure_id, NULL, suspect_id, case_id, district_code, police_unit, start_on, limit_on,
  stopped_on, (coalesce(stopped_on, as_of) - limit_on)::INTEGER, NULL,
  '《刑事诉讼法》第91条：拘留后提请批准逮捕最长三十日，人民检察院审查批准逮捕七日'
FROM detentions
WHERE coalesce(stopped_on, as_of) > limit_on
UNION ALL
SELECT '退查超次数', NULL, NULL, d.decision_id, d.suspect_id, d.case_id, c.district_code, c.police_unit,
  d.received_on, NULL, d.decided_on, NULL, d.returns,
  '《刑事诉讼法》第175条：退回补充侦查以二次为限'
FROM decisions d
JOIN cases c ON c.case_id = d.case_id
WHERE list_contains(districts, c.district_code) AND d.decided_on <= as_of AND d.returns > max_returns;

-- Decisions with their case's district, police unit, charge and the charge's chapter (decision-rates, objections),
-- and next_decided_on: the decided_on of the same suspect's next decision at the same stage in the same district
-- (order: decided_on, then decision_id). A decision is the latest of its suspect and stage within [wf, wt] exactly
-- when decided_on is in the window and next_decided_on is NULL or after wt — the per-window ranking of rules.md §5
-- without a sort per window. The partition includes the district so that filtering by district (before or after)
-- gives the same rows. No as_of: it depends on the loaded data only.
CREATE MACRO zj_decision_facts(districts) AS TABLE
SELECT d.decision_id, d.case_id, d.suspect_id, d.stage, d.decision, d.received_on, d.decided_on, d.returns,
  d.recon_filed_on, d.recon_decided_on, d.recon_result, d.upper_review_filed_on, d.upper_review_decided_on,
  d.upper_review_result, c.district_code, c.police_unit, c.charge, ch.chapter_no, ch.chapter,
  lead(d.decided_on) OVER (
    PARTITION BY d.suspect_id, d.stage, c.district_code ORDER BY d.decided_on, d.decision_id
  ) AS next_decided_on
FROM decisions d
JOIN cases c ON c.case_id = d.case_id
LEFT JOIN charges ch ON ch.name = c.charge
WHERE list_contains(districts, c.district_code);

-- File receipt (file-receipt, M-41; 京检发〔2022〕169号 第15条): per decision with received_on in [from_on, to_on] (NULL:
-- unbounded) of cases in districts, the police event it answers (提请批准逮捕 for 审查逮捕, 移送审查起诉 for 审查起诉) and
-- event_at, the latest such event of the case on or before received_on, of the decision's suspect when the event
-- names one. No as_of: it depends on the loaded data only.
CREATE MACRO zj_receipts(districts, from_on, to_on) AS TABLE
WITH r AS (
  SELECT d.decision_id, d.case_id, d.suspect_id, c.district_code, c.police_unit, d.stage,
    CASE d.stage WHEN '审查逮捕' THEN '提请批准逮捕' ELSE '移送审查起诉' END AS event,
    d.received_on
  FROM decisions d
  JOIN cases c ON c.case_id = d.case_id
  WHERE list_contains(districts, c.district_code)
    AND (from_on IS NULL OR d.received_on >= from_on) AND (to_on IS NULL OR d.received_on <= to_on)
),
candidates AS (
  SELECT r.decision_id, max(e.occurred_at) AS event_at
  FROM r
  JOIN events e ON e.case_id = r.case_id AND e.event = r.event
  WHERE (e.suspect_id IS NULL OR e.suspect_id = r.suspect_id) AND e.occurred_at::DATE <= r.received_on
  GROUP BY r.decision_id
)
SELECT r.*, c.event_at FROM r LEFT JOIN candidates c USING (decision_id);

-- 48小时速裁 marks (fast-track-48h; 京检发〔2022〕169号 第19条) at as_of: per suspect with a 审查起诉 decision that has
-- fast_track and plea, decided on or before as_of, of cases in districts, the first time of each event that occurred
-- on or before as_of: the suspect's 刑事拘留, the case's 立案, 移送审查起诉 and 提起公诉 (the suspect's or the case's),
-- 一审宣判 (the suspect's, else the case's one that names no suspect).
CREATE MACRO zj_fast_track_marks(as_of, districts) AS TABLE
WITH ft AS (
  SELECT DISTINCT d.suspect_id, d.case_id, c.district_code, c.police_unit, c.filed_on
  FROM decisions d
  JOIN cases c ON c.case_id = d.case_id
  WHERE list_contains(districts, c.district_code) AND d.stage = '审查起诉' AND d.fast_track AND d.plea
    AND d.decided_on <= as_of
)
SELECT ft.suspect_id, ft.case_id, ft.district_code, ft.police_unit, ft.filed_on,
  min(e.occurred_at) FILTER (WHERE e.event = '刑事拘留' AND e.suspect_id = ft.suspect_id) AS detained_at,
  min(e.occurred_at) FILTER (WHERE e.event = '立案') AS filing_at,
  min(e.occurred_at) FILTER (WHERE e.event = '移送审查起诉' AND coalesce(e.suspect_id, ft.suspect_id) = ft.suspect_id)
    AS transferred_at,
  min(e.occurred_at) FILTER (WHERE e.event = '提起公诉' AND coalesce(e.suspect_id, ft.suspect_id) = ft.suspect_id)
    AS prosecuted_at,
  coalesce(min(e.occurred_at) FILTER (WHERE e.event = '一审宣判' AND e.suspect_id = ft.suspect_id),
           min(e.occurred_at) FILTER (WHERE e.event = '一审宣判' AND e.suspect_id IS NULL)) AS judged_at
FROM ft
LEFT JOIN events e ON e.case_id = ft.case_id AND e.occurred_at < (as_of + 1)::TIMESTAMP
GROUP BY ALL;

-- Pushes to the shared platform (data-flow-lag; 京检发〔2022〕169号 第25条; M-45, M-46): events with occurred_at, decisions
-- with decided_on, supervision records with issued_on on a day in [from_on, to_on] (NULL: unbounded), of cases (for
-- supervision: records) in districts. Late: an event whose recorded_at − occurred_at exceeds event_late_hours hours
-- (to the second); a decision or record whose recorded date − decided_on / issued_on exceeds record_late_days days.
-- Missing: no recorded_at. Lateness does not depend on as_of, so a day's counts hold for every as_of after it.
CREATE MACRO zj_pushes(districts, from_on, to_on, event_late_hours, record_late_days) AS TABLE
SELECT '流程节点' AS source, e.event_id AS record_id, e.case_id, c.district_code, c.police_unit, e.event AS item,
  e.occurred_at, e.occurred_at::DATE AS occurred_on, e.recorded_at,
  (epoch(e.recorded_at) - epoch(e.occurred_at)) / 3600.0 AS lag_hours, NULL::INTEGER AS lag_days,
  epoch(e.recorded_at) - epoch(e.occurred_at) > event_late_hours * 3600 AS late
FROM events e
JOIN cases c ON c.case_id = e.case_id
WHERE list_contains(districts, c.district_code)
  AND (to_on IS NULL OR e.occurred_at < (to_on + 1)::TIMESTAMP)
  AND (from_on IS NULL OR e.occurred_at >= from_on::TIMESTAMP)
UNION ALL
SELECT '决定', d.decision_id, d.case_id, c.district_code, c.police_unit, d.decision, NULL, d.decided_on,
  d.recorded_at, NULL, (d.recorded_at::DATE - d.decided_on)::INTEGER,
  d.recorded_at::DATE - d.decided_on > record_late_days
FROM decisions d
JOIN cases c ON c.case_id = d.case_id
WHERE list_contains(districts, c.district_code)
  AND (to_on IS NULL OR d.decided_on <= to_on) AND (from_on IS NULL OR d.decided_on >= from_on)
UNION ALL
SELECT '监督记录', s.record_id, s.case_id, s.district_code, s.police_unit, s.form, NULL, s.issued_on,
  s.recorded_at, NULL, (s.recorded_at::DATE - s.issued_on)::INTEGER,
  s.recorded_at::DATE - s.issued_on > record_late_days
FROM supervision s
WHERE list_contains(districts, s.district_code)
  AND (to_on IS NULL OR s.issued_on <= to_on) AND (from_on IS NULL OR s.issued_on >= from_on);

-- zj_pushes counted per source, district and day: the summary of data-flow-lag sums the days of its window.
CREATE MACRO zj_push_days(districts, from_on, to_on, event_late_hours, record_late_days) AS TABLE
SELECT source, district_code, occurred_on, count(*) AS total, count(*) FILTER (WHERE late) AS late,
  count(*) FILTER (WHERE recorded_at IS NULL) AS missing
FROM zj_pushes(districts, from_on, to_on, event_late_hours, record_late_days)
GROUP BY source, district_code, occurred_on;

-- The marts: each macro's rows for the data-as-of date (where it takes one) and all districts. mart_state (007)
-- records the as_of and the fingerprint (thresholds, last batch) each was built with.
CREATE TABLE mart_measure_overruns (
  kind VARCHAR, measure VARCHAR, measure_id VARCHAR, decision_id VARCHAR, suspect_id VARCHAR, case_id VARCHAR,
  district_code VARCHAR, police_unit VARCHAR, start_on DATE, limit_on DATE, end_on DATE, days_over INTEGER,
  returns INTEGER, basis VARCHAR
);
CREATE TABLE mart_decision_facts (
  decision_id VARCHAR, case_id VARCHAR, suspect_id VARCHAR, stage VARCHAR, decision VARCHAR, received_on DATE,
  decided_on DATE, returns INTEGER, recon_filed_on DATE, recon_decided_on DATE, recon_result VARCHAR,
  upper_review_filed_on DATE, upper_review_decided_on DATE, upper_review_result VARCHAR, district_code VARCHAR,
  police_unit VARCHAR, charge VARCHAR, chapter_no INTEGER, chapter VARCHAR, next_decided_on DATE
);
CREATE TABLE mart_receipts (
  decision_id VARCHAR, case_id VARCHAR, suspect_id VARCHAR, district_code VARCHAR, police_unit VARCHAR,
  stage VARCHAR, event VARCHAR, received_on DATE, event_at TIMESTAMP
);
CREATE TABLE mart_fast_track_marks (
  suspect_id VARCHAR, case_id VARCHAR, district_code VARCHAR, police_unit VARCHAR, filed_on DATE,
  detained_at TIMESTAMP, filing_at TIMESTAMP, transferred_at TIMESTAMP, prosecuted_at TIMESTAMP, judged_at TIMESTAMP
);
CREATE TABLE mart_push_days (
  source VARCHAR, district_code VARCHAR, occurred_on DATE, total BIGINT, late BIGINT, missing BIGINT
);
