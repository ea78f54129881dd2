-- rules.md §1 (SPC 2021 第202条): n months after s; the last day of the target month when s is the last day of
-- its month or when the same day does not exist. DuckDB's own date + INTERVAL misses the first case.
CREATE MACRO add_months(s, n) AS
  CASE
    WHEN s = last_day(s) THEN last_day(CAST(s + to_months(CAST(n AS INTEGER)) AS DATE))
    ELSE CAST(s + to_months(CAST(n AS INTEGER)) AS DATE)
  END;
