-- 监督意见逾期未回复 / 逾期回复 (overdue supervision replies) — spec/rules.md §3; 京检发〔2022〕169号 第7–8条.
-- Legal basis, per form: 纠正违法通知书 《人民检察院刑事诉讼规则》第553条 (the notice may set its own period; the default
-- is an assumption); 检察建议 《人民检察院检察建议工作规定》(2019); 要求说明理由 规则 第560条, 《公安机关办理刑事案件程序规定》
-- 第182条; 通知立案 规则 第563–564条; 通知撤案 规则 第565条. 口头纠正 and 移送追究刑事责任 have no reply period (规则 第552条)
-- and are never listed, even with a reply_due_on.
-- Population: supervision records in $districts issued on or before $as_of, of the five forms with a period.
-- Date field: issued_on starts the period (the start day is not counted); reply_due_on, when given, wins as given
-- (no roll-over); otherwise zj_due(issued_on, n, unit, true) — a procedural period, rolled past rest days.
-- Overdue: answered after the due date (due_on < replied_on <= $as_of), or $as_of > due_on with no answer dated on
-- or before $as_of (an objection is an answer: replied_on is the police's answer of any kind).
-- Parameters: $as_of, $districts; thresholds $reply_correction_notice_days, $reply_recommendation_months,
-- $reply_explain_reason_days, $reply_notify_filing_days, $reply_notify_withdrawal_days.
WITH due AS (
  SELECT
    s.record_id, s.case_id, s.district_code, s.police_unit, s.form, s.issued_on,
    coalesce(s.reply_due_on, CASE s.form
      WHEN '纠正违法通知书' THEN zj_due(s.issued_on, $reply_correction_notice_days, 'day', true)
      WHEN '检察建议' THEN zj_due(s.issued_on, $reply_recommendation_months, 'month', true)
      WHEN '要求说明理由' THEN zj_due(s.issued_on, $reply_explain_reason_days, 'day', true)
      WHEN '通知立案' THEN zj_due(s.issued_on, $reply_notify_filing_days, 'day', true)
      WHEN '通知撤案' THEN zj_due(s.issued_on, $reply_notify_withdrawal_days, 'day', true)
    END) AS due_on,
    -- a reply dated after as_of had not happened yet at as_of
    CASE WHEN s.replied_on <= $as_of::DATE THEN s.replied_on END AS replied_on
  FROM supervision s
  WHERE list_contains($districts, s.district_code)
    AND s.issued_on <= $as_of::DATE
    AND s.form IN ('纠正违法通知书', '检察建议', '要求说明理由', '通知立案', '通知撤案')
)
SELECT
  record_id,
  case_id,
  district_code,
  police_unit,
  form,
  issued_on,
  due_on,
  replied_on,
  CASE WHEN replied_on IS NULL THEN $as_of::DATE - due_on ELSE replied_on - due_on END::INTEGER AS days_overdue,
  CASE WHEN replied_on IS NULL THEN '逾期未回复' ELSE '逾期回复' END AS status,
  CASE form
    WHEN '纠正违法通知书' THEN '《人民检察院刑事诉讼规则》第553条：被监督单位应在纠正违法通知书规定的期限内回复'
    WHEN '检察建议' THEN '《人民检察院检察建议工作规定》(2019)：被建议单位应在收到检察建议书后二个月内书面回复'
    WHEN '要求说明理由' THEN '《人民检察院刑事诉讼规则》第560条；《公安机关办理刑事案件程序规定》第182条：收到通知后七日内书面说明理由'
    WHEN '通知立案' THEN '《人民检察院刑事诉讼规则》第563–564条：收到通知立案书后十五日内立案'
    ELSE '《人民检察院刑事诉讼规则》第565条：收到通知撤销案件书后撤销案件或要求复议'
  END AS basis
FROM due
WHERE (replied_on IS NOT NULL AND replied_on > due_on)
   OR (replied_on IS NULL AND $as_of::DATE > due_on)
ORDER BY days_overdue DESC, record_id
