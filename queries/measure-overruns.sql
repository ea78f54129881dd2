-- 强制措施超期 (measure overruns) — spec/rules.md §7 `measure-overruns`; domain-research M-33, M-34, M-34c.
-- Legal basis: 《刑事诉讼法》第79条 (取保候审 12 months, 监视居住 6 months), 第156、158、159条 (侦查羁押 2 months after
-- 逮捕, extended by approval), 第91条 (刑事拘留 at most 30 + 7 days before 逮捕), 第175条 (退回补充侦查 at most twice).
-- Population: measures started on or before $as_of and 审查起诉/审查逮捕 decisions decided on or before $as_of, of
-- cases in $districts. Date fields: measures.start_on / end_on, cases.closed_on, events.occurred_at (extensions),
-- decisions.decided_on.
-- Parameters: $as_of, $districts; thresholds $measure_bail_months, $measure_rs_months,
-- $measure_arrest_custody_months, $measure_detention_days, $measure_max_returns.
-- None of these periods rolls over for holidays (custody periods and statutory maxima: rules.md §1, §7), so every
-- limit is zj_due(..., false). A lifting or closing dated after $as_of has not happened yet at $as_of.
-- One row per finding. kind: 逾期未解除 / 逾期解除 (取保候审, 监视居住, 指定居所监视居住 past the maximum), 超期羁押
-- (逮捕 custody past 2 months + extensions), 拘留超期 (刑事拘留 past 37 days), 退查超次数 (returns above the maximum).
-- The findings are the table macro zj_measure_overruns (src/db/migrations/008_module_marts.sql; the 逮捕 custody chain
-- is zj_arrest_custody, shared with case-timeline); at the data-as-of date they come from its mart.
SELECT *
FROM /*MART:measure_overruns*/ f
WHERE list_contains($districts, f.district_code)
ORDER BY list_position(['逾期未解除', '逾期解除', '超期羁押', '拘留超期', '退查超次数'], kind), days_over DESC NULLS LAST,
  case_id, coalesce(measure_id, decision_id)
