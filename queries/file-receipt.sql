-- File receipt (file-receipt) — 京检发〔2022〕169号 第15条: the procuratorate receives the police's 提请批准逮捕 and
-- 移送审查起诉 files in time, and items on the transfer list it does not accept need a written reason.
-- view = receipt (M-41): one row per decision with received_on in [$from, $to]: days from the police's event
--   (提请批准逮捕 for 审查逮捕, 移送审查起诉 for 审查起诉; the latest of the case on or before received_on, of the same
--   suspect when the event names one) to received_on. No event: event_at and days empty, status 无移送节点.
-- view = property (M-42): items of cases in scope with accepted 不予接收 or 部分接收 and no refusal_reason, transferred
--   on or before $as_of (or without a transfer date).
-- Date fields: decisions.received_on; property.transferred_on. Parameters: $view, $from, $to, $as_of, $districts.
WITH receipts AS (
  SELECT d.decision_id, d.case_id, d.suspect_id, c.district_code, c.police_unit, d.stage,
    CASE d.stage WHEN '审查逮捕' THEN '提请批准逮捕' ELSE '移送审查起诉' END AS event,
    d.received_on
  FROM decisions d
  JOIN cases c ON c.case_id = d.case_id
  WHERE $view = 'receipt'
    AND list_contains($districts, c.district_code)
    AND d.received_on BETWEEN $from::DATE AND $to::DATE
),
candidates AS (
  SELECT r.decision_id, max(e.occurred_at) AS event_at
  FROM receipts r
  JOIN events e ON e.case_id = r.case_id AND e.event = r.event
  WHERE (e.suspect_id IS NULL OR e.suspect_id = r.suspect_id) AND e.occurred_at::DATE <= r.received_on
  GROUP BY r.decision_id
),
matched AS (
  SELECT r.*, c.event_at FROM receipts r LEFT JOIN candidates c USING (decision_id)
)
SELECT 'M-41' AS rule, m.case_id, m.district_code, m.police_unit, m.decision_id, m.suspect_id, m.stage, m.event,
  m.event_at, m.received_on, (m.received_on - m.event_at::DATE)::INTEGER AS days,
  CASE WHEN m.event_at IS NULL THEN '无移送节点' WHEN m.received_on = m.event_at::DATE THEN '当日受理' ELSE '次日及以后受理' END AS status,
  NULL::VARCHAR AS item_id, NULL::VARCHAR AS description, NULL::VARCHAR AS accepted, NULL::DATE AS transferred_on,
  '京检发〔2022〕169号 第15条：及时受理公安机关提请批准逮捕、移送审查起诉的案件' AS basis
FROM matched m
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
