-- The 同比 / 环比 windows of decision-rates and measure-use (rules.md §5), once: each module's SQL had its own copy.
-- One row per period: pid, the period [pf, pt] (with its month or quarter label when grouped by one), 同比 [yf, yt] —
-- the period 12 months earlier by month arithmetic (zj_add_months, so a month's last day stays a last day) — and
-- 环比 [qf, qt]: the previous calendar year, quarter or month when the period is exactly one, else the window of the
-- same length that ends the day before pf. group_by 'month' or 'quarter' cuts [from_on, to_on] into calendar months
-- or quarters; any other value gives the one period [from_on, to_on]. queries/briefing-windows.ts is the same
-- arithmetic in TypeScript, for the modules composed in TypeScript.
CREATE MACRO zj_compare_windows(from_on, to_on, group_by) AS TABLE
WITH periods AS (
  SELECT from_on AS pf, to_on AS pt, NULL::VARCHAR AS month, NULL::VARCHAR AS quarter
  WHERE group_by NOT IN ('month', 'quarter')
  UNION ALL
  SELECT greatest(s, from_on), least(last_day(zj_add_months(s, step - 1)), to_on),
    CASE WHEN step = 1 THEN strftime(s, '%Y-%m') END,
    CASE WHEN step = 3 THEN strftime(s, '%Y') || '-Q' || quarter(s) END
  FROM (
    SELECT g::DATE AS s, step
    FROM (SELECT CASE group_by WHEN 'quarter' THEN 3 ELSE 1 END AS step) p,
      unnest(generate_series(
        date_trunc(CASE group_by WHEN 'quarter' THEN 'quarter' ELSE 'month' END, from_on)::TIMESTAMP,
        to_on::TIMESTAMP, to_months(p.step))) AS t(g)
  )
  WHERE group_by IN ('month', 'quarter')
)
SELECT row_number() OVER (ORDER BY pf) AS pid, pf, pt, month, quarter,
  zj_add_months(pf, -12) AS yf, zj_add_months(pt, -12) AS yt,
  CASE
    WHEN month(pf) = 1 AND day(pf) = 1 AND pt = last_day(zj_add_months(pf, 11)) THEN zj_add_months(pf, -12)
    WHEN month(pf) IN (1, 4, 7, 10) AND day(pf) = 1 AND pt = last_day(zj_add_months(pf, 2)) THEN zj_add_months(pf, -3)
    WHEN day(pf) = 1 AND pt = last_day(pf) THEN zj_add_months(pf, -1)
    ELSE pf - (pt - pf + 1)::INTEGER
  END AS qf,
  pf - 1 AS qt
FROM periods;
