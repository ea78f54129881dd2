-- rules.md §4 (Seed Art. 6; 规则 第552条): the ladder 口头纠正 < 纠正违法通知书 < 检察建议 < 移送追究刑事责任 by
-- severity 较轻 < 较重 < 普遍性 < 涉嫌犯罪. 不当降格: below the ladder, or 口头纠正 for an issue serious by nature.
-- 不当升格: above it, unless the same police_unit had ≥ 2 records with the same issue in [issued_on − 365, issued_on).
-- 不应当监督而监督: the objection ended 撤销 or 撤回.
WITH ladder(form, rank) AS (VALUES ('口头纠正', 0), ('纠正违法通知书', 1), ('检察建议', 2), ('移送追究刑事责任', 3)),
expected(severity, rank) AS (VALUES ('较轻', 0), ('较重', 1), ('普遍性', 2), ('涉嫌犯罪', 3)),
judged AS (
  SELECT s.record_id, s.police_unit, s.issue, s.issued_on, s.form, l.rank AS form_rank, e.rank AS expected_rank
  FROM supervision s JOIN ladder l ON l.form = s.form JOIN expected e ON e.severity = s.severity
),
repeats AS (
  SELECT j.record_id, count(o.record_id) AS earlier
  FROM judged j
  LEFT JOIN supervision o
    ON o.police_unit = j.police_unit AND o.issue = j.issue
   AND o.issued_on >= j.issued_on - 365 AND o.issued_on < j.issued_on
  GROUP BY j.record_id
)
SELECT
  count(*) FILTER (WHERE j.form_rank > j.expected_rank AND r.earlier < 2) AS escalated,
  count(*) FILTER (WHERE j.form_rank < j.expected_rank
    OR (j.form = '口头纠正' AND j.issue IN ('刑讯逼供', '非法取证', '超期羁押', '违法处置涉案财物'))) AS downgraded,
  (SELECT count(*) FROM supervision WHERE objection_result IN ('撤销', '撤回')) AS unwarranted
FROM judged j JOIN repeats r ON r.record_id = j.record_id
