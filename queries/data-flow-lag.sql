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
WITH pushes AS (
  SELECT '流程节点' AS source, e.event_id AS record_id, e.case_id, c.district_code, c.police_unit, e.event AS item,
    e.occurred_at, e.occurred_at::DATE AS occurred_on, e.recorded_at,
    (epoch(e.recorded_at) - epoch(e.occurred_at)) / 3600.0 AS lag_hours, NULL::INTEGER AS lag_days,
    epoch(e.recorded_at) - epoch(e.occurred_at) > $data_flow_event_late_hours * 3600 AS late
  FROM events e
  JOIN cases c ON c.case_id = e.case_id
  WHERE list_contains($districts, c.district_code) AND e.occurred_at < ($as_of::DATE + 1)::TIMESTAMP
    AND ($from IS NULL OR e.occurred_at >= $from::DATE::TIMESTAMP)
  UNION ALL
  SELECT '决定', d.decision_id, d.case_id, c.district_code, c.police_unit, d.decision, NULL, d.decided_on,
    d.recorded_at, NULL, (d.recorded_at::DATE - d.decided_on)::INTEGER,
    d.recorded_at::DATE - d.decided_on > $data_flow_record_late_days
  FROM decisions d
  JOIN cases c ON c.case_id = d.case_id
  WHERE list_contains($districts, c.district_code) AND d.decided_on <= $as_of::DATE
    AND ($from IS NULL OR d.decided_on >= $from::DATE)
  UNION ALL
  SELECT '监督记录', s.record_id, s.case_id, s.district_code, s.police_unit, s.form, NULL, s.issued_on,
    s.recorded_at, NULL, (s.recorded_at::DATE - s.issued_on)::INTEGER,
    s.recorded_at::DATE - s.issued_on > $data_flow_record_late_days
  FROM supervision s
  WHERE list_contains($districts, s.district_code) AND s.issued_on <= $as_of::DATE
    AND ($from IS NULL OR s.issued_on >= $from::DATE)
),
detail AS (
  SELECT source, record_id, case_id, district_code, police_unit, item, occurred_at, occurred_on, recorded_at,
    round(lag_hours, 2) AS lag_hours, lag_days, CASE WHEN recorded_at IS NULL THEN '未推送' ELSE '迟延' END AS status
  FROM pushes
  WHERE $level = 'detail' AND (recorded_at IS NULL OR late)
),
summary AS (
  SELECT source, district_code, count(*) AS total,
    count(*) FILTER (WHERE late) AS late,
    count(*) FILTER (WHERE recorded_at IS NULL) AS missing,
    count(*) FILTER (WHERE late) / count(*) AS late_share,
    count(*) FILTER (WHERE recorded_at IS NULL) / count(*) AS missing_share
  FROM pushes
  WHERE $level = 'summary'
  GROUP BY source, district_code
)
SELECT *, '京检发〔2022〕169号 第25条：案件信息及时、完整推送共享（推送时效与完整性）' AS basis
FROM (SELECT * FROM detail UNION ALL BY NAME SELECT * FROM summary)
ORDER BY list_position(['流程节点', '决定', '监督记录'], source), district_code,
  list_position(['迟延', '未推送'], status), occurred_on, record_id
