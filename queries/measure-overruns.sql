-- 强制措施超期 (measure overruns) — spec/rules.md §7 `measure-overruns`; domain-research M-33, M-34, M-34c.
-- Legal basis: 《刑事诉讼法》第79条 (取保候审 12 months, 监视居住 6 months), 第156、158、159条 (侦查羁押 2 months after
-- 逮捕, extended by approval), 第91条 (刑事拘留 at most 30 + 7 days before 逮捕), 第175条 (退回补充侦查 at most twice).
-- Population: measures started on or before $as_of and 审查起诉/审查逮捕 decisions decided on or before $as_of, of
-- cases in $districts. Date fields: measures.start_on / end_on, cases.closed_on, events.occurred_at (extensions),
-- decisions.decided_on.
-- Parameters: $as_of, $districts; thresholds $measure_bail_months, $measure_rs_months,
-- $measure_arrest_custody_months, $measure_detention_days, $measure_max_returns.
-- None of these periods rolls over for holidays (custody periods and statutory maxima: rules.md §1, §7), so every
-- limit is zj_due(..., false). A lifting or closing dated after $as_of has not happened yet at $as_of.
-- One row per finding. kind: 逾期未解除 / 逾期解除 (取保候审, 监视居住, 指定居所监视居住 past the maximum), 超期羁押
-- (逮捕 custody past 2 months + extensions), 拘留超期 (刑事拘留 past 37 days), 退查超次数 (returns above the maximum).
WITH RECURSIVE m AS (
  SELECT m.measure_id, m.suspect_id, m.measure, m.start_on,
    CASE WHEN m.end_on <= $as_of::DATE THEN m.end_on END AS lifted_on,
    s.case_id, c.district_code, c.police_unit,
    CASE WHEN c.status <> '侦查中' AND c.closed_on <= $as_of::DATE THEN c.closed_on END AS case_closed_on
  FROM measures m
  JOIN suspects s ON s.suspect_id = m.suspect_id
  JOIN cases c ON c.case_id = s.case_id
  WHERE list_contains($districts, c.district_code) AND m.start_on <= $as_of::DATE
),
noncustodial AS (
  SELECT *,
    zj_due(start_on, CASE measure WHEN '取保候审' THEN $measure_bail_months ELSE $measure_rs_months END, 'month', false)
      AS limit_on
  FROM m
  WHERE measure IN ('取保候审', '监视居住', '指定居所监视居住')
),
arrests AS (
  -- the custody clock stops at whichever comes first: the case leaving the police stage or the arrest being lifted
  SELECT *, least(case_closed_on, lifted_on) AS stopped_on FROM m WHERE measure = '逮捕'
),
extensions AS (
  -- an extension belongs to the arrests of its suspect (all the case's arrests when it names none) that began on
  -- or before it; a note that is not a positive whole number of months extends nothing
  SELECT a.measure_id, TRY_CAST(e.note AS INTEGER) AS months,
    row_number() OVER (PARTITION BY a.measure_id ORDER BY e.occurred_at, e.event_id) AS k
  FROM arrests a
  JOIN events e ON e.case_id = a.case_id AND e.event = '延长侦查羁押期限'
    AND (e.suspect_id IS NULL OR e.suspect_id = a.suspect_id)
  WHERE e.occurred_at::DATE >= a.start_on AND e.occurred_at::DATE <= $as_of::DATE
    AND TRY_CAST(e.note AS INTEGER) > 0
),
limits AS (
  SELECT measure_id, 0 AS k, zj_due(start_on, $measure_arrest_custody_months, 'month', false) AS limit_on
  FROM arrests
  UNION ALL
  -- month arithmetic chained from the previous limit: 2024-02-29 + 2 months is 04-30, not two single months
  SELECT l.measure_id, l.k + 1, zj_due(l.limit_on, x.months, 'month', false)
  FROM limits l JOIN extensions x ON x.measure_id = l.measure_id AND x.k = l.k + 1
),
final_limits AS (SELECT measure_id, arg_max(limit_on, k) AS limit_on FROM limits GROUP BY measure_id),
detentions AS (
  -- a 刑事拘留 ends when it is lifted or when the suspect's 逮捕 begins, whichever is recorded first
  SELECT d.*,
    least(d.lifted_on, (SELECT min(a.start_on) FROM arrests a
                        WHERE a.suspect_id = d.suspect_id AND a.start_on >= d.start_on)) AS stopped_on,
    zj_due(d.start_on, $measure_detention_days, 'day', false) AS limit_on
  FROM m d
  WHERE d.measure = '刑事拘留'
),
findings AS (
  SELECT CASE WHEN lifted_on IS NULL THEN '逾期未解除' ELSE '逾期解除' END AS kind, measure, measure_id,
    NULL::VARCHAR AS decision_id, suspect_id, case_id, district_code, police_unit, start_on, limit_on,
    lifted_on AS end_on, (coalesce(lifted_on, $as_of::DATE) - limit_on)::INTEGER AS days_over, NULL::INTEGER AS returns,
    CASE measure
      WHEN '取保候审' THEN '《刑事诉讼法》第79条：取保候审最长不得超过十二个月，期限届满应当及时解除'
      ELSE '《刑事诉讼法》第79条：监视居住最长不得超过六个月，期限届满应当及时解除'
    END AS basis
  FROM noncustodial
  WHERE coalesce(lifted_on, $as_of::DATE) > limit_on
  UNION ALL
  SELECT '超期羁押', a.measure, a.measure_id, NULL, a.suspect_id, a.case_id, a.district_code, a.police_unit,
    a.start_on, l.limit_on, a.stopped_on, (coalesce(a.stopped_on, $as_of::DATE) - l.limit_on)::INTEGER, NULL,
    '《刑事诉讼法》第156条、第158条、第159条：逮捕后的侦查羁押期限不得超过二个月，经批准方可延长'
  FROM arrests a JOIN final_limits l USING (measure_id)
  WHERE coalesce(a.stopped_on, $as_of::DATE) > l.limit_on
  UNION ALL
  SELECT '拘留超期', measure, measure_id, NULL, suspect_id, case_id, district_code, police_unit, start_on, limit_on,
    stopped_on, (coalesce(stopped_on, $as_of::DATE) - limit_on)::INTEGER, NULL,
    '《刑事诉讼法》第91条：拘留后提请批准逮捕最长三十日，人民检察院审查批准逮捕七日'
  FROM detentions
  WHERE coalesce(stopped_on, $as_of::DATE) > limit_on
  UNION ALL
  SELECT '退查超次数', NULL, NULL, d.decision_id, d.suspect_id, d.case_id, c.district_code, c.police_unit,
    d.received_on, NULL, d.decided_on, NULL, d.returns,
    '《刑事诉讼法》第175条：退回补充侦查以二次为限'
  FROM decisions d
  JOIN cases c ON c.case_id = d.case_id
  WHERE list_contains($districts, c.district_code) AND d.decided_on <= $as_of::DATE
    AND d.returns > $measure_max_returns
)
SELECT * FROM findings
ORDER BY list_position(['逾期未解除', '逾期解除', '超期羁押', '拘留超期', '退查超次数'], kind), days_over DESC NULLS LAST,
  case_id, coalesce(measure_id, decision_id)
