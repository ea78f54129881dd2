-- 监督工作台账与采纳率 (supervision ledger and adoption rate) — spec/rules.md §3; 京检发〔2022〕169号 第7–8条;
-- 《人民检察院组织法》第21条 (the supervised unit replies in writing on adoption); reply periods as in
-- supervision-overdue.sql (规则 第553条、第560条、第563–565条; 检察建议工作规定 (2019)).
-- Population: supervision records in $districts with issued_on in [$from_on, $to_on] and on or before $as_of.
-- Date field: issued_on (the period of the ledger and of the adoption rate); replies count as of $as_of.
-- Parameters: $as_of, $districts, $from_on/$to_on (derived from from, to), $group_by ∈ none | total | district |
-- police_unit | month | quarter (enforced by the module's zod enum); reply-period thresholds as in supervision-overdue.
-- A reply is reply 已纠正 or 提出异议 not dated after $as_of; 采纳率 = 已纠正 / replies, NULL without replies.
-- Overdue and due_on follow supervision-overdue exactly (the same CASE: keep the two in step).
WITH r AS (
  SELECT
    s.*,
    CASE WHEN s.form IN ('纠正违法通知书', '检察建议', '要求说明理由', '通知立案', '通知撤案') THEN
      coalesce(s.reply_due_on, CASE s.form
        WHEN '纠正违法通知书' THEN zj_due(s.issued_on, $reply_correction_notice_days, 'day', true)
        WHEN '检察建议' THEN zj_due(s.issued_on, $reply_recommendation_months, 'month', true)
        WHEN '要求说明理由' THEN zj_due(s.issued_on, $reply_explain_reason_days, 'day', true)
        WHEN '通知立案' THEN zj_due(s.issued_on, $reply_notify_filing_days, 'day', true)
        WHEN '通知撤案' THEN zj_due(s.issued_on, $reply_notify_withdrawal_days, 'day', true)
      END)
    END AS due_on,
    CASE WHEN s.replied_on <= $as_of::DATE THEN s.replied_on END AS answered_on,
    s.reply <> '未回复' AND coalesce(s.replied_on <= $as_of::DATE, true) AS has_reply
  FROM supervision s
  WHERE list_contains($districts, s.district_code)
    AND s.issued_on BETWEEN $from_on::DATE AND $to_on::DATE
    AND s.issued_on <= $as_of::DATE
),
f AS (
  SELECT
    *,
    CASE
      WHEN due_on IS NULL THEN CASE WHEN answered_on IS NULL THEN '未回复' ELSE '已回复' END
      WHEN answered_on > due_on THEN '逾期回复'
      WHEN answered_on IS NOT NULL THEN '按期回复'
      WHEN $as_of::DATE > due_on THEN '逾期未回复'
      ELSE '未到期'
    END AS reply_status,
    CASE WHEN has_reply THEN reply ELSE '未回复' END AS reply_at_as_of
  FROM r
),
g AS (
  SELECT
    *,
    CASE $group_by
      WHEN 'month' THEN strftime(issued_on, '%Y-%m')
      WHEN 'quarter' THEN year(issued_on)::VARCHAR || '-Q' || quarter(issued_on)::VARCHAR
    END AS g_period,
    CASE WHEN $group_by IN ('district', 'police_unit') THEN district_code END AS g_district,
    CASE WHEN $group_by = 'police_unit' THEN police_unit END AS g_unit
  FROM f
  WHERE $group_by <> 'none'
)
SELECT
  NULL::VARCHAR AS period,
  district_code,
  police_unit,
  record_id,
  case_id,
  category,
  issue,
  severity,
  form,
  issued_on,
  due_on,
  answered_on AS replied_on,
  reply_at_as_of AS reply,
  reply_status,
  CASE WHEN rectified_on <= $as_of::DATE THEN rectified_on END AS rectified_on,
  CASE WHEN objection_filed_on IS NULL OR objection_filed_on <= $as_of::DATE THEN objection END AS objection,
  CASE WHEN objection_decided_on <= $as_of::DATE THEN objection_result END AS objection_result,
  1 AS issued,
  has_reply::INTEGER AS replied,
  (has_reply AND reply = '已纠正')::INTEGER AS adopted,
  CASE WHEN has_reply THEN (reply = '已纠正')::INTEGER::DOUBLE END AS adoption_rate,
  (reply_status IN ('逾期回复', '逾期未回复'))::INTEGER AS overdue,
  (reply_status = '逾期未回复')::INTEGER AS overdue_unanswered,
  (reply_status = '逾期回复')::INTEGER AS overdue_late,
  CASE form
    WHEN '纠正违法通知书' THEN '《人民检察院刑事诉讼规则》第553条：被监督单位应在纠正违法通知书规定的期限内回复'
    WHEN '检察建议' THEN '《人民检察院检察建议工作规定》(2019)：被建议单位应在收到检察建议书后二个月内书面回复'
    WHEN '要求说明理由' THEN '《人民检察院刑事诉讼规则》第560条；《公安机关办理刑事案件程序规定》第182条：收到通知后七日内书面说明理由'
    WHEN '通知立案' THEN '《人民检察院刑事诉讼规则》第563–564条：收到通知立案书后十五日内立案'
    WHEN '通知撤案' THEN '《人民检察院刑事诉讼规则》第565条：收到通知撤销案件书后撤销案件或要求复议'
    ELSE '《人民检察院刑事诉讼规则》第552条：' || form || '无回复期限'
  END AS basis
FROM f
WHERE $group_by = 'none'
UNION ALL BY NAME
SELECT
  g_period AS period,
  g_district AS district_code,
  g_unit AS police_unit,
  count(*) AS issued,
  count(*) FILTER (WHERE has_reply) AS replied,
  count(*) FILTER (WHERE has_reply AND reply = '已纠正') AS adopted,
  CASE WHEN count(*) FILTER (WHERE has_reply) > 0
    THEN count(*) FILTER (WHERE has_reply AND reply = '已纠正') / count(*) FILTER (WHERE has_reply)
  END AS adoption_rate,
  count(*) FILTER (WHERE reply_status IN ('逾期回复', '逾期未回复')) AS overdue,
  count(*) FILTER (WHERE reply_status = '逾期未回复') AS overdue_unanswered,
  count(*) FILTER (WHERE reply_status = '逾期回复') AS overdue_late,
  '京检发〔2022〕169号 第7–8条；《人民检察院组织法》第21条：采纳率 = 已纠正 / 已回复' AS basis
FROM g
GROUP BY g_period, g_district, g_unit
-- record rows by issue date; group rows (no issued_on) by their key
ORDER BY issued_on, record_id, period, district_code, police_unit
