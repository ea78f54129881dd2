-- 复议、复核、复查与异议的办理 (objections and their decisions) — spec/rules.md §3 (second table); 京检发〔2022〕169号
-- 第8条; metrics M-11, M-13, M-14, M-15 of domain-research.md.
-- Legal basis of the decision periods, counted from the filing date with holiday roll-over (procedural periods):
-- 不批准逮捕 复议 7 days (《刑事诉讼法》第92条; 《人民检察院刑事诉讼规则》第290条), 复核 15 days (规则 第291条); 不起诉 复议 30
-- days (刑诉法 第179条; 规则 第379条), 复核 30 days (规则 第380条); 通知撤案 复议 7 / 复核 15 days (规则 第565条); 纠正意见 /
-- 纠正违法通知书 申请复查 7 days (规则 第554条); 检察建议 提出异议: 复核 "立即" (《人民检察院检察建议工作规定》(2019)) — no
-- period, listed with its age, as is any other objection the table gives no period (e.g. 要求复议 of a 通知立案).
-- Population: the police's objections filed on or before $as_of (and in [$from_on, $to_on] when given): 复议 and 复核
-- of 不批准逮捕 / 不起诉 decisions (decisions.recon_* / upper_review_*, district and unit from the case), and the
-- objection of supervision records (supervision.objection*; without objection_filed_on, the reply date — an
-- objection is the police's answer). Decisions and results count only when dated on or before $as_of.
-- Date field: the filing date. Parameters: $as_of, $districts, $from_on, $to_on (NULL = unbounded), $summary;
-- thresholds $objection_arrest_recon_days … $objection_recheck_days (the decision periods).
-- decisions with their case's district and unit: zj_decision_facts (src/db/migrations/008_module_marts.sql), from its
-- mart when that is current
WITH d AS (
  SELECT *
  FROM /*MART:decision_facts*/ d
  WHERE list_contains($districts, d.district_code) AND d.decision IN ('不批准逮捕', '不起诉')
    -- only those with an objection: the few rows that raw reads three times
    AND (d.recon_filed_on IS NOT NULL OR d.upper_review_filed_on IS NOT NULL)
),
raw AS (
  SELECT decision_id, NULL::VARCHAR AS record_id, case_id, suspect_id, district_code, police_unit,
    decision AS object, '要求复议' AS kind, recon_filed_on AS filed_on, recon_decided_on AS decided_on,
    recon_result AS result,
    CASE decision WHEN '不批准逮捕' THEN $objection_arrest_recon_days ELSE $objection_prosecution_recon_days END AS days
  FROM d WHERE recon_filed_on IS NOT NULL
  UNION ALL
  SELECT decision_id, NULL, case_id, suspect_id, district_code, police_unit,
    decision, '提请复核', upper_review_filed_on, upper_review_decided_on, upper_review_result,
    CASE decision WHEN '不批准逮捕' THEN $objection_arrest_upper_review_days ELSE $objection_prosecution_upper_review_days END
  FROM d WHERE upper_review_filed_on IS NOT NULL
  UNION ALL
  SELECT NULL, record_id, case_id, NULL, district_code, police_unit,
    form, objection, coalesce(objection_filed_on, replied_on), objection_decided_on, objection_result,
    CASE
      WHEN form = '通知撤案' AND objection = '要求复议' THEN $objection_withdrawal_recon_days
      WHEN form = '通知撤案' AND objection = '提请复核' THEN $objection_withdrawal_upper_review_days
      WHEN form IN ('口头纠正', '纠正违法通知书') AND objection = '申请复查' THEN $objection_recheck_days
    END
  FROM supervision
  WHERE list_contains($districts, district_code) AND objection IS NOT NULL
),
o AS (
  SELECT
    decision_id, record_id, case_id, suspect_id, district_code, police_unit, object, kind, filed_on,
    zj_due(filed_on, days, 'day', true) AS due_on,
    CASE WHEN decided_on <= $as_of::DATE THEN decided_on END AS decided_on,
    CASE WHEN decided_on <= $as_of::DATE THEN result END AS result
  FROM raw
  WHERE filed_on <= $as_of::DATE
    AND ($from_on::DATE IS NULL OR filed_on >= $from_on::DATE)
    AND ($to_on::DATE IS NULL OR filed_on <= $to_on::DATE)
),
s AS (
  SELECT
    *,
    CASE
      WHEN due_on IS NULL THEN CASE WHEN decided_on IS NULL THEN '未决定' ELSE '已决定' END
      WHEN decided_on > due_on THEN '逾期决定'
      WHEN decided_on IS NOT NULL THEN '按期决定'
      WHEN $as_of::DATE > due_on THEN '逾期未决定'
      ELSE '未到期'
    END AS status
  FROM o
)
, out AS (
SELECT
  decision_id, record_id, case_id, suspect_id, district_code, police_unit, object, kind, filed_on, due_on,
  decided_on, result, status,
  CASE status
    WHEN '逾期决定' THEN decided_on - due_on
    WHEN '逾期未决定' THEN $as_of::DATE - due_on
  END::INTEGER AS days_late,
  (coalesce(decided_on, $as_of::DATE) - filed_on)::INTEGER AS age_days,
  1 AS filed,
  (decided_on IS NOT NULL)::INTEGER AS decided,
  (result = '变更')::INTEGER AS changed,
  CASE WHEN decided_on IS NOT NULL THEN (result = '变更')::INTEGER::DOUBLE END AS change_rate,
  (result IN ('撤销', '撤回'))::INTEGER AS revoked,
  CASE WHEN decided_on IS NOT NULL THEN (result IN ('撤销', '撤回'))::INTEGER::DOUBLE END AS revoke_rate,
  (status IN ('逾期决定', '逾期未决定'))::INTEGER AS late,
  CASE
    WHEN object = '不批准逮捕' AND kind = '要求复议' THEN '《刑事诉讼法》第92条；《人民检察院刑事诉讼规则》第290条：收到要求复议意见书后七日内作出复议决定'
    WHEN object = '不批准逮捕' THEN '《人民检察院刑事诉讼规则》第291条：收到提请复核意见书后十五日内作出复核决定'
    WHEN object = '不起诉' AND kind = '要求复议' THEN '《刑事诉讼法》第179条；《人民检察院刑事诉讼规则》第379条：收到要求复议意见书后三十日内作出复议决定'
    WHEN object = '不起诉' THEN '《人民检察院刑事诉讼规则》第380条：收到提请复核意见书后三十日内作出复核决定'
    WHEN object = '通知撤案' AND kind IN ('要求复议', '提请复核') THEN '《人民检察院刑事诉讼规则》第565条：要求复议的七日内、提请复核的十五日内作出决定'
    WHEN kind = '申请复查' AND object IN ('口头纠正', '纠正违法通知书') THEN '《人民检察院刑事诉讼规则》第554条：收到书面异议后七日内复查'
    WHEN object = '检察建议' THEN '《人民检察院检察建议工作规定》(2019)：被建议单位提出异议的，应当立即复核（无期限，列示已经过的天数）'
    ELSE '京检发〔2022〕169号 第8条：' || object || '的' || kind || '无法定决定期限（列示已经过的天数）'
  END AS basis
FROM s
WHERE NOT $summary
UNION ALL BY NAME
SELECT
  object, kind,
  count(*) AS filed,
  count(decided_on) AS decided,
  count(*) FILTER (WHERE result = '变更') AS changed,
  CASE WHEN count(decided_on) > 0 THEN count(*) FILTER (WHERE result = '变更') / count(decided_on) END AS change_rate,
  count(*) FILTER (WHERE result IN ('撤销', '撤回')) AS revoked,
  CASE WHEN count(decided_on) > 0
    THEN count(*) FILTER (WHERE result IN ('撤销', '撤回')) / count(decided_on) END AS revoke_rate,
  count(*) FILTER (WHERE status IN ('逾期决定', '逾期未决定')) AS late,
  '京检发〔2022〕169号 第8条：改变率 = 变更 / 已决定；撤销率 = 撤销或撤回 / 已决定' AS basis
FROM s
WHERE $summary
GROUP BY object, kind
)
SELECT * FROM out
ORDER BY
  filed_on NULLS FIRST,
  list_position(['不批准逮捕', '不起诉', '口头纠正', '纠正违法通知书', '检察建议', '要求说明理由', '通知立案', '通知撤案'], object),
  list_position(['要求复议', '提请复核', '申请复查', '提出异议', '要求说明理由'], kind),
  decision_id, record_id
