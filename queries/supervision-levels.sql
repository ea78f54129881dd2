-- 不当升格或者降格监督、不应当监督而监督 (mis-levelled supervision) — spec/rules.md §4; 京检发〔2022〕169号 第6条.
-- Legal basis: the ladder of 《人民检察院刑事诉讼规则》第552条 — 口头纠正 (情节较轻) < 纠正违法通知书 (较重) < 检察建议
-- (普遍性) < 移送追究刑事责任 (涉嫌犯罪); objections upheld: 规则 第554条 (复查 revokes the opinion), 《人民检察院检察
-- 建议工作规定》(2019) (异议成立 withdraws the recommendation); 京检发〔2022〕169号 第8条.
-- Population: supervision records in $districts issued on or before $as_of, with issued_on in [$from_on, $to_on]
-- when given. Only the ladder forms are judged for levels (要求说明理由 / 通知立案 / 通知撤案 are procedure steps);
-- 不应当监督而监督 applies to any form whose objection ended 撤销 or 撤回, decided on or before $as_of.
-- Date field: issued_on. Repeat exception of 不当升格: the same unit (district_code + police_unit: a unit's name
-- is only unique within its district) had at least $levels_repeat_min earlier records with the same issue, any
-- form, issued in [issued_on − $levels_repeat_window_days, issued_on).
-- Parameters: $as_of, $districts, $from_on, $to_on (NULL = unbounded); thresholds $levels_repeat_window_days,
-- $levels_repeat_min.
WITH ladder AS (
  SELECT * FROM (VALUES
    ('口头纠正', 1, '较轻'),
    ('纠正违法通知书', 2, '较重'),
    ('检察建议', 3, '普遍性'),
    ('移送追究刑事责任', 4, '涉嫌犯罪')
  ) AS t(form, level, severity)
),
r AS (
  SELECT s.*, lf.level AS form_level, ls.level AS severity_level, ls.form AS severity_form
  FROM supervision s
  LEFT JOIN ladder lf ON lf.form = s.form
  LEFT JOIN ladder ls ON ls.severity = s.severity
  WHERE list_contains($districts, s.district_code)
    AND s.issued_on <= $as_of::DATE
    AND ($from_on::DATE IS NULL OR s.issued_on >= $from_on::DATE)
    AND ($to_on::DATE IS NULL OR s.issued_on <= $to_on::DATE)
),
judged AS (
  SELECT
    r.*,
    r.form = '口头纠正' AND r.issue IN ('刑讯逼供', '非法取证', '超期羁押', '违法处置涉案财物') AS serious_oral,
    (SELECT count(*) FROM supervision e
      WHERE e.district_code = r.district_code AND e.police_unit = r.police_unit AND e.issue = r.issue
        AND e.issued_on >= r.issued_on - $levels_repeat_window_days::INTEGER AND e.issued_on < r.issued_on
    ) AS repeats
  FROM r
  WHERE r.form_level IS NOT NULL
),
findings AS (
  SELECT record_id, case_id, district_code, police_unit, issue, severity, form, issued_on, '不当降格' AS finding,
    -- an issue serious by nature needs at least a written notice, whatever the recorded severity
    CASE WHEN serious_oral AND severity_level < 2 THEN '纠正违法通知书' ELSE severity_form END AS expected_form,
    NULL::BIGINT AS repeats,
    NULL::VARCHAR AS objection_result,
    '京检发〔2022〕169号 第6条；《人民检察院刑事诉讼规则》第552条：监督方式低于违法情节应有的层级'
      || CASE WHEN serious_oral THEN '（' || issue || '不适用口头纠正）' ELSE '' END AS basis
  FROM judged
  WHERE form_level < severity_level OR serious_oral
  UNION ALL
  -- repeats is shown where it decides: the count that did not reach the exception
  SELECT record_id, case_id, district_code, police_unit, issue, severity, form, issued_on, '不当升格', severity_form,
    repeats, NULL,
    '京检发〔2022〕169号 第6条；《人民检察院刑事诉讼规则》第552条：监督方式高于违法情节应有的层级，且此前同单位同类问题未达反复发生的次数'
  FROM judged
  WHERE form_level > severity_level AND repeats < $levels_repeat_min
  UNION ALL
  SELECT record_id, case_id, district_code, police_unit, issue, severity, form, issued_on, '不应当监督而监督', NULL,
    NULL, objection_result,
    '京检发〔2022〕169号 第6条、第8条；' || CASE
      WHEN objection IN ('要求复议', '提请复核') THEN '《人民检察院刑事诉讼规则》第565条：复议、复核认为监督意见错误，予以撤销'
      WHEN form = '检察建议' OR objection = '提出异议' THEN '《人民检察院检察建议工作规定》(2019)：异议成立，撤回检察建议'
      ELSE '《人民检察院刑事诉讼规则》第554条：复查认为纠正意见错误，予以撤销' END
  FROM r
  WHERE objection_result IN ('撤销', '撤回')
    AND coalesce(objection_decided_on <= $as_of::DATE, true)
)
SELECT * FROM findings
ORDER BY issued_on, record_id, finding
