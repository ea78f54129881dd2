-- 48小时速裁 (fast-track 48 h) — spec/rules.md §7 `fast-track-48h`; 京检发〔2022〕169号 第19条; domain-research M-35…M-37.
-- Legal basis: Seed Art. 19 (认罪认罚 速裁 cases handled end to end within 48 hours); 《刑事诉讼法》第222–225条 (速裁).
-- Population: per suspect with a 审查起诉 decision that has fast_track and plea, decided on or before $as_of, of
-- cases in $districts. Date fields: events.occurred_at (刑事拘留, 立案, 移送审查起诉, 提起公诉, 一审宣判), cases.filed_on.
-- Clock: from $clock_start — 'detention': the suspect's 刑事拘留 event, else the case's 立案 event, else filed_on
-- 00:00; 'filing': the 立案 event, else filed_on 00:00 — to the suspect's 一审宣判 event (the case's when the
-- event names no suspect). Only events that occurred on or before $as_of count.
-- Parameters: $as_of, $districts, $clock_start, $summary; threshold $fast_track_hours.
-- status: 按期 (judged within the threshold), 超时 (judged after it, or not judged and the threshold has passed by
-- the end of $as_of), 进行中 (not judged and the threshold not yet passed). Hours are exact to the second (shown
-- rounded to 2 decimals). $summary = true gives one row per district instead (share within, p50/p90).
-- the marks (first time of each event on or before $as_of) are the table macro zj_fast_track_marks
-- (src/db/migrations/008_module_marts.sql); at the data-as-of date they come from its mart
WITH marks AS (
  SELECT * FROM /*MART:fast_track_marks*/ m WHERE list_contains($districts, m.district_code)
),
clocked AS (
  SELECT *,
    CASE
      WHEN $clock_start = 'detention' AND detained_at IS NOT NULL THEN '刑事拘留'
      WHEN filing_at IS NOT NULL THEN '立案'
      ELSE '立案日期'
    END AS clock_start,
    CASE
      WHEN $clock_start = 'detention' AND detained_at IS NOT NULL THEN detained_at
      ELSE coalesce(filing_at, filed_on::TIMESTAMP)
    END AS started_at
  FROM marks
),
per_suspect AS (
  SELECT *,
    date_diff('second', started_at, judged_at) / 3600.0 AS exact_hours,
    CASE
      WHEN judged_at IS NOT NULL AND date_diff('second', started_at, judged_at) <= $fast_track_hours * 3600 THEN '按期'
      WHEN judged_at IS NOT NULL THEN '超时'
      -- not judged: already late once the whole window lies before the end of as_of
      WHEN date_diff('second', started_at, ($as_of::DATE + 1)::TIMESTAMP) > $fast_track_hours * 3600 THEN '超时'
      ELSE '进行中'
    END AS status,
    date_diff('second', started_at, transferred_at) / 3600.0 AS exact_to_transfer,
    date_diff('second', transferred_at, prosecuted_at) / 3600.0 AS exact_to_prosecution,
    date_diff('second', prosecuted_at, judged_at) / 3600.0 AS exact_to_judgment
  FROM clocked
),
detail AS (
  SELECT suspect_id, case_id, district_code, police_unit, clock_start, started_at, transferred_at, prosecuted_at,
    judged_at, round(exact_hours, 2) AS hours, round(exact_to_transfer, 2) AS hours_to_transfer,
    round(exact_to_prosecution, 2) AS hours_to_prosecution, round(exact_to_judgment, 2) AS hours_to_judgment,
    CASE status WHEN '按期' THEN true WHEN '超时' THEN false END AS within_48h, status
  FROM per_suspect
  WHERE NOT $summary
),
summary AS (
  SELECT district_code,
    count(*) AS total,
    count(*) FILTER (WHERE status <> '进行中') AS concluded,
    count(*) FILTER (WHERE status = '按期') AS within,
    count(*) FILTER (WHERE status = '超时') AS over,
    count(*) FILTER (WHERE status = '进行中') AS running,
    CASE WHEN count(*) FILTER (WHERE status <> '进行中') > 0
      THEN count(*) FILTER (WHERE status = '按期') / count(*) FILTER (WHERE status <> '进行中') END AS within_share,
    round(quantile_cont(exact_hours, 0.5), 2) AS p50_hours,
    round(quantile_cont(exact_hours, 0.9), 2) AS p90_hours,
    round(quantile_cont(exact_to_transfer, 0.5), 2) AS p50_to_transfer,
    round(quantile_cont(exact_to_prosecution, 0.5), 2) AS p50_to_prosecution,
    round(quantile_cont(exact_to_judgment, 0.5), 2) AS p50_to_judgment
  FROM per_suspect
  WHERE $summary
  GROUP BY district_code
)
SELECT *, '京检发〔2022〕169号 第19条：认罪认罚速裁案件48小时内完成全流程；《刑事诉讼法》第222–225条' AS basis
FROM (SELECT * FROM detail UNION ALL BY NAME SELECT * FROM summary)
ORDER BY list_position(['超时', '进行中', '按期'], status) NULLS LAST, hours DESC NULLS LAST, suspect_id, district_code
