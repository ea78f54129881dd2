-- 挂案清理率 (pending-case clearance, M-40b) — spec/rules.md §2 last paragraph; 京检发〔2022〕169号 第5条.
-- Legal basis: as `pending-cases` — 刑事赔偿解释(2015)第2条(二)(三); 参照《人民检察院刑事诉讼规则》第253条 (Rule C).
-- Population: the cases flagged 挂案 at $from (open at $from and $from > their deadline, by the table macro
-- zj_pending computed for $from, src/db/migrations/006_pending.sql, or the mart holding it for that date: the
-- SOURCE:from placeholder, queries/marts.ts pendingRelation), in $districts.
-- Resolved: of them, those closed in ($from, $to] (status ≠ 侦查中, closed_on after $from and on or before $to).
-- Date fields: cases.filed_on, closed_on, measures.start_on / end_on (inside zj_pending).
-- Parameters: $from, $to (default: the as_of date, supplied by derive), $districts; thresholds $pending_rule_a_months,
-- $pending_rule_b_months, $pending_rule_c_months, $measure_bail_months, $measure_rs_months.
-- One row per district with at least one flagged case. clearance_rate = resolved / flagged (NULL when 0).
WITH flagged AS (
  SELECT p.case_id
  FROM /*SOURCE:from*/ p
  WHERE $from::DATE > p.deadline
),
counted AS (
  SELECT c.district_code,
    count(*) AS flagged,
    count(*) FILTER (WHERE c.status <> '侦查中' AND c.closed_on > $from::DATE AND c.closed_on <= $to::DATE)
      AS resolved
  FROM flagged f
  JOIN cases c ON c.case_id = f.case_id
  WHERE list_contains($districts, c.district_code)
  GROUP BY c.district_code
)
SELECT district_code, flagged, resolved, CASE WHEN flagged > 0 THEN resolved / flagged END AS clearance_rate,
  '京检发〔2022〕169号 第5条；刑事赔偿解释(2015)第2条(二)(三)；参照《人民检察院刑事诉讼规则》第253条' AS basis
FROM counted
ORDER BY district_code
