-- rules.md §7 measure-overruns (CPL 79, 91, 156–159, 175): 取保候审 > 12 months / 监视居住 > 6 months not lifted at
-- as_of or lifted after the maximum; 逮捕 custody from its start to closed_on or end_on (as_of if neither) against
-- 2 months plus each 延长侦查羁押期限 note added in order; 刑事拘留 > 37 days; decisions with returns > 2.
-- No period here rolls over for holidays. One row per finding, kind = the manifest key.
WITH RECURSIVE p AS (SELECT as_of FROM params),
noncustodial AS (
  SELECT m.*, CASE WHEN m.measure = '取保候审' THEN 'bail' ELSE 'rs' END AS family,
    add_months(m.start_on, CASE WHEN m.measure = '取保候审' THEN 12 ELSE 6 END) AS max_on
  FROM measures m, p
  WHERE m.measure IN ('取保候审', '监视居住', '指定居所监视居住') AND m.start_on <= p.as_of
),
arrests AS (
  SELECT m.measure_id, m.suspect_id, s.case_id, m.start_on,
    least(
      p.as_of,
      coalesce(CASE WHEN c.status <> '侦查中' AND c.closed_on <= p.as_of THEN c.closed_on END, p.as_of),
      coalesce(CASE WHEN m.end_on <= p.as_of THEN m.end_on END, p.as_of)
    ) AS clock_end
  FROM measures m JOIN suspects s ON s.suspect_id = m.suspect_id JOIN cases c ON c.case_id = s.case_id, p
  WHERE m.measure = '逮捕' AND m.start_on <= p.as_of
),
extensions AS (
  SELECT a.measure_id, CAST(e.note AS INTEGER) AS months,
    row_number() OVER (PARTITION BY a.measure_id ORDER BY e.occurred_at, e.event_id) AS k
  FROM arrests a
  JOIN events e ON e.event = '延长侦查羁押期限' AND e.case_id = a.case_id
   AND (e.suspect_id IS NULL OR e.suspect_id = a.suspect_id)
),
limits AS (
  SELECT measure_id, 0 AS k, add_months(start_on, 2) AS limit_on FROM arrests
  UNION ALL
  SELECT l.measure_id, l.k + 1, add_months(l.limit_on, x.months)
  FROM limits l JOIN extensions x ON x.measure_id = l.measure_id AND x.k = l.k + 1
),
final_limits AS (SELECT measure_id, arg_max(limit_on, k) AS limit_on FROM limits GROUP BY measure_id)
SELECT family || '_unlifted' AS kind, measure_id AS id, p.as_of - max_on AS distance FROM noncustodial, p
WHERE (end_on IS NULL OR end_on > p.as_of) AND p.as_of > max_on
UNION ALL
SELECT family || '_late_lift', measure_id, end_on - max_on FROM noncustodial, p
WHERE end_on <= p.as_of AND end_on > max_on
UNION ALL
SELECT 'custody_overrun', a.measure_id, a.clock_end - l.limit_on FROM arrests a JOIN final_limits l USING (measure_id)
WHERE a.clock_end > l.limit_on
UNION ALL
SELECT 'detention_over_37', measure_id, (CASE WHEN end_on <= p.as_of THEN end_on ELSE p.as_of END) - start_on - 37
FROM measures, p
WHERE measure = '刑事拘留' AND start_on <= p.as_of
  AND (CASE WHEN end_on <= p.as_of THEN end_on ELSE p.as_of END) - start_on > 37
UNION ALL
SELECT 'returns_over_2', decision_id, returns - 2 FROM decisions WHERE returns > 2
