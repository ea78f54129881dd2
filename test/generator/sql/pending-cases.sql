-- rules.md §2 挂案 (Seed Art. 5): rules A/B/C per suspect (刑事赔偿解释 2015 第2条(二)(三); 规则 第253条 analogue),
-- the case's earliest deadline (A before B before C on a tie), flagged when as_of > deadline, 严重 when
-- days_over > 365, 预警 when as_of <= deadline <= as_of + 90. One row per open case that has a deadline.
WITH p AS (SELECT as_of FROM params),
open_cases AS (
  SELECT c.* FROM cases c, p
  WHERE c.filed_on <= p.as_of AND NOT (c.status <> '侦查中' AND c.closed_on <= p.as_of)
),
m AS (
  SELECT m.*,
    (m.end_on IS NULL OR m.end_on > p.as_of) AS active,
    CASE m.measure
      WHEN '取保候审' THEN add_months(m.start_on, 12)
      WHEN '监视居住' THEN add_months(m.start_on, 6)
      WHEN '指定居所监视居住' THEN add_months(m.start_on, 6)
    END AS max_on
  FROM measures m, p
  WHERE m.measure <> '拘传' AND m.start_on <= p.as_of
),
per_suspect AS (
  SELECT s.suspect_id, s.case_id, oc.filed_on,
    coalesce(bool_or(m.active AND m.measure IN ('刑事拘留', '逮捕')), false) AS in_custody,
    coalesce(bool_or(m.active AND m.max_on >= p.as_of), false) AS within_max,
    min(CASE WHEN m.active AND m.max_on < p.as_of THEN add_months(m.max_on, 12) END) AS b_deadline,
    count(m.measure_id) AS measures,
    max(m.end_on) AS last_end
  FROM suspects s
  JOIN open_cases oc ON oc.case_id = s.case_id
  LEFT JOIN m ON m.suspect_id = s.suspect_id
  CROSS JOIN p
  GROUP BY s.suspect_id, s.case_id, oc.filed_on
),
deadlines AS (
  SELECT case_id, suspect_id,
    CASE WHEN b_deadline IS NOT NULL THEN 'B' WHEN measures > 0 THEN 'A' ELSE 'C' END AS rule,
    CASE
      WHEN b_deadline IS NOT NULL THEN b_deadline
      WHEN measures > 0 THEN add_months(last_end, 12)
      ELSE add_months(filed_on, 24)
    END AS deadline
  FROM per_suspect
  WHERE NOT in_custody AND NOT within_max
  UNION ALL
  SELECT oc.case_id, NULL, 'C', add_months(oc.filed_on, 24)
  FROM open_cases oc
  WHERE NOT EXISTS (SELECT 1 FROM suspects s WHERE s.case_id = oc.case_id)
),
earliest AS (
  SELECT *, row_number() OVER (PARTITION BY case_id ORDER BY deadline, rule) AS k FROM deadlines
)
SELECT e.case_id, e.suspect_id, e.rule, e.deadline,
  p.as_of - e.deadline AS days_over,
  p.as_of > e.deadline AS flagged,
  p.as_of > e.deadline AND p.as_of - e.deadline > 365 AS severe,
  p.as_of <= e.deadline AND e.deadline <= p.as_of + 90 AS warning
FROM earliest e, p
WHERE e.k = 1
