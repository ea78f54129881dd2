-- 立案监督跟踪 (follow-through of filing supervision) — 京检发〔2022〕169号 第7条; metrics M-24 … M-29 of
-- domain-research.md. Legal basis: 要求说明理由 — the police explain within 7 days (《人民检察院刑事诉讼规则》第560条;
-- 《公安机关办理刑事案件程序规定》第182条); 通知立案 — the police file within 15 days, else the procuratorate issues a
-- 纠正违法通知书 (规则 第563–564条); 通知撤案 — the police withdraw the case or ask for 复议 / 复核 (规则 第565条), else a
-- 纠正违法通知书 (京检发 第7条; default 15 days, as rules.md §3).
-- Population: supervision records of form 要求说明理由 / 通知立案 / 通知撤案 in $districts issued on or before $as_of
-- (and in [$from_on, $to_on] when given).
-- Date field: issued_on; the period (rules.md §3: reply_due_on as given, else zj_due(issued_on, n, 'day', true)).
-- Execution, dated on or before $as_of: 要求说明理由 — any answer (replied_on); 通知立案 — the filing: the linked
-- case's filed_on (when not before the notice), else replied_on of a reply 已纠正 (contract: "for 通知立案 the
-- filing"); an objection alone is not a filing; 通知撤案 — the earliest of the linked case's withdrawal (status 已撤案,
-- closed_on), a reply 已纠正, or a 要求复议 / 提请复核 filed.
-- 不捕告知撤案 (M-29; 规则 第287条): a 不批准逮捕 for 不构成犯罪 (没有犯罪事实 or a 刑事诉讼法第十六条 case) tells the police to
-- withdraw the case or stop investigating the suspect; more than $filing_non_arrest_withdrawal_days days after the
-- decision without a 要求复议 / 提请复核, a withdrawal or a 终止侦查, the procuratorate issues a 纠正违法通知书. One row per
-- such decision (record_id = decision_id, issued_on = decided_on, the receipt date being unknown; district and unit
-- are the case's). Execution: the earliest of recon_filed_on, upper_review_filed_on, the case's 已撤案 / 已终止侦查
-- closed_on, and a 终止侦查 event of that suspect.
-- Escalation of a lapsed 通知立案 / 通知撤案 / 不捕告知撤案: the first 纠正违法通知书 to the same district and unit issued
-- after the due date and on or before $as_of — on the same case, or, for a record without a case, without a case and
-- with the same issue.
-- 催办 (M-28; 规则 第564条第3款): a case filed on a 通知立案 (case_filed_on) that is still under investigation — not
-- closed on or before $as_of — when $as_of is past filed_on + $filing_urge_months months (a threshold of neglect:
-- never rolled) may be sent a 立案监督案件催办函. The data carry no 催办函, so every such case is listed (urge_due).
-- Parameters: $as_of, $districts, $from_on, $to_on (NULL = unbounded), $summary; thresholds
-- $reply_explain_reason_days, $reply_notify_filing_days, $reply_notify_withdrawal_days, $filing_urge_months,
-- $filing_non_arrest_withdrawal_days.
WITH sup AS (
  SELECT
    s.record_id, s.case_id, s.district_code, s.police_unit, s.form, s.issue, s.issued_on,
    coalesce(s.reply_due_on, CASE s.form
      WHEN '要求说明理由' THEN zj_due(s.issued_on, $reply_explain_reason_days, 'day', true)
      WHEN '通知立案' THEN zj_due(s.issued_on, $reply_notify_filing_days, 'day', true)
      ELSE zj_due(s.issued_on, $reply_notify_withdrawal_days, 'day', true)
    END) AS due_on,
    CASE WHEN s.replied_on <= $as_of::DATE THEN s.replied_on END AS answered_on,
    CASE WHEN s.replied_on <= $as_of::DATE AND s.reply = '已纠正' THEN s.replied_on END AS corrected_on,
    CASE WHEN c.filed_on >= s.issued_on AND c.filed_on <= $as_of::DATE THEN c.filed_on END AS case_filed_on,
    CASE WHEN c.status = '已撤案' AND c.closed_on >= s.issued_on AND c.closed_on <= $as_of::DATE
      THEN c.closed_on END AS case_withdrawn_on,
    CASE WHEN s.objection IN ('要求复议', '提请复核')
      AND coalesce(s.objection_filed_on, s.replied_on) <= $as_of::DATE
      THEN coalesce(s.objection_filed_on, s.replied_on) END AS recon_on,
    s.objection,
    c.closed_on <= $as_of::DATE AS case_closed
  FROM supervision s
  LEFT JOIN cases c ON c.case_id = s.case_id
  WHERE list_contains($districts, s.district_code)
    AND s.form IN ('要求说明理由', '通知立案', '通知撤案')
    AND s.issued_on <= $as_of::DATE
    AND ($from_on::DATE IS NULL OR s.issued_on >= $from_on::DATE)
    AND ($to_on::DATE IS NULL OR s.issued_on <= $to_on::DATE)
),
nd AS (
  SELECT
    d.decision_id, d.case_id, d.suspect_id, d.decided_on, c.district_code, c.police_unit,
    CASE WHEN d.recon_filed_on <= $as_of::DATE THEN d.recon_filed_on END AS recon_filed_on,
    CASE WHEN d.upper_review_filed_on <= $as_of::DATE THEN d.upper_review_filed_on END AS upper_review_filed_on,
    CASE WHEN c.closed_on >= d.decided_on AND c.closed_on <= $as_of::DATE THEN c.status END AS closed_as,
    CASE WHEN c.closed_on >= d.decided_on AND c.closed_on <= $as_of::DATE THEN c.closed_on END AS closed_on
  FROM decisions d
  JOIN cases c ON c.case_id = d.case_id
  WHERE d.decision = '不批准逮捕' AND d.reason = '不构成犯罪'
    AND list_contains($districts, c.district_code)
    AND d.decided_on <= $as_of::DATE
    AND ($from_on::DATE IS NULL OR d.decided_on >= $from_on::DATE)
    AND ($to_on::DATE IS NULL OR d.decided_on <= $to_on::DATE)
),
-- a 终止侦查 of one suspect of several is an event of that suspect: the case stays open for the others
nd_stopped AS (
  SELECT nd.decision_id, min(e.occurred_at::DATE) AS stopped_on
  FROM nd
  JOIN events e ON e.case_id = nd.case_id AND e.suspect_id = nd.suspect_id
  -- suspect_id IS NOT NULL is implied by the join but, pushed into the scan, spares reading most of events
  WHERE e.event = '终止侦查' AND e.suspect_id IS NOT NULL
    AND e.occurred_at::DATE >= nd.decided_on AND e.occurred_at::DATE <= $as_of::DATE
  GROUP BY nd.decision_id
),
r AS (
  SELECT * FROM sup
  UNION ALL BY NAME
  SELECT
    nd.decision_id AS record_id, nd.case_id, nd.district_code, nd.police_unit, '不捕告知撤案' AS form,
    nd.decided_on AS issued_on,
    zj_due(nd.decided_on, $filing_non_arrest_withdrawal_days, 'day', true) AS due_on,
    CASE WHEN nd.closed_as = '已撤案' THEN nd.closed_on END AS case_withdrawn_on,
    least(CASE WHEN nd.closed_as = '已终止侦查' THEN nd.closed_on END, ev.stopped_on) AS case_stopped_on,
    least(nd.recon_filed_on, nd.upper_review_filed_on) AS recon_on,
    CASE WHEN nd.recon_filed_on <= coalesce(nd.upper_review_filed_on, nd.recon_filed_on) THEN '要求复议'
      WHEN nd.upper_review_filed_on IS NOT NULL THEN '提请复核' END AS objection
  FROM nd
  LEFT JOIN nd_stopped ev USING (decision_id)
),
done AS (
  SELECT
    *,
    CASE form
      WHEN '要求说明理由' THEN answered_on
      WHEN '通知立案' THEN coalesce(case_filed_on, corrected_on)
      ELSE least(case_withdrawn_on, case_stopped_on, corrected_on, recon_on)
    END AS done_on
  FROM r
),
st AS (
  SELECT
    *,
    CASE
      WHEN done_on IS NULL THEN CASE WHEN form = '通知立案' AND answered_on IS NOT NULL THEN '提出异议，未立案' ELSE '未执行' END
      WHEN form = '要求说明理由' THEN '已说明理由'
      WHEN form = '通知立案' THEN '已立案'
      -- a withdrawal on the day of a 复议 request is the stronger outcome
      WHEN done_on IN (case_withdrawn_on, corrected_on) THEN '已撤案'
      WHEN done_on = case_stopped_on THEN '已终止侦查'
      ELSE objection
    END AS outcome,
    CASE
      WHEN done_on > due_on THEN '逾期执行'
      WHEN done_on IS NOT NULL THEN '按期执行'
      WHEN $as_of::DATE > due_on THEN '逾期未执行'
      ELSE '未到期'
    END AS status
  FROM done
),
-- the lapsed records only: a join on district and unit alone would pair every record with every notice of its unit
lapsed AS (
  SELECT form, record_id, case_id, district_code, police_unit, issue, due_on
  FROM st
  WHERE form <> '要求说明理由' AND status IN ('逾期执行', '逾期未执行')
),
notices AS (
  SELECT record_id, case_id, district_code, police_unit, issue, issued_on
  FROM supervision
  WHERE form = '纠正违法通知书' AND issued_on <= $as_of::DATE
),
esc AS (
  SELECT l.form, l.record_id, arg_min(n.record_id, (n.issued_on, n.record_id)) AS correction_notice_id
  FROM lapsed l
  JOIN notices n ON n.case_id = l.case_id AND n.district_code = l.district_code AND n.police_unit = l.police_unit
  WHERE n.issued_on > l.due_on
  GROUP BY l.form, l.record_id
  UNION ALL
  SELECT l.form, l.record_id, arg_min(n.record_id, (n.issued_on, n.record_id))
  FROM lapsed l
  JOIN notices n ON n.issue = l.issue AND n.district_code = l.district_code AND n.police_unit = l.police_unit
  WHERE l.case_id IS NULL AND n.case_id IS NULL AND n.issued_on > l.due_on
  GROUP BY l.form, l.record_id
),
f AS (
  SELECT
    st.*,
    esc.correction_notice_id,
    CASE WHEN st.form = '通知立案' THEN zj_due(st.case_filed_on, $filing_urge_months, 'month', false) END AS urge_after
  FROM st
  LEFT JOIN esc ON esc.form = st.form AND esc.record_id = st.record_id
),
out AS (
  SELECT
    record_id, case_id, district_code, police_unit, form, issue, issued_on, due_on, done_on, outcome, status,
    CASE status WHEN '逾期执行' THEN done_on - due_on WHEN '逾期未执行' THEN $as_of::DATE - due_on END::INTEGER
      AS days_late,
    correction_notice_id,
    1 AS issued,
    (done_on IS NOT NULL)::INTEGER AS executed,
    (done_on IS NOT NULL)::INTEGER::DOUBLE AS execution_rate,
    (status = '按期执行')::INTEGER AS on_time,
    (status IN ('逾期执行', '逾期未执行'))::INTEGER AS lapsed,
    (correction_notice_id IS NOT NULL)::INTEGER AS lapsed_escalated,
    urge_after,
    coalesce($as_of::DATE > urge_after AND NOT coalesce(case_closed, false), false)::INTEGER AS urge_due,
    CASE form
      WHEN '要求说明理由' THEN '《人民检察院刑事诉讼规则》第560条；《公安机关办理刑事案件程序规定》第182条：收到通知后七日内书面说明理由'
      WHEN '通知立案' THEN '《人民检察院刑事诉讼规则》第563–564条：收到通知立案书后十五日内立案；逾期不立案的，发出纠正违法通知书'
      WHEN '通知撤案' THEN '《人民检察院刑事诉讼规则》第565条；京检发〔2022〕169号 第7条：收到通知撤销案件书后撤销案件或要求复议；逾期的，发出纠正违法通知书'
      ELSE '《人民检察院刑事诉讼规则》第287条：因不构成犯罪不批准逮捕的，公安机关超过十五日未要求复议、提请复核，也不撤销案件或终止侦查的，发出纠正违法通知书'
    END AS basis
  FROM f
  WHERE NOT $summary
  UNION ALL BY NAME
  SELECT
    form,
    count(*) AS issued,
    count(done_on) AS executed,
    count(done_on) / count(*) AS execution_rate,
    count(*) FILTER (WHERE status = '按期执行') AS on_time,
    count(*) FILTER (WHERE status IN ('逾期执行', '逾期未执行')) AS lapsed,
    count(correction_notice_id) AS lapsed_escalated,
    count(*) FILTER (WHERE $as_of::DATE > urge_after AND NOT coalesce(case_closed, false)) AS urge_due,
    '京检发〔2022〕169号 第7条；《人民检察院刑事诉讼规则》第287条、第560条、第563–565条：执行率 = 已执行 / 发出' AS basis
  FROM f
  WHERE $summary
  GROUP BY form
)
SELECT * FROM out
ORDER BY issued_on NULLS FIRST, list_position(['要求说明理由', '通知立案', '通知撤案', '不捕告知撤案'], form), record_id
