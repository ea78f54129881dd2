-- Joint quality review results (review-results) — 京检发〔2022〕169号 第9条; metrics M-21 (grade distribution), M-22
-- (不合格率), M-23 (issues by dimension) and M-23b (police-side issues) of domain-research.md; grades per
-- 《人民检察院案件质量评查工作规定》 (优质 / 合格 / 基本合格 / 不合格; 瑕疵 is stored as 基本合格).
-- Population: reviews (one per reviewed decision of a review campaign) with reviewed_on in [$from, $to] ($from NULL:
-- no lower bound), of $campaign when given, whose reviewed decision's case is in $districts. A review whose decision
-- is not in `decisions` is outside every scope and not counted.
-- Date field: reviews.reviewed_on. Parameters: $from, $to, $campaign, $group_by (campaign, district, month,
-- quarter, year, all), $view (grades: one row per group; issues: one row per group, dimension and responsible agency).
-- Rates: fractions over the group's reviews, NULL when there are none.
WITH scoped AS (
  SELECT r.review_id, r.review_campaign_id, r.grade, r.reviewed_on, c.district_code
  FROM reviews r
  JOIN decisions d ON d.decision_id = r.decision_id
  JOIN cases c ON c.case_id = d.case_id
  WHERE list_contains($districts, c.district_code)
    AND r.reviewed_on <= $to::DATE
    AND ($from::DATE IS NULL OR r.reviewed_on >= $from::DATE)
    AND ($campaign::VARCHAR IS NULL OR r.review_campaign_id = $campaign::VARCHAR)
),
keyed AS (
  SELECT s.*,
    CASE WHEN $group_by = 'campaign' THEN s.review_campaign_id END AS group_campaign,
    CASE WHEN $group_by = 'district' THEN s.district_code END AS group_district,
    CASE $group_by
      WHEN 'month' THEN strftime(s.reviewed_on, '%Y-%m')
      WHEN 'quarter' THEN strftime(s.reviewed_on, '%Y') || '-Q' || quarter(s.reviewed_on)
      WHEN 'year' THEN strftime(s.reviewed_on, '%Y')
    END AS period
  FROM scoped s
),
per_review AS (
  SELECT k.review_id,
    count(f.review_finding_id) AS findings,
    count(f.review_finding_id) FILTER (WHERE f.responsible = '公安') AS police_findings,
    count(f.review_finding_id) FILTER (WHERE f.responsible = '检察') AS procuratorate_findings
  FROM keyed k
  LEFT JOIN review_findings f ON f.review_id = k.review_id
  GROUP BY k.review_id
),
grades AS (
  SELECT k.group_campaign, k.group_district, k.period,
    count(*) AS reviewed,
    count(*) FILTER (WHERE k.grade = '优质') AS grade_excellent,
    count(*) FILTER (WHERE k.grade = '合格') AS grade_pass,
    count(*) FILTER (WHERE k.grade = '基本合格') AS grade_basic_pass,
    count(*) FILTER (WHERE k.grade = '不合格') AS grade_fail,
    count(*) FILTER (WHERE p.findings > 0) AS with_issue,
    count(*) FILTER (WHERE p.police_findings > 0) AS police_issue,
    count(*) FILTER (WHERE p.procuratorate_findings > 0) AS procuratorate_issue,
    sum(p.findings)::INTEGER AS findings
  FROM keyed k
  JOIN per_review p USING (review_id)
  GROUP BY ALL
),
issues AS (
  SELECT k.group_campaign, k.group_district, k.period, f.dimension, f.responsible,
    count(*) AS findings,
    count(DISTINCT k.review_id) AS reviews_with_issue
  FROM keyed k
  JOIN review_findings f ON f.review_id = k.review_id
  GROUP BY ALL
),
-- a campaign's sample in scope: the stored decision ids whose case is in the caller's districts
samples AS (
  SELECT rc.review_campaign_id, count(*) AS sample_size
  FROM review_campaigns rc,
    unnest(from_json(rc.sample, '["VARCHAR"]')) AS s(decision_id)
  JOIN decisions d ON d.decision_id = s.decision_id
  JOIN cases c ON c.case_id = d.case_id
  WHERE list_contains($districts, c.district_code) AND rc.created_at::DATE <= $to::DATE
  GROUP BY rc.review_campaign_id
),
rows AS (
  SELECT g.group_campaign, g.group_district, g.period, NULL::VARCHAR AS dimension, NULL::VARCHAR AS responsible,
    g.reviewed, g.grade_excellent, g.grade_pass, g.grade_basic_pass, g.grade_fail, g.with_issue, g.police_issue,
    g.procuratorate_issue, g.findings, NULL::BIGINT AS reviews_with_issue
  FROM grades g
  WHERE $view = 'grades'
  UNION ALL
  -- a campaign of the scope with nothing reviewed yet: progress 0, rates NULL
  SELECT s.review_campaign_id, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL
  FROM samples s
  WHERE $view = 'grades' AND $group_by = 'campaign'
    AND ($campaign::VARCHAR IS NULL OR s.review_campaign_id = $campaign::VARCHAR)
    AND s.review_campaign_id NOT IN (SELECT group_campaign FROM grades WHERE group_campaign IS NOT NULL)
  UNION ALL
  SELECT i.group_campaign, i.group_district, i.period, i.dimension, i.responsible,
    g.reviewed, NULL, NULL, NULL, NULL, NULL, NULL, NULL, i.findings, i.reviews_with_issue
  FROM issues i
  JOIN grades g ON g.group_campaign IS NOT DISTINCT FROM i.group_campaign
    AND g.group_district IS NOT DISTINCT FROM i.group_district
    AND g.period IS NOT DISTINCT FROM i.period
  WHERE $view = 'issues'
)
SELECT
  x.group_campaign AS review_campaign_id,
  rc.name AS campaign_name,
  rc.mode,
  x.group_district AS district_code,
  x.period,
  x.dimension,
  x.responsible,
  CASE WHEN $view = 'grades' THEN s.sample_size END AS sample_size,
  x.reviewed,
  CASE WHEN $view = 'grades' THEN x.reviewed::DOUBLE / nullif(s.sample_size, 0) END AS progress,
  x.grade_excellent, x.grade_pass, x.grade_basic_pass, x.grade_fail,
  x.grade_fail::DOUBLE / nullif(x.reviewed, 0) AS fail_rate,
  x.with_issue,
  x.with_issue::DOUBLE / nullif(x.reviewed, 0) AS issue_rate,
  x.police_issue,
  x.police_issue::DOUBLE / nullif(x.reviewed, 0) AS police_issue_rate,
  x.procuratorate_issue,
  x.procuratorate_issue::DOUBLE / nullif(x.reviewed, 0) AS procuratorate_issue_rate,
  x.findings,
  x.reviews_with_issue,
  x.reviews_with_issue::DOUBLE / nullif(x.reviewed, 0) AS dimension_issue_rate,
  '京检发〔2022〕169号 第9条：不批准逮捕、不起诉案件联合质量评查' AS basis
FROM rows x
LEFT JOIN review_campaigns rc ON rc.review_campaign_id = x.group_campaign
LEFT JOIN samples s ON s.review_campaign_id = x.group_campaign
ORDER BY x.group_campaign, x.group_district, x.period, x.findings DESC, x.dimension, x.responsible
