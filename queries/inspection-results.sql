-- Inspection results (inspection-results) — 京检发〔2022〕169号 第9条 (专项检查 of prominent problems, jointly by the
-- procuratorate and the police); metric block D of domain-research.md.
-- Population: per inspection campaign (one when $campaign is given), the matched cases frozen at its creation
-- (inspection_campaigns.matched) whose case is in $districts; their inspection findings (one per checked case)
-- with checked_on on or before $as_of. Findings of cases outside the matched list do not count: progress is
-- checked / matched.
-- Date fields: inspection_findings.checked_on and rectified_on, both counted up to $as_of.
-- Parameters: $as_of, $campaign, $group_by (campaign, or campaign and district), $districts.
-- Rates: checked_share = checked / matched, problem_share = with_problem / checked, rectified_share = rectified /
-- with_problem; NULL when the denominator is 0.
WITH matched AS (
  SELECT ic.inspection_campaign_id, m.case_id, c.district_code
  FROM inspection_campaigns ic,
    unnest(from_json(ic.matched, '["VARCHAR"]')) AS m(case_id)
  JOIN cases c ON c.case_id = m.case_id
  WHERE list_contains($districts, c.district_code)
    AND ($campaign::VARCHAR IS NULL OR ic.inspection_campaign_id = $campaign::VARCHAR)
),
-- the latest check of a case in its campaign (a case is checked once; a second row would be a re-check)
checks AS (
  SELECT f.*,
    row_number() OVER (
      PARTITION BY f.inspection_campaign_id, f.case_id ORDER BY f.checked_on DESC, f.inspection_finding_id DESC
    ) AS k
  FROM inspection_findings f
  WHERE f.checked_on <= $as_of::DATE
),
per_case AS (
  SELECT m.inspection_campaign_id,
    CASE WHEN $group_by = 'district' THEN m.district_code END AS district_code,
    ch.result, ch.responsible,
    ch.rectified_on IS NOT NULL AND ch.rectified_on <= $as_of::DATE AS rectified
  FROM matched m
  LEFT JOIN checks ch ON ch.inspection_campaign_id = m.inspection_campaign_id AND ch.case_id = m.case_id AND ch.k = 1
),
counts AS (
  SELECT inspection_campaign_id, district_code,
    count(*) AS matched,
    count(result) AS checked,
    count(*) FILTER (WHERE result = '无问题') AS no_problem,
    count(*) FILTER (WHERE result = '有问题') AS with_problem,
    count(*) FILTER (WHERE result = '有问题' AND responsible = '公安') AS police_problem,
    count(*) FILTER (WHERE result = '有问题' AND responsible = '检察') AS procuratorate_problem,
    count(*) FILTER (WHERE result = '有问题' AND responsible IS NULL) AS unattributed_problem,
    count(*) FILTER (WHERE result = '有问题' AND rectified) AS rectified
  FROM per_case
  GROUP BY ALL
)
SELECT
  x.inspection_campaign_id, ic.name, ic.topic, ic.start_on, ic.end_on, x.district_code,
  x.matched,
  x.checked,
  x.checked::DOUBLE / nullif(x.matched, 0) AS checked_share,
  x.no_problem,
  x.with_problem,
  x.with_problem::DOUBLE / nullif(x.checked, 0) AS problem_share,
  x.police_problem, x.procuratorate_problem, x.unattributed_problem,
  x.rectified,
  x.rectified::DOUBLE / nullif(x.with_problem, 0) AS rectified_share,
  x.with_problem - x.rectified AS open_problem,
  '京检发〔2022〕169号 第9条：对侦查活动中的突出问题联合开展专项检查' AS basis
FROM counts x
JOIN inspection_campaigns ic USING (inspection_campaign_id)
ORDER BY ic.start_on, x.inspection_campaign_id, x.district_code
