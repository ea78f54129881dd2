-- The one deadline engine (spec/rules.md §1), in SQL, used by every query module.

-- Every day from 2015 to 2035: whether it is a working day and the first working day on or after it. Rebuilt from
-- `holidays` by init and by `calendar import` (src/db/calendar.ts). Outside the years in calendar_years only
-- weekends are rest days, and `covered` says so.
CREATE TABLE calendar_days (
  day DATE PRIMARY KEY,
  working BOOLEAN NOT NULL,
  covered BOOLEAN NOT NULL,
  next_working DATE NOT NULL
);

-- Thresholds of the rules (rules.md: "every threshold below is a default that an administrator can change");
-- validated by queries/thresholds.ts, named in every module's output.
CREATE TABLE thresholds (
  key VARCHAR PRIMARY KEY,
  value DOUBLE NOT NULL,
  unit VARCHAR NOT NULL,
  label VARCHAR NOT NULL,
  basis VARCHAR NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

-- n calendar months after d (SPC 2021 interpretation 第202条): the same day of the month; when d is the last day
-- of its month, or the day does not exist in the target month, the target month's last day. DuckDB's
-- date + INTERVAL alone gives 2024-02-29 + 2 months = 04-29; the rule wants 04-30.
CREATE MACRO zj_add_months(d, n) AS
  CASE WHEN d = last_day(d) THEN last_day(d + to_months(CAST(n AS INTEGER)))
    ELSE CAST(d + to_months(CAST(n AS INTEGER)) AS DATE) END;

-- The first working day on or after d (调休 working weekends count as working days). Dates beyond the table move
-- off weekends only.
CREATE MACRO zj_roll(d) AS
  coalesce(
    (SELECT cd.next_working FROM calendar_days cd WHERE cd.day = d),
    CASE isodow(d) WHEN 6 THEN d + 2 WHEN 7 THEN d + 1 ELSE d END);

-- The due date of a period that starts on d (the start day is not counted: CPL 第105条): n days or n months,
-- rolled to the next working day when `rolls` (procedural periods) and left as it is when not (custody periods,
-- thresholds of neglect).
CREATE MACRO zj_due(d, n, unit, rolls) AS
  CASE WHEN d IS NULL OR n IS NULL THEN NULL ELSE
    CASE WHEN rolls
      THEN zj_roll(CASE unit WHEN 'month' THEN zj_add_months(d, n) ELSE CAST(d + CAST(n AS INTEGER) AS DATE) END)
      ELSE CASE unit WHEN 'month' THEN zj_add_months(d, n) ELSE CAST(d + CAST(n AS INTEGER) AS DATE) END
    END
  END;
