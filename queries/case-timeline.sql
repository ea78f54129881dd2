-- 案件时间线 (case timeline) — one case's suspects, measures, decisions, supervision, events and property as one
-- chronological list, each deadline of spec/rules.md that applies and whether it was met.
-- Legal basis per deadline row (basis column): 《刑事诉讼法》第79、91、156–159条 (measures, not rolled); rules.md §3
-- reply and objection periods (rolled over holidays, zj_due(..., true); a given reply_due_on is used as given);
-- §2 挂案 (zj_pending, not rolled); §7 速裁 48 h (京检发〔2022〕169号 第19条) and push timeliness (第25条).
-- Population: the case $case_id when its district is in $districts (otherwise no rows); everything dated on or
-- before $as_of. Date fields: each row's own (accepted_on, filed_on, closed_on, start_on / end_on, decided_on,
-- recon_filed_on, upper_review_filed_on, issued_on, objection_filed_on, occurred_at, seized_on, transferred_on,
-- disposed_on); acts dated after $as_of have not happened yet.
-- status (rules.md §1 "overdue"): 按期 done on or before the deadline; 逾期 done after it, or not done and $as_of is
-- past it; 未到期 not done and $as_of on or before it.
-- Parameters: $case_id, $as_of, $districts; thresholds as named below. 挂案: the SOURCE placeholder becomes the mart
-- `mart_pending` when $as_of is its data-as-of date, else zj_pending computed for $as_of (queries/run.ts).
-- Each table is read by `case_id = $case_id` alone, materialised, so that its index answers
-- (src/db/case-indexes.ts); the scope is checked on the case afterwards (`c`, and `in_scope` gating
-- every other table). Any further filter on the same scan — the scope's list_contains, a date, even a join with `c`
-- (DuckDB pushes the join's keys into the scan) — makes DuckDB scan the whole table instead.
WITH picked AS MATERIALIZED (SELECT * FROM cases WHERE case_id = $case_id),
c AS (SELECT * FROM picked WHERE list_contains($districts, district_code)),
in_scope AS (SELECT count(*) > 0 AS ok FROM c),
closed AS (SELECT CASE WHEN status <> '侦查中' AND closed_on <= $as_of::DATE THEN closed_on END AS closed_on FROM c),
case_suspects AS MATERIALIZED (SELECT * FROM suspects WHERE case_id = $case_id),
s AS (SELECT * FROM case_suspects WHERE (SELECT ok FROM in_scope)),
m AS (
  SELECT me.*, CASE WHEN me.end_on <= $as_of::DATE THEN me.end_on END AS lifted_on
  FROM measures me JOIN s ON s.suspect_id = me.suspect_id
  WHERE me.start_on <= $as_of::DATE
),
case_events AS MATERIALIZED (SELECT * FROM events WHERE case_id = $case_id),
ev AS (SELECT * FROM case_events WHERE occurred_at < ($as_of::DATE + 1)::TIMESTAMP AND (SELECT ok FROM in_scope)),
case_decisions AS MATERIALIZED (SELECT * FROM decisions WHERE case_id = $case_id),
d AS (SELECT * FROM case_decisions WHERE decided_on <= $as_of::DATE AND (SELECT ok FROM in_scope)),
case_supervision AS MATERIALIZED (SELECT * FROM supervision WHERE case_id = $case_id),
sv AS (SELECT * FROM case_supervision WHERE issued_on <= $as_of::DATE AND (SELECT ok FROM in_scope)),
case_property AS MATERIALIZED (SELECT * FROM property WHERE case_id = $case_id),
p AS (SELECT * FROM case_property WHERE (SELECT ok FROM in_scope)),
-- 逮捕 custody: the table macro zj_arrest_custody that measure-overruns reads too (src/db/migrations/008_module_marts.sql):
-- 2 months plus each extension, chained by month arithmetic, stopped by the lifting or the case's closing
arrests AS MATERIALIZED (
  SELECT * FROM zj_arrest_custody($as_of::DATE, $districts, $case_id, $measure_arrest_custody_months)
),
-- 速裁 suspects: the clock of fast-track-48h with its default start (刑事拘留, else 立案, else filed_on 00:00)
ft AS (
  SELECT DISTINCT d.suspect_id FROM d WHERE d.stage = '审查起诉' AND d.fast_track AND d.plea
),
ft_clock AS (
  SELECT ft.suspect_id,
    coalesce(min(e.occurred_at) FILTER (WHERE e.event = '刑事拘留' AND e.suspect_id = ft.suspect_id),
             min(e.occurred_at) FILTER (WHERE e.event = '立案'),
             (SELECT filed_on FROM c)::TIMESTAMP) AS started_at,
    coalesce(min(e.occurred_at) FILTER (WHERE e.event = '一审宣判' AND e.suspect_id = ft.suspect_id),
             min(e.occurred_at) FILTER (WHERE e.event = '一审宣判' AND e.suspect_id IS NULL)) AS judged_at
  FROM ft LEFT JOIN ev e ON true
  GROUP BY ft.suspect_id
),
items AS (
  SELECT '案件' AS kind, case_id AS item_id, accepted_on AS occurred_on, '受案' AS what, police_unit AS who
  FROM c WHERE accepted_on <= $as_of::DATE
  UNION ALL BY NAME
  SELECT '案件' AS kind, case_id AS item_id, filed_on AS occurred_on, '立案（' || filing_basis || '）' AS what,
    police_unit AS who
  FROM c WHERE filed_on <= $as_of::DATE
  UNION ALL BY NAME
  SELECT '案件' AS kind, c.case_id AS item_id, x.closed_on AS occurred_on, '结案：' || c.status AS what,
    c.police_unit AS who
  FROM c, closed x WHERE x.closed_on IS NOT NULL
  UNION ALL BY NAME
  SELECT '嫌疑人' AS kind, s.suspect_id AS item_id, s.suspect_id,
    coalesce(least((SELECT min(start_on) FROM m WHERE m.suspect_id = s.suspect_id),
                   (SELECT min(occurred_at)::DATE FROM ev WHERE ev.suspect_id = s.suspect_id),
                   (SELECT min(received_on) FROM d WHERE d.suspect_id = s.suspect_id)),
             (SELECT filed_on FROM c)) AS occurred_on,
    concat_ws('，', '嫌疑人 ' || coalesce(s.name_masked, s.suspect_id), s.gender,
              CASE WHEN s.is_minor THEN '未成年' END) AS what
  FROM s
  UNION ALL BY NAME
  SELECT '强制措施' AS kind, m.measure_id AS item_id, m.suspect_id, m.start_on AS occurred_on,
    m.measure || '（' || m.decided_by || '决定）' AS what, m.decided_by AS who,
    CASE m.measure
      WHEN '取保候审' THEN '取保候审最长期限'
      WHEN '刑事拘留' THEN '刑事拘留最长期限（未转逮捕）'
      WHEN '逮捕' THEN '逮捕后侦查羁押期限（含延长）'
      WHEN '拘传' THEN NULL
      ELSE '监视居住最长期限'
    END AS rule,
    CASE WHEN m.measure IN ('取保候审', '监视居住', '指定居所监视居住', '刑事拘留') THEN m.start_on END AS due_from,
    CASE m.measure
      WHEN '取保候审' THEN $measure_bail_months
      WHEN '监视居住' THEN $measure_rs_months
      WHEN '指定居所监视居住' THEN $measure_rs_months
      WHEN '刑事拘留' THEN $measure_detention_days
    END AS due_n,
    CASE m.measure WHEN '刑事拘留' THEN 'day' ELSE 'month' END AS due_unit,
    false AS due_rolls,
    CASE m.measure WHEN '逮捕' THEN (SELECT a.limit_on FROM arrests a WHERE a.measure_id = m.measure_id) END
      AS deadline,
    CASE m.measure
      WHEN '逮捕' THEN (SELECT a.stopped_on FROM arrests a WHERE a.measure_id = m.measure_id)
      WHEN '刑事拘留' THEN least(m.lifted_on, (SELECT min(a.start_on) FROM arrests a
                                              WHERE a.suspect_id = m.suspect_id AND a.start_on >= m.start_on))
      ELSE m.lifted_on
    END AS done_on,
    CASE m.measure
      WHEN '刑事拘留' THEN '《刑事诉讼法》第91条'
      WHEN '逮捕' THEN '《刑事诉讼法》第156条、第158条、第159条'
      WHEN '拘传' THEN NULL
      ELSE '《刑事诉讼法》第79条'
    END AS basis
  FROM m
  UNION ALL BY NAME
  SELECT '强制措施' AS kind, measure_id AS item_id, suspect_id, lifted_on AS occurred_on,
    measure || '解除' || coalesce('（' || end_reason || '）', '') AS what
  FROM m WHERE lifted_on IS NOT NULL
  UNION ALL BY NAME
  SELECT '决定' AS kind, decision_id AS item_id, suspect_id, decided_on AS occurred_on,
    concat_ws('，', stage || '：' || decision, reason, CASE WHEN plea THEN '认罪认罚' END,
              CASE WHEN fast_track THEN '速裁' END,
              CASE WHEN returns > 0 THEN '退回补充侦查' || returns || '次' END,
              CASE WHEN returns > $measure_max_returns THEN '超过' || $measure_max_returns::INTEGER || '次' END) AS what,
    concat_ws(' ', procuratorate, prosecutor_id) AS who, recorded_at,
    CASE WHEN recorded_at IS NULL THEN '未推送'
      WHEN recorded_at::DATE - decided_on > $data_flow_record_late_days THEN '迟延' ELSE '按时' END AS push_status
  FROM d
  UNION ALL BY NAME
  SELECT '决定' AS kind, decision_id AS item_id, suspect_id, recon_filed_on AS occurred_on,
    '公安要求复议（' || decision || '）' || coalesce('：' || recon_result, '') AS what,
    CASE decision WHEN '不批准逮捕' THEN '不批准逮捕复议决定期限' WHEN '不起诉' THEN '不起诉复议决定期限' END AS rule,
    recon_filed_on AS due_from,
    CASE decision
      WHEN '不批准逮捕' THEN $objection_arrest_recon_days
      WHEN '不起诉' THEN $objection_prosecution_recon_days
    END AS due_n,
    'day' AS due_unit, true AS due_rolls,
    recon_decided_on AS done_on,
    CASE decision
      WHEN '不批准逮捕' THEN '《刑事诉讼法》第92条；《人民检察院刑事诉讼规则》第290条'
      WHEN '不起诉' THEN '《刑事诉讼法》第179条；《人民检察院刑事诉讼规则》第379条'
    END AS basis
  FROM d WHERE recon_filed_on <= $as_of::DATE
  UNION ALL BY NAME
  SELECT '决定' AS kind, decision_id AS item_id, suspect_id, upper_review_filed_on AS occurred_on,
    '公安提请复核（' || decision || '）' || coalesce('：' || upper_review_result, '') AS what,
    CASE decision WHEN '不批准逮捕' THEN '不批准逮捕复核决定期限' WHEN '不起诉' THEN '不起诉复核决定期限' END AS rule,
    upper_review_filed_on AS due_from,
    CASE decision
      WHEN '不批准逮捕' THEN $objection_arrest_upper_review_days
      WHEN '不起诉' THEN $objection_prosecution_upper_review_days
    END AS due_n,
    'day' AS due_unit, true AS due_rolls,
    upper_review_decided_on AS done_on,
    CASE decision
      WHEN '不批准逮捕' THEN '《人民检察院刑事诉讼规则》第291条'
      WHEN '不起诉' THEN '《人民检察院刑事诉讼规则》第380条'
    END AS basis
  FROM d WHERE upper_review_filed_on <= $as_of::DATE
  UNION ALL BY NAME
  SELECT '监督' AS kind, record_id AS item_id, issued_on AS occurred_on,
    category || '：' || form || '（' || issue || '，' || severity || '）' || coalesce('，回复：' || reply, '') AS what,
    police_unit AS who, recorded_at,
    CASE WHEN recorded_at IS NULL THEN '未推送'
      WHEN recorded_at::DATE - issued_on > $data_flow_record_late_days THEN '迟延' ELSE '按时' END AS push_status,
    CASE WHEN form IN ('纠正违法通知书', '检察建议', '要求说明理由', '通知立案', '通知撤案') THEN form || '回复期限' END
      AS rule,
    -- a given reply_due_on is used as given
    CASE WHEN form IN ('纠正违法通知书', '检察建议', '要求说明理由', '通知立案', '通知撤案') THEN reply_due_on END AS deadline,
    issued_on AS due_from,
    CASE form
      WHEN '纠正违法通知书' THEN $reply_correction_notice_days
      WHEN '检察建议' THEN $reply_recommendation_months
      WHEN '要求说明理由' THEN $reply_explain_reason_days
      WHEN '通知立案' THEN $reply_notify_filing_days
      WHEN '通知撤案' THEN $reply_notify_withdrawal_days
    END AS due_n,
    CASE form WHEN '检察建议' THEN 'month' ELSE 'day' END AS due_unit, true AS due_rolls,
    replied_on AS done_on,
    CASE form
      WHEN '纠正违法通知书' THEN '《人民检察院刑事诉讼规则》第553条'
      WHEN '检察建议' THEN '《人民检察院检察建议工作规定》(2019)'
      WHEN '要求说明理由' THEN '《人民检察院刑事诉讼规则》第560条；《公安机关办理刑事案件程序规定》第182条'
      WHEN '通知立案' THEN '《人民检察院刑事诉讼规则》第563–564条'
      WHEN '通知撤案' THEN '《人民检察院刑事诉讼规则》第565条'
    END AS basis
  FROM sv
  UNION ALL BY NAME
  SELECT '监督' AS kind, record_id AS item_id, objection_filed_on AS occurred_on,
    '公安' || objection || '（' || form || '）' || coalesce('：' || objection_result, '') AS what, police_unit AS who,
    CASE
      WHEN form = '通知撤案' AND objection = '要求复议' THEN '通知撤案复议决定期限'
      WHEN form = '通知撤案' AND objection = '提请复核' THEN '通知撤案复核决定期限'
      WHEN objection = '申请复查' THEN '纠正意见复查决定期限'
    END AS rule,
    objection_filed_on AS due_from,
    CASE
      WHEN form = '通知撤案' AND objection = '要求复议' THEN $objection_withdrawal_recon_days
      WHEN form = '通知撤案' AND objection = '提请复核' THEN $objection_withdrawal_upper_review_days
      WHEN objection = '申请复查' THEN $objection_recheck_days
    END AS due_n,
    'day' AS due_unit, true AS due_rolls,
    objection_decided_on AS done_on,
    CASE
      WHEN form = '通知撤案' AND objection IN ('要求复议', '提请复核') THEN '《人民检察院刑事诉讼规则》第565条'
      WHEN objection = '申请复查' THEN '《人民检察院刑事诉讼规则》第554条'
    END AS basis
  FROM sv WHERE objection_filed_on <= $as_of::DATE
  UNION ALL BY NAME
  SELECT '节点' AS kind, event_id AS item_id, suspect_id, occurred_at::DATE AS occurred_on, occurred_at,
    event || coalesce('（' || note || '）', '') AS what, concat_ws(' ', actor, actor_person) AS who, recorded_at,
    CASE WHEN recorded_at IS NULL THEN '未推送'
      WHEN epoch(recorded_at) - epoch(occurred_at) > $data_flow_event_late_hours * 3600 THEN '迟延' ELSE '按时' END
      AS push_status
  FROM ev
  UNION ALL BY NAME
  SELECT '涉案财物' AS kind, item_id, seized_on AS occurred_on,
    coalesce(seizure, '查扣') || '：' || description AS what
  FROM p WHERE seized_on <= $as_of::DATE
  UNION ALL BY NAME
  SELECT '涉案财物' AS kind, item_id, transferred_on AS occurred_on,
    concat_ws('，', '随案移送：' || description, accepted,
              CASE WHEN accepted IN ('不予接收', '部分接收') THEN coalesce('理由：' || refusal_reason, '未说明不予接收理由') END)
      AS what
  FROM p WHERE transferred_on <= $as_of::DATE
  UNION ALL BY NAME
  SELECT '涉案财物' AS kind, item_id, disposed_on AS occurred_on, '处置：' || description AS what
  FROM p WHERE disposed_on <= $as_of::DATE
  UNION ALL BY NAME
  -- the case's 挂案 deadline at as_of (rules.md §2), while it is open and has one
  SELECT '期限' AS kind, z.case_id AS item_id, z.suspect_id, z.deadline AS occurred_on,
    '挂案期限（规则' || z.rule || '）' AS what, '挂案期限（规则' || z.rule || '）' AS rule, z.deadline,
    CASE z.rule
      WHEN 'A' THEN '刑事赔偿解释(2015)第2条(二)'
      WHEN 'B' THEN '刑事赔偿解释(2015)第2条(三)'
      ELSE '参照《人民检察院刑事诉讼规则》第253条'
    END AS basis
  FROM /*SOURCE*/ z
  WHERE z.case_id = $case_id AND (SELECT ok FROM in_scope)
  UNION ALL BY NAME
  -- 速裁: the 48 hours have no date deadline; the status is computed on the hours
  SELECT '期限' AS kind, suspect_id AS item_id, suspect_id, coalesce(judged_at, started_at)::DATE AS occurred_on,
    coalesce(judged_at, started_at) AS occurred_at,
    '速裁全流程用时' || coalesce(round(date_diff('second', started_at, judged_at) / 3600.0, 2) || '小时', '（未宣判）')
      AS what,
    '速裁48小时' AS rule,
    CASE
      WHEN judged_at IS NOT NULL AND date_diff('second', started_at, judged_at) <= $fast_track_hours * 3600 THEN '按期'
      WHEN judged_at IS NOT NULL THEN '逾期'
      WHEN date_diff('second', started_at, ($as_of::DATE + 1)::TIMESTAMP) > $fast_track_hours * 3600 THEN '逾期'
      ELSE '未到期'
    END AS fixed_status,
    '京检发〔2022〕169号 第19条' AS basis
  FROM ft_clock
),
-- one deadline computation for every row that names its period (due_from + due_n days or months, rolled over
-- holidays when due_rolls): one zj_due here instead of one per branch keeps the statement small to plan
due AS (
  SELECT * REPLACE (coalesce(deadline, zj_due(due_from, due_n, due_unit, due_rolls)) AS deadline) FROM items
),
judged AS (
  SELECT *,
    CASE WHEN done_on <= $as_of::DATE THEN done_on END AS done_by_as_of
  FROM due
  -- a deadline row may lie after as_of: that is what 未到期 shows
  WHERE occurred_on IS NOT NULL AND (occurred_on <= $as_of::DATE OR kind = '期限')
),
rated AS (
  SELECT *,
    coalesce(fixed_status, CASE
      WHEN deadline IS NULL THEN NULL
      WHEN done_by_as_of IS NOT NULL THEN CASE WHEN done_by_as_of <= deadline THEN '按期' ELSE '逾期' END
      WHEN $as_of::DATE > deadline THEN '逾期'
      ELSE '未到期'
    END) AS status
  FROM judged
)
SELECT (SELECT case_id FROM c) AS case_id, (SELECT district_code FROM c) AS district_code, occurred_on, occurred_at,
  kind, item_id, suspect_id, what, who, rule, deadline, done_by_as_of AS done_on, status,
  CASE WHEN status = '逾期' AND deadline IS NOT NULL
    THEN (coalesce(done_by_as_of, $as_of::DATE) - deadline)::INTEGER END AS days_over,
  recorded_at, push_status, basis
FROM rated
ORDER BY occurred_on, occurred_at NULLS FIRST,
  list_position(['案件', '嫌疑人', '强制措施', '决定', '监督', '节点', '涉案财物', '期限'], kind), item_id, what
