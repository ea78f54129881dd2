-- 立案监督跟踪 (follow-through of filing supervision) — 京检发〔2022〕169号 第7条; metrics M-24 … M-27 of
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
-- Escalation of a lapsed 通知立案 / 通知撤案: the first 纠正违法通知书 to the same district and unit issued after the
-- due date and on or before $as_of — on the same case, or, for a record without a case, without a case and with
-- the same issue.
-- Parameters: $as_of, $districts, $from_on, $to_on (NULL = unbounded), $summary; thresholds
-- $reply_explain_reason_days, $reply_notify_filing_days, $reply_notify_withdrawal_days.
WITH r AS (
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
    s.objection
  FROM supervision s
  LEFT JOIN cases c ON c.case_id = s.case_id
  WHERE list_contains($districts, s.district_code)
    AND s.form IN ('要求说明理由', '通知立案', '通知撤案')
    AND s.issued_on <= $as_of::DATE
    AND ($from_on::DATE IS NULL OR s.issued_on >= $from_on::DATE)
    AND ($to_on::DATE IS NULL OR s.issued_on <= $to_on::DATE)
),
done AS (
  SELECT
    *,
    CASE form
      WHEN '要求说明理由' THEN answered_on
      WHEN '通知立案' THEN coalesce(case_filed_on, corrected_on)
      ELSE least(case_withdrawn_on, corrected_on, recon_on)
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
esc AS (
  SELECT
    st.*,
    (SELECT arg_min(n.record_id, (n.issued_on, n.record_id)) FROM supervision n
      WHERE n.form = '纠正违法通知书' AND n.district_code = st.district_code AND n.police_unit = st.police_unit
        AND n.issued_on > st.due_on AND n.issued_on <= $as_of::DATE
        AND (n.case_id = st.case_id OR (st.case_id IS NULL AND n.case_id IS NULL AND n.issue = st.issue))
    ) AS notice_id
  FROM st
),
f AS (
  SELECT
    *,
    CASE WHEN form <> '要求说明理由' AND status IN ('逾期执行', '逾期未执行') THEN notice_id END AS correction_notice_id
  FROM esc
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
    CASE form
      WHEN '要求说明理由' THEN '《人民检察院刑事诉讼规则》第560条；《公安机关办理刑事案件程序规定》第182条：收到通知后七日内书面说明理由'
      WHEN '通知立案' THEN '《人民检察院刑事诉讼规则》第563–564条：收到通知立案书后十五日内立案；逾期不立案的，发出纠正违法通知书'
      ELSE '《人民检察院刑事诉讼规则》第565条；京检发〔2022〕169号 第7条：收到通知撤销案件书后撤销案件或要求复议；逾期的，发出纠正违法通知书'
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
    '京检发〔2022〕169号 第7条；《人民检察院刑事诉讼规则》第560条、第563–565条：执行率 = 已执行 / 发出' AS basis
  FROM f
  WHERE $summary
  GROUP BY form
)
SELECT * FROM out
ORDER BY issued_on NULLS FIRST, list_position(['要求说明理由', '通知立案', '通知撤案'], form), record_id
