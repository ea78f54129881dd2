-- 不捕/不诉 理由构成 (reasons mix) — the reasons behind 不批准逮捕 and 不起诉 decisions in a window, for the 不捕不诉
-- page and the joint meeting (京检发〔2022〕169号 第9条 joint review of such decisions, 第22条). Reasons are the
-- contract's (spec/contract.md decisions.reason): 不构成犯罪 / 证据不足 / 无社会危险性 (《刑事诉讼法》第81条、
-- 《人民检察院刑事诉讼规则》第139–140条); 法定 / 酌定 / 存疑 / 附条件不起诉 (《刑事诉讼法》第175、177、282条).
-- Population: decisions 不批准逮捕 and 不起诉 with decided_on in [$from, $to], their case in $districts; each decision
-- counts once (a person with two such decisions in the window counts twice). A decision without a reason counts as
-- 未填写. Date field: decisions.decided_on.
-- Parameters: $from, $to (default: the year to date of as_of), $group_by (all | district).
WITH d AS (
  SELECT
    CASE WHEN $group_by = 'district' THEN c.district_code END AS district_code,
    d.decision,
    coalesce(nullif(trim(d.reason), ''), '未填写') AS reason
  FROM decisions d
  JOIN cases c ON c.case_id = d.case_id
  WHERE d.decision IN ('不批准逮捕', '不起诉')
    AND d.decided_on BETWEEN $from::DATE AND $to::DATE
    AND list_contains($districts, c.district_code)
)
SELECT
  district_code,
  decision,
  reason,
  count(*) AS decisions,
  sum(count(*)) OVER (PARTITION BY district_code, decision) AS decision_total,
  count(*) / sum(count(*)) OVER (PARTITION BY district_code, decision) AS share
FROM d
GROUP BY district_code, decision, reason
ORDER BY district_code NULLS FIRST, decision, decisions DESC, reason
