-- 数据推送时效 (data-flow lag) — spec/rules.md §7 `data-flow-lag`; 京检发〔2022〕169号 第25条; domain-research M-45, M-46.
-- Legal basis: Seed Art. 25 (case information pushed to the shared case platform promptly and completely).
-- Population: events with occurred_at, decisions with decided_on, supervision records with issued_on in
-- [$from, $as_of] ($from optional: from the beginning), of cases (for supervision: records) in $districts.
-- Date fields: events.occurred_at / recorded_at (timestamps); decisions.decided_on, supervision.issued_on (dates)
-- against the date of their recorded_at.
-- Late: an event whose recorded_at − occurred_at exceeds $data_flow_event_late_hours hours (to the second); a
-- decision or record whose recorded date − decided_on / issued_on exceeds $data_flow_record_late_days days.
-- Missing: no recorded_at (M-46). A missing push is not also late.
-- Parameters: $as_of, $districts, $level ('summary': one row per source × district with total, late, missing
-- and their shares of total; 'detail': one row per late or missing record), $from.
-- The pushes are the table macro zj_pushes (src/db/migrations/008_module_marts.sql); the summary sums its per-day
-- counts zj_push_days, from their mart when that is current (lateness does not depend on as_of, so a day's counts
-- hold for every window that contains the day).
WITH detail AS (
  SELECT source, record_id, case_id, district_code, police_unit, item, occurred_at, occurred_on, recorded_at,
    round(lag_hours, 2) AS lag_hours, lag_days, CASE WHEN recorded_at IS NULL THEN '未推送' ELSE '迟延' END AS status
  FROM zj_pushes($districts, $from::DATE, $as_of::DATE, $data_flow_event_late_hours, $data_flow_record_late_days)
  WHERE $level = 'detail' AND (recorded_at IS NULL OR late)
),
summary AS (
  SELECT source, district_code, sum(total)::BIGINT AS total, sum(late)::BIGINT AS late,
    sum(missing)::BIGINT AS missing, sum(late) / sum(total) AS late_share, sum(missing) / sum(total) AS missing_share
  FROM /*MART:push_days*/ p
  WHERE $level = 'summary' AND list_contains($districts, p.district_code) AND p.occurred_on <= $as_of::DATE
    AND ($from IS NULL OR p.occurred_on >= $from::DATE)
  GROUP BY source, district_code
)
SELECT *, '京检发〔2022〕169号 第25条：案件信息及时、完整推送共享（推送时效与完整性）' AS basis
FROM (SELECT * FROM detail UNION ALL BY NAME SELECT * FROM summary)
ORDER BY list_position(['流程节点', '决定', '监督记录'], source), district_code,
  list_position(['迟延', '未推送'], status), occurred_on, record_id
