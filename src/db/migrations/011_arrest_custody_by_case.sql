-- One case's timeline reads its rows through the case indexes (src/db/case-indexes.ts, built outside migrations
-- because of their memory at bulk load). An index is used only when the scan's one filter is `column = constant` (a
-- bound parameter counts) and no join pushes its keys into that scan; any further filter on the same scan (the
-- scope's list_contains, a date, an event type) turns it back into a full scan.
--
-- zj_arrest_custody (008) again, the same figures; only how rows are selected changed. `only_case IS NULL OR
-- case_id = only_case` kept the indexes away from one case's timeline: each selection below has two branches, one
-- case by equality or everything when only_case is NULL (the first branch then finds nothing). The one-case branches
-- sit behind `OFFSET 0`, which no filter crosses, so that the later filters (district, event type) stay out of their
-- scans; the events branch also projects only_case instead of the column, so that the join on case_id has no column
-- to push its keys into, and is materialised (for all cases it holds only the extension events). The cases and
-- measures are not materialised: for all cases that would hold 1.5M rows in memory, which the 512 MB of a CLI
-- ingest's mart rebuild cannot spare. At 1M cases: one case 65 → 16 ms; all cases 1.37 → 0.83 s (this also counts
-- the months with zj_add_months, below).
CREATE OR REPLACE MACRO zj_arrest_custody(as_of, districts, only_case, custody_months) AS TABLE
WITH RECURSIVE
-- the case's events (or every extension event), read before the event-type filter below could join the scan
ext_events AS MATERIALIZED (
  (SELECT only_case::VARCHAR AS case_id, suspect_id, event, note, occurred_at, event_id FROM events WHERE case_id = only_case OFFSET 0)
  UNION ALL
  SELECT case_id, suspect_id, event, note, occurred_at, event_id FROM events
  WHERE only_case IS NULL AND event = '延长侦查羁押期限'
),
arrests AS (
  WITH picked AS NOT MATERIALIZED (
    -- the case (or every case), read before the district filter below could join the scan
    (SELECT case_id, district_code, status, closed_on FROM cases WHERE case_id = only_case OFFSET 0)
    UNION ALL
    SELECT case_id, district_code, status, closed_on FROM cases WHERE only_case IS NULL
  ),
  picked_measures AS NOT MATERIALIZED (
    SELECT m.measure_id, m.suspect_id, s.case_id, m.start_on, m.end_on, m.measure, c.status, c.closed_on, c.district_code
    FROM picked c
    JOIN suspects s ON s.case_id = c.case_id
    JOIN measures m ON m.suspect_id = s.suspect_id
  )
  SELECT measure_id, suspect_id, case_id, start_on,
    CASE WHEN end_on <= as_of THEN end_on END AS lifted_on,
    least(CASE WHEN status <> '侦查中' AND closed_on <= as_of THEN closed_on END,
          CASE WHEN end_on <= as_of THEN end_on END) AS stopped_on
  FROM picked_measures
  WHERE measure = '逮捕' AND start_on <= as_of AND list_contains(districts, district_code)
),
-- each arrest's extension months in order, gathered before the recursion: a recursive step that joined events would
-- scan them once per step
extensions AS (
  SELECT a.measure_id, list(TRY_CAST(e.note AS INTEGER) ORDER BY e.occurred_at, e.event_id) AS months
  FROM arrests a
  JOIN ext_events e ON e.case_id = a.case_id AND e.event = '延长侦查羁押期限'
    AND (e.suspect_id IS NULL OR e.suspect_id = a.suspect_id)
  WHERE e.occurred_at::DATE >= a.start_on AND e.occurred_at::DATE <= as_of
    AND TRY_CAST(e.note AS INTEGER) > 0
  GROUP BY a.measure_id
),
limits AS (
  -- zj_add_months, not zj_due(…, 'month', false): the same dates (custody periods do not roll), without the holiday
  -- lookup's subquery that zj_due carries even when it is not taken, which made this statement slower to plan
  SELECT a.measure_id, 0 AS k, zj_add_months(a.start_on, custody_months) AS limit_on,
    coalesce(x.months, []::INTEGER[]) AS months
  FROM arrests a LEFT JOIN extensions x USING (measure_id)
  UNION ALL
  SELECT measure_id, k + 1, zj_add_months(limit_on, months[k + 1]), months
  FROM limits
  WHERE k < len(months)
),
final_limits AS (SELECT measure_id, arg_max(limit_on, k) AS limit_on FROM limits GROUP BY measure_id)
SELECT a.measure_id, a.suspect_id, a.case_id, a.start_on, a.lifted_on, a.stopped_on, l.limit_on
FROM arrests a JOIN final_limits l USING (measure_id);
