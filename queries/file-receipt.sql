-- File receipt (file-receipt) — 京检发〔2022〕169号 第15条: the procuratorate receives the police's 提请批准逮捕 and
-- 移送审查起诉 files in time, and items on the transfer list it does not accept need a written reason.
-- view = receipt (M-41): decisions with received_on in [$from, $to]: days from the police's event (提请批准逮捕 for
--   审查逮捕, 移送审查起诉 for 审查起诉; the latest of the case on or before received_on, of the same suspect when the
--   event names one: the table macro zj_receipts, src/db/migrations/008_module_marts.sql, from its mart when that is
--   current) to received_on. status: 当日受理 (0 days), 期限内受理 (1 … $receipt_late_days), 迟延受理 (more: the M-41
--   alert), 无移送节点 (no such event: event_at and days empty). By default only 迟延受理 and 无移送节点; $all lists all.
-- view = property (M-42): items of cases in scope with accepted 不予接收 or 部分接收 and no refusal_reason, transferred
--   on or before $as_of (or without a transfer date).
-- Date fields: decisions.received_on; property.transferred_on. Parameters: $view, $from, $to, $all, $as_of,
-- $districts; threshold $receipt_late_days.
WITH receipts AS (
  SELECT r.*, (r.received_on - r.event_at::DATE)::INTEGER AS days
  FROM /*MART:receipts*/ r
  WHERE $view = 'receipt'
    AND list_contains($districts, r.district_code)
    AND r.received_on BETWEEN $from::DATE AND $to::DATE
),
rated AS (
  SELECT *,
    CASE
      WHEN event_at IS NULL THEN '无移送节点'
      WHEN days = 0 THEN '当日受理'
      WHEN days <= $receipt_late_days THEN '期限内受理'
      ELSE '迟延受理'
    END AS status
  FROM receipts
)
SELECT 'M-41' AS rule, m.case_id, m.district_code, m.police_unit, m.decision_id, m.suspect_id, m.stage, m.event,
  m.event_at, m.received_on, m.days, m.status,
  NULL::VARCHAR AS item_id, NULL::VARCHAR AS description, NULL::VARCHAR AS accepted, NULL::DATE AS transferred_on,
  '京检发〔2022〕169号 第15条：及时受理公安机关提请批准逮捕、移送审查起诉的案件' AS basis
FROM rated m
WHERE $all OR m.status IN ('迟延受理', '无移送节点')
UNION ALL
SELECT 'M-42', p.case_id, c.district_code, c.police_unit, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  '不予接收未说明理由', p.item_id, p.description, p.accepted, p.transferred_on,
  '京检发〔2022〕169号 第15条：对移送清单中的物品不予接收的，应当书面说明理由'
FROM property p
JOIN cases c ON c.case_id = p.case_id
WHERE $view = 'property'
  AND list_contains($districts, c.district_code)
  AND p.accepted IN ('不予接收', '部分接收')
  AND nullif(trim(p.refusal_reason), '') IS NULL
  AND (p.transferred_on IS NULL OR p.transferred_on <= $as_of::DATE)
ORDER BY days DESC NULLS FIRST, received_on, decision_id, transferred_on, item_id
