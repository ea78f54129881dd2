-- zj_pending (006) again, the same rows: the suspects of the open cases are read once (open_suspects), and a case
-- without suspects is found among those instead of among all 1.19M suspects, whose case ids were hashed on every run
-- (≈ 60 ms of a district's 挂案 at an as_of outside the marts, 1M cases; measured 2026-11-28).
CREATE OR REPLACE MACRO zj_pending(as_of, districts, a_months, b_months, c_months, bail_months, rs_months) AS TABLE
WITH open_cases AS (
  SELECT c.case_id, c.filed_on, c.district_code, c.police_unit, c.charge, c.enterprise_related
  FROM cases c
  WHERE list_contains(districts, c.district_code) AND c.filed_on <= as_of
    AND NOT (c.status <> '侦查中' AND c.closed_on <= as_of)
),
-- the suspects of the open cases, read once
open_suspects AS (
  SELECT s.suspect_id, s.case_id, oc.filed_on
  FROM suspects s
  JOIN open_cases oc ON oc.case_id = s.case_id
),
m AS (
  SELECT s.suspect_id, m.measure, m.end_on,
    (m.end_on IS NULL OR m.end_on > as_of) AS active,
    CASE m.measure
      WHEN '取保候审' THEN zj_due(m.start_on, bail_months, 'month', false)
      WHEN '监视居住' THEN zj_due(m.start_on, rs_months, 'month', false)
      WHEN '指定居所监视居住' THEN zj_due(m.start_on, rs_months, 'month', false)
    END AS max_on
  FROM measures m
  JOIN open_suspects s ON s.suspect_id = m.suspect_id
  WHERE m.measure <> '拘传' AND m.start_on <= as_of
),
per_suspect AS (
  SELECT s.suspect_id, s.case_id, s.filed_on,
    count(m.measure) AS measures,
    coalesce(bool_or(m.active AND m.measure IN ('刑事拘留', '逮捕')), false) AS in_custody,
    coalesce(bool_or(m.active AND m.max_on >= as_of), false) AS within_max,
    min(CASE WHEN m.active AND m.max_on < as_of THEN m.max_on END) AS expired_max,
    max(m.end_on) AS last_end
  FROM open_suspects s
  LEFT JOIN m ON m.suspect_id = s.suspect_id
  GROUP BY s.suspect_id, s.case_id, s.filed_on
),
deadlines AS (
  SELECT case_id, suspect_id,
    CASE WHEN expired_max IS NOT NULL THEN 'B' WHEN measures > 0 THEN 'A' ELSE 'C' END AS rule,
    CASE
      WHEN expired_max IS NOT NULL THEN zj_due(expired_max, b_months, 'month', false)
      WHEN measures > 0 THEN zj_due(last_end, a_months, 'month', false)
      ELSE zj_due(filed_on, c_months, 'month', false)
    END AS deadline
  FROM per_suspect
  WHERE NOT in_custody AND NOT within_max
  UNION ALL
  SELECT oc.case_id, NULL, 'C', zj_due(oc.filed_on, c_months, 'month', false)
  FROM open_cases oc
  WHERE oc.case_id NOT IN (SELECT case_id FROM open_suspects)
)
-- the case's columns come along so that the mart answers pending-cases without touching `cases`
SELECT d.case_id, d.suspect_id, d.rule, d.deadline, oc.district_code, oc.police_unit, oc.charge, oc.filed_on, oc.enterprise_related
FROM (SELECT *, row_number() OVER (PARTITION BY case_id ORDER BY deadline, rule, suspect_id) AS k FROM deadlines) d
JOIN open_cases oc ON oc.case_id = d.case_id
WHERE d.k = 1;
