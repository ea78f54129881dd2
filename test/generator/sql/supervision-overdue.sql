-- rules.md §3 (Seed Arts. 7–8): reply periods from issued_on — 纠正违法通知书 15 days (规则 第553条), 检察建议
-- 2 months (检察建议工作规定), 要求说明理由 7 days (规则 第560条), 通知立案 / 通知撤案 15 days (规则 第563–565条);
-- reply_due_on wins when given. Overdue: answered after the due date, or unanswered with as_of past it. Holiday
-- roll-over is left out: the generator keeps every record far enough from its due date for it not to matter.
WITH p AS (SELECT as_of FROM params),
r AS (
  SELECT s.*,
    coalesce(s.reply_due_on, CASE s.form
      WHEN '纠正违法通知书' THEN s.issued_on + 15
      WHEN '检察建议' THEN add_months(s.issued_on, 2)
      WHEN '要求说明理由' THEN s.issued_on + 7
      WHEN '通知立案' THEN s.issued_on + 15
      WHEN '通知撤案' THEN s.issued_on + 15
    END) AS due_on
  FROM supervision s, p
  WHERE s.issued_on <= p.as_of
    AND s.form IN ('纠正违法通知书', '检察建议', '要求说明理由', '通知立案', '通知撤案')
)
SELECT r.record_id, r.form, r.issued_on, r.due_on, r.replied_on,
  (r.replied_on IS NOT NULL AND r.replied_on <= p.as_of AND r.replied_on > r.due_on) AS late,
  ((r.replied_on IS NULL OR r.replied_on > p.as_of) AND p.as_of > r.due_on) AS unanswered
FROM r, p
