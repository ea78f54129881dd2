-- 刑事立案 (case filings) — the filings figure of the joint-meeting pack (京检发〔2022〕169号 第22条) and the 犯罪形势 /
-- 刑事立案 sections of the briefing (第24条); M-01 of domain-research.md.
-- Population: cases with filed_on in [$from, $to] in $districts. Date field: cases.filed_on.
-- Parameters: $from, $to (default: the year to date of as_of), $group_by (all, district, police_unit, charge, chapter,
-- month — a zod enum; the chapter is the 刑法分则 chapter of the charge from the reference table `charges`).
SELECT
  CASE WHEN $group_by IN ('district', 'police_unit') THEN c.district_code END AS district_code,
  CASE WHEN $group_by = 'police_unit' THEN c.police_unit END AS police_unit,
  CASE WHEN $group_by = 'charge' THEN c.charge END AS charge,
  CASE WHEN $group_by = 'chapter' THEN ch.chapter_no END AS chapter_no,
  CASE WHEN $group_by = 'chapter' THEN ch.chapter END AS chapter,
  CASE WHEN $group_by = 'month' THEN strftime(c.filed_on, '%Y-%m') END AS month,
  count(*) AS filed,
  count(*) FILTER (WHERE c.enterprise_related) AS enterprise_related,
  count(*) FILTER (WHERE c.major_case) AS major_case
FROM cases c
LEFT JOIN charges ch ON ch.name = c.charge
WHERE list_contains($districts, c.district_code) AND c.filed_on BETWEEN $from::DATE AND $to::DATE
GROUP BY ALL
ORDER BY ALL
