-- Early involvement (early-involvement) — 京检发〔2022〕169号 第10–13条 (提前介入 at the police's request in 重大、疑难、
-- 复杂 cases; 第11条 "谁介入、谁办案": the prosecutor who intervened handles the case afterwards); 《人民检察院刑事诉讼规则》
-- 第256条. Metrics M-30 (involvement rate of major cases) and M-30b (continuity) of domain-research.md.
-- Population: cases in $districts filed in [$from, $to]; their 提前介入 events and decisions up to $as_of.
-- A case is involved when it has a 提前介入 event; the intervening prosecutors are those events' actor_person. It
-- reached the procuratorate when a decision with a prosecutor_id was made on or after the first involvement; it is
-- continuous when every such decision's prosecutor_id is one of the intervening prosecutors.
-- Date fields: cases.filed_on (population), events.occurred_at and decisions.decided_on (up to $as_of).
-- Parameters: $from, $to, $as_of, $view (summary: one row per group; breaks: the involved cases that reached the
-- procuratorate without continuity), $group_by (district, all), $districts.
WITH filed AS (
  SELECT c.case_id, c.district_code, c.police_unit, c.filed_on, c.major_case
  FROM cases c
  WHERE list_contains($districts, c.district_code) AND c.filed_on BETWEEN $from::DATE AND $to::DATE
),
involvement AS (
  SELECT e.case_id, min(e.occurred_at)::DATE AS involved_on,
    list_sort(list_distinct(list(e.actor_person) FILTER (WHERE e.actor_person IS NOT NULL))) AS involved_by
  FROM events e
  JOIN filed f ON f.case_id = e.case_id
  WHERE e.event = '提前介入' AND e.occurred_at::DATE <= $as_of::DATE
  GROUP BY e.case_id
),
later AS (
  SELECT i.case_id,
    list_sort(list_distinct(list(d.prosecutor_id))) AS prosecutors,
    bool_and(list_contains(i.involved_by, d.prosecutor_id)) AS continuous
  FROM involvement i
  JOIN decisions d ON d.case_id = i.case_id
  WHERE d.prosecutor_id IS NOT NULL AND d.decided_on >= i.involved_on AND d.decided_on <= $as_of::DATE
  GROUP BY i.case_id
),
per_case AS (
  SELECT f.*, i.involved_on, i.involved_by, l.prosecutors, l.continuous,
    i.case_id IS NOT NULL AS involved, l.case_id IS NOT NULL AS reached
  FROM filed f
  LEFT JOIN involvement i USING (case_id)
  LEFT JOIN later l USING (case_id)
),
summary AS (
  SELECT CASE WHEN $group_by = 'district' THEN district_code END AS district_code,
    count(*) FILTER (WHERE major_case) AS major_cases,
    count(*) FILTER (WHERE major_case AND involved) AS involved_major,
    count(*) FILTER (WHERE involved) AS involved,
    count(*) FILTER (WHERE reached) AS reached,
    count(*) FILTER (WHERE reached AND continuous) AS continuous
  FROM per_case
  WHERE $view = 'summary'
  GROUP BY ALL
)
SELECT s.district_code, NULL::VARCHAR AS case_id, NULL::VARCHAR AS police_unit, NULL::DATE AS filed_on,
  NULL::BOOLEAN AS major_case, NULL::DATE AS involved_on, NULL::VARCHAR AS involved_by, NULL::VARCHAR AS prosecutors,
  s.major_cases, s.involved_major, s.involved_major::DOUBLE / nullif(s.major_cases, 0) AS involvement_rate,
  s.involved, s.reached, s.continuous, s.continuous::DOUBLE / nullif(s.reached, 0) AS continuity_rate,
  '京检发〔2022〕169号 第10–13条；《人民检察院刑事诉讼规则》第256条' AS basis
FROM summary s
WHERE len($districts) > 0
UNION ALL
SELECT p.district_code, p.case_id, p.police_unit, p.filed_on, p.major_case, p.involved_on,
  array_to_string(p.involved_by, '、'), array_to_string(p.prosecutors, '、'),
  NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  '京检发〔2022〕169号 第11条：谁介入、谁办案，介入的检察官原则上承办该案审查逮捕、审查起诉'
FROM per_case p
WHERE $view = 'breaks' AND p.reached AND NOT p.continuous
ORDER BY district_code, filed_on, case_id
