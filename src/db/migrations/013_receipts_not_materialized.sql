-- zj_receipts (008) again, the same rows: its decisions relation `r` is read twice, so DuckDB (1.3+) materialises it
-- by default — 1.45M rows at 1M cases held in memory next to the join with events and the mart's sort, which ran out
-- of a CLI ingest's 512 MB in one run out of two (measured 2026-11-28). Inlined, the decisions and cases are read
-- twice and nothing is held: 3.0 s instead of 4.0 s, and no failure in repeated runs.
CREATE OR REPLACE MACRO zj_receipts(districts, from_on, to_on) AS TABLE
WITH r AS NOT MATERIALIZED (
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
