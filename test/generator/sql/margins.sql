-- Records that come closer to a rules.md threshold than the generator's margins allow (14 days; 10 for the 37 days
-- of 刑事拘留; 8 hours under / 10 over the 48 of 速裁; 6 hours either side of the 24 of a push). Every count must be 0:
-- then neither holiday roll-over nor month-end arithmetic can move a record across a threshold.
WITH RECURSIVE p AS (SELECT as_of FROM params),
noncustodial AS (
  SELECT m.*, add_months(m.start_on, CASE WHEN m.measure = '取保候审' THEN 12 ELSE 6 END) AS max_on
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
final_limits AS (SELECT measure_id, arg_max(limit_on, k) AS limit_on FROM limits GROUP BY measure_id),
overdue AS ({{supervision-overdue}}),
pending AS ({{pending-cases}}),
fast AS ({{fast-track}})
SELECT 'measure max' AS rule, count(*) AS n FROM noncustodial, p
WHERE abs(CASE WHEN end_on <= p.as_of THEN end_on ELSE p.as_of END - max_on) < 14
UNION ALL
SELECT 'custody limit', count(*) FROM arrests a JOIN final_limits l USING (measure_id)
WHERE abs(a.clock_end - l.limit_on) < 14
UNION ALL
SELECT 'detention 37 days', count(*) FROM measures, p
WHERE measure = '刑事拘留' AND start_on <= p.as_of
  AND abs((CASE WHEN end_on <= p.as_of THEN end_on ELSE p.as_of END) - start_on - 37) < 10
UNION ALL
SELECT 'reply due (answered)', count(*) FROM overdue, p
WHERE replied_on <= p.as_of AND replied_on >= due_on - 1 AND replied_on < due_on + 12
UNION ALL
SELECT 'reply due (unanswered)', count(*) FROM overdue, p
WHERE (replied_on IS NULL OR replied_on > p.as_of) AND due_on BETWEEN p.as_of - 14 AND p.as_of + 1
UNION ALL
SELECT 'pending deadline', count(*) FROM pending, p
WHERE abs(deadline - p.as_of) < 14 OR abs(deadline - (p.as_of + 90)) < 14 OR (flagged AND abs(days_over - 365) < 14)
UNION ALL
SELECT 'fast track 48 h', count(*) FROM fast WHERE hours > 40 AND hours < 58
UNION ALL
SELECT 'event push 24 h', count(*) FROM events
WHERE date_diff('second', occurred_at, recorded_at) BETWEEN 18 * 3600 AND 30 * 3600
