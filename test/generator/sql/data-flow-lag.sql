-- rules.md §7 data-flow-lag (Seed Art. 25): events late when recorded_at − occurred_at > 24 h; decisions and
-- supervision records late when the recorded date − decided_on / issued_on > 1 day; missing when no recorded_at.
SELECT 'events' AS source,
  count(*) FILTER (WHERE date_diff('second', occurred_at, recorded_at) > 86400) AS late,
  count(*) FILTER (WHERE recorded_at IS NULL) AS missing
FROM events
UNION ALL
SELECT 'decisions',
  count(*) FILTER (WHERE CAST(recorded_at AS DATE) - decided_on > 1),
  count(*) FILTER (WHERE recorded_at IS NULL)
FROM decisions
UNION ALL
SELECT 'supervision',
  count(*) FILTER (WHERE CAST(recorded_at AS DATE) - issued_on > 1),
  count(*) FILTER (WHERE recorded_at IS NULL)
FROM supervision
