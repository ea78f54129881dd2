-- rules.md §3 with §1's roll-over: a due date on a weekend or statutory holiday (休) moves to the next working day;
-- 调休 weekend days (班) are working days; an explicit reply_due_on is used as given. Expects table holidays(date, kind).
WITH p AS (SELECT as_of FROM params),
days AS (
  SELECT CAST(d AS DATE) AS day,
    coalesce(h.kind = '班', false) OR (dayofweek(CAST(d AS DATE)) NOT IN (0, 6) AND h.kind IS DISTINCT FROM '休') AS working
  FROM range(DATE '2018-01-01', DATE '2027-12-31', INTERVAL 1 DAY) t(d)
  LEFT JOIN holidays h ON h.date = CAST(d AS DATE)
),
r AS (
  SELECT s.*,
    CASE s.form
      WHEN '纠正违法通知书' THEN s.issued_on + 15
      WHEN '检察建议' THEN add_months(s.issued_on, 2)
      WHEN '要求说明理由' THEN s.issued_on + 7
      ELSE s.issued_on + 15
    END AS period_end
  FROM supervision s, p
  WHERE s.issued_on <= p.as_of AND s.form IN ('纠正违法通知书', '检察建议', '要求说明理由', '通知立案', '通知撤案')
),
due AS (
  SELECT r.*, coalesce(r.reply_due_on, (SELECT min(day) FROM days WHERE working AND day >= r.period_end)) AS due_on
  FROM r
)
SELECT
  count(*) FILTER (WHERE replied_on <= p.as_of AND replied_on > due_on) AS late,
  count(*) FILTER (WHERE (replied_on IS NULL OR replied_on > p.as_of) AND p.as_of > due_on) AS unanswered,
  count(*) FILTER (WHERE due_on > period_end AND reply_due_on IS NULL) AS rolled
FROM due, p
