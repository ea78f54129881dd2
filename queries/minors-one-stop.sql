-- One-stop evidence taking for minor victims (minors-one-stop) — 京检发〔2022〕169号 第20条 (for cases with minor
-- victims, the police and the procuratorate take the evidence "一站式": one interview, in one place); 《未成年人保护法》
-- 第110条; 《人民检察院办理未成年人刑事案件的规定》.
-- Population: cases in $districts with minor_victim and filed_on in [$from, $to]. one_stop true = evidence taken
-- one-stop; false = not; empty = not recorded (counted in the denominator: not shown to be one-stop).
-- Date field: cases.filed_on. Parameters: $from, $to, $view (summary: one row per group; cases: the minor-victim
-- cases without a recorded one-stop evidence taking), $group_by (district, all), $districts.
WITH population AS (
  SELECT c.case_id, c.district_code, c.police_unit, c.charge, c.filed_on, c.one_stop
  FROM cases c
  WHERE list_contains($districts, c.district_code)
    AND c.minor_victim
    AND c.filed_on BETWEEN $from::DATE AND $to::DATE
)
SELECT CASE WHEN $group_by = 'district' THEN district_code END AS district_code,
  NULL::VARCHAR AS case_id, NULL::VARCHAR AS police_unit, NULL::VARCHAR AS charge, NULL::DATE AS filed_on,
  NULL::VARCHAR AS status,
  count(*) AS minor_victim_cases,
  count(*) FILTER (WHERE one_stop) AS one_stop,
  count(*) FILTER (WHERE NOT one_stop) AS not_one_stop,
  count(*) FILTER (WHERE one_stop IS NULL) AS not_recorded,
  (count(*) FILTER (WHERE one_stop))::DOUBLE / nullif(count(*), 0) AS one_stop_rate,
  '京检发〔2022〕169号 第20条：未成年被害人案件一站式取证' AS basis
FROM population
WHERE $view = 'summary'
GROUP BY ALL
UNION ALL
SELECT district_code, case_id, police_unit, charge, filed_on,
  CASE WHEN one_stop IS NULL THEN '未记录' ELSE '未一站式取证' END,
  NULL, NULL, NULL, NULL, NULL,
  '京检发〔2022〕169号 第20条：未成年被害人案件一站式取证'
FROM population
WHERE $view = 'cases' AND one_stop IS NOT TRUE
ORDER BY district_code, filed_on, case_id
