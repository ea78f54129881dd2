-- Each coercive measure with its suspect's case district and unit, for measure-use (the briefing's 强制措施适用
-- section). measure-use joined 1.5M measures with 1.2M suspects and 1M cases on every run (≈ 0.35 s of its time at
-- 1M cases); the mart (queries/marts.ts, `measure_facts`) holds the join, built for all districts after every ingest
-- and read filtered by scope and window. Independent of as_of and of the thresholds.
CREATE MACRO zj_measure_facts(districts) AS TABLE
  SELECT m.measure_id, m.suspect_id, m.measure, m.decided_by, m.start_on, c.district_code, c.police_unit
  FROM measures m
  JOIN suspects p ON p.suspect_id = m.suspect_id
  JOIN cases c ON c.case_id = p.case_id
  WHERE list_contains(districts, c.district_code);

CREATE TABLE mart_measure_facts (
  measure_id VARCHAR, suspect_id VARCHAR, measure VARCHAR, decided_by VARCHAR, start_on DATE, district_code VARCHAR,
  police_unit VARCHAR
);
