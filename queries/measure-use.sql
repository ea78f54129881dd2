-- 强制措施适用 (coercive measures applied) — the 强制措施适用 section of the briefing (京检发〔2022〕169号 第24条);
-- M-56 of domain-research.md (the 强制措施 mix of the crime-situation series: 拘留 / 逮捕 / 取保 / 监居).
-- Legal basis per kind: 拘传 《刑事诉讼法》第66条、第119条; 取保候审 第66–67条; 监视居住 第74条; 指定居所监视居住 第75条;
-- 刑事拘留 第82条; 逮捕 第80–81条 (批准逮捕 by the procuratorate, 第87条).
-- Unit: persons — per kind, the suspects with a measure of that kind starting in the window (a bail renewed within
-- the window counts once); `persons` counts each suspect once whatever the kinds, `total` adds the kinds up
-- (人次 across kinds: a suspect detained and then arrested counts in both).
-- Population: measures with start_on in the window whose suspect's case is in $districts (and decided by
-- $decided_by when given). Date field: measures.start_on. District and police unit are the case's.
-- Parameters: $from, $to (derived defaults: 1 January of to's year; to = the as-of date), $group_by (all, district,
-- police_unit, month — a zod enum), $decided_by (公安 / 检察 / 法院 or NULL), $districts.
-- Windows (as decision-rates, rules.md §5): each row's period [period_from, period_to] is [from, to], or one
-- calendar month of it cut to [from, to]; 同比 (_yoy) is that period 12 months earlier by month arithmetic; 环比 (_pop)
-- is the previous calendar year, quarter or month when the period is exactly one, else the window of the same
-- length that ends the day before period_from.
-- The windows come from the table macro zj_compare_windows (src/db/migrations/014_compare_windows.sql), shared with
-- the other windowed module.
WITH windows AS (SELECT * FROM zj_compare_windows($from::DATE, $to::DATE, $group_by)),
spans AS (
  SELECT pid, 'cur' AS kind, pf AS wf, pt AS wt FROM windows
  UNION ALL SELECT pid, 'yoy', yf, yt FROM windows
  UNION ALL SELECT pid, 'pop', qf, qt FROM windows
),
-- the measures of the three windows, read once (windows overlap: a year's 环比 is its 同比), each with its case's
-- district and unit (mart_measure_facts, migration 016)
m AS (
  SELECT m.suspect_id, m.measure, m.start_on, m.district_code, m.police_unit
  FROM /*MART:measure_facts*/ m
  WHERE m.start_on BETWEEN (SELECT min(wf) FROM spans) AND (SELECT max(wt) FROM spans)
    AND list_contains($districts, m.district_code)
    AND ($decided_by::VARCHAR IS NULL OR m.decided_by = $decided_by)
),
-- one row per distinct window, group and person, with the kinds that person had: a person counts once per kind
-- however many measures of it began, and once in `persons`
per_person AS (
  SELECT s.wf, s.wt,
    CASE WHEN $group_by IN ('district', 'police_unit') THEN m.district_code END AS district_code,
    CASE WHEN $group_by = 'police_unit' THEN m.police_unit END AS police_unit,
    m.suspect_id,
    bool_or(m.measure = '拘传')::INTEGER AS summons,
    bool_or(m.measure = '刑事拘留')::INTEGER AS detention,
    bool_or(m.measure = '逮捕')::INTEGER AS arrest,
    bool_or(m.measure = '取保候审')::INTEGER AS bail,
    bool_or(m.measure = '监视居住')::INTEGER AS rs,
    bool_or(m.measure = '指定居所监视居住')::INTEGER AS rs_designated
  FROM (SELECT DISTINCT wf, wt FROM spans) s
  JOIN m ON m.start_on BETWEEN s.wf AND s.wt
  GROUP BY ALL
),
window_counts AS (
  SELECT wf, wt, district_code, police_unit,
    sum(summons) AS summons, sum(detention) AS detention, sum(arrest) AS arrest, sum(bail) AS bail, sum(rs) AS rs,
    sum(rs_designated) AS rs_designated, count(*) AS persons
  FROM per_person
  GROUP BY wf, wt, district_code, police_unit
),
counts AS (
  SELECT s.pid, s.kind, c.* EXCLUDE (wf, wt)
  FROM spans s
  JOIN window_counts c USING (wf, wt)
),
-- every period is a row even without measures (but an empty scope shows nothing); other groups are those with a
-- measure in any of the three windows
padded AS (
  SELECT * FROM counts
  UNION ALL BY NAME
  SELECT pid, 'none' AS kind FROM windows WHERE $group_by IN ('all', 'month') AND len($districts) > 0
),
per_group AS (
  SELECT pid, district_code, police_unit,
    coalesce(sum(summons) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS summons,
    coalesce(sum(detention) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS detention,
    coalesce(sum(arrest) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS arrest,
    coalesce(sum(bail) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS bail,
    coalesce(sum(rs) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS rs,
    coalesce(sum(rs_designated) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS rs_designated,
    coalesce(sum(persons) FILTER (WHERE kind = 'cur'), 0)::INTEGER AS persons,
    coalesce(sum(summons) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS summons_yoy,
    coalesce(sum(detention) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS detention_yoy,
    coalesce(sum(arrest) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS arrest_yoy,
    coalesce(sum(bail) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS bail_yoy,
    coalesce(sum(rs) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS rs_yoy,
    coalesce(sum(rs_designated) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS rs_designated_yoy,
    coalesce(sum(persons) FILTER (WHERE kind = 'yoy'), 0)::INTEGER AS persons_yoy,
    coalesce(sum(summons) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS summons_pop,
    coalesce(sum(detention) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS detention_pop,
    coalesce(sum(arrest) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS arrest_pop,
    coalesce(sum(bail) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS bail_pop,
    coalesce(sum(rs) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS rs_pop,
    coalesce(sum(rs_designated) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS rs_designated_pop,
    coalesce(sum(persons) FILTER (WHERE kind = 'pop'), 0)::INTEGER AS persons_pop
  FROM padded
  GROUP BY pid, district_code, police_unit
)
SELECT
  p.district_code, p.police_unit, w.month,
  w.pf AS period_from, w.pt AS period_to, w.yf AS yoy_from, w.yt AS yoy_to, w.qf AS pop_from, w.qt AS pop_to,
  summons, detention, arrest, bail, rs, rs_designated,
  summons + detention + arrest + bail + rs + rs_designated AS total, persons,
  summons_yoy, detention_yoy, arrest_yoy, bail_yoy, rs_yoy, rs_designated_yoy,
  summons_yoy + detention_yoy + arrest_yoy + bail_yoy + rs_yoy + rs_designated_yoy AS total_yoy, persons_yoy,
  summons_pop, detention_pop, arrest_pop, bail_pop, rs_pop, rs_designated_pop,
  summons_pop + detention_pop + arrest_pop + bail_pop + rs_pop + rs_designated_pop AS total_pop, persons_pop
FROM per_group p
JOIN windows w USING (pid)
ORDER BY w.pf, p.district_code, p.police_unit
