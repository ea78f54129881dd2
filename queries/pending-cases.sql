-- 挂案 (pending cases) — spec/rules.md §2; 京检发〔2022〕169号 第5条.
-- Legal basis: Rule A 最高法、最高检《关于办理刑事赔偿案件适用法律若干问题的解释》(2015) 第2条(二); Rule B 同 第2条(三);
-- Rule C 参照《人民检察院刑事诉讼规则》第253条 (24 months, an assumption; configurable).
-- Population: cases open at $as_of (filed on or before it, not closed on or before it) in $districts.
-- Parameters: $as_of, $districts, $include_warnings; thresholds $pending_severe_days, $pending_warning_days (and the
-- rule periods, inside the deadline source).
-- Deadlines: the SOURCE placeholder below becomes the per-case mart `mart_pending` when $as_of is the data-as-of date it was built for,
-- else the table macro zj_pending (src/db/migrations/006_pending.sql) computed for $as_of.
SELECT
  d.case_id,
  d.suspect_id,
  d.district_code,
  d.police_unit,
  d.charge,
  d.filed_on,
  d.rule,
  d.deadline,
  ($as_of::DATE - d.deadline)::INTEGER AS days_over,
  CASE
    WHEN $as_of::DATE > d.deadline AND $as_of::DATE - d.deadline > $pending_severe_days THEN '严重挂案'
    WHEN $as_of::DATE > d.deadline THEN '挂案'
    ELSE '预警'
  END AS tier,
  d.enterprise_related,
  CASE d.rule
    WHEN 'A' THEN '刑事赔偿解释(2015)第2条(二)：强制措施解除后超过12个月未移送审查起诉、撤案或终止侦查'
    WHEN 'B' THEN '刑事赔偿解释(2015)第2条(三)：取保候审、监视居住期限届满后超过12个月未移送审查起诉、撤案或终止侦查'
    ELSE '参照《人民检察院刑事诉讼规则》第253条：立案后长期未采取强制措施且未移送审查起诉、撤案或终止侦查'
  END AS basis
FROM /*SOURCE*/ d
WHERE list_contains($districts, d.district_code)
  AND ($as_of::DATE > d.deadline
       OR ($include_warnings AND d.deadline >= $as_of::DATE AND d.deadline <= $as_of::DATE + $pending_warning_days::INTEGER))
ORDER BY days_over DESC, d.case_id
