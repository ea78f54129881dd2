-- Reference data and settings. Loaded by `zhenjian init` from fixtures/reference (see SOURCE.md there).
CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL);

CREATE TABLE districts (code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, short_name VARCHAR NOT NULL);

CREATE TABLE charges (
  name VARCHAR PRIMARY KEY,
  primary_article VARCHAR,
  provisions VARCHAR,
  chapter_no INTEGER NOT NULL,
  chapter VARCHAR NOT NULL,
  section_no INTEGER,
  section VARCHAR,
  introduced_by VARCHAR,
  effective_from DATE
);

-- Historical (cancelled or renamed) names; successor is the single current name they resolve to, NULL when
-- they resolve to none or several (then the name is kept on ingest and flagged 历史罪名).
CREATE TABLE charge_history (
  name VARCHAR PRIMARY KEY,
  replaced_by VARCHAR,
  cancelled_from DATE,
  successor VARCHAR
);

-- Every spelling ingest accepts for a charge → the stored name. Built at init from the two tables above.
CREATE TABLE charge_lookup (input VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, historical BOOLEAN NOT NULL);

-- Every spelling ingest accepts for a district (code, full name, short name) → the code.
CREATE TABLE district_lookup (input VARCHAR PRIMARY KEY, code VARCHAR NOT NULL);

-- State Council calendar: 休 = statutory rest day, 班 = 调休 working day on a weekend.
CREATE TABLE holidays (day DATE PRIMARY KEY, kind VARCHAR NOT NULL CHECK (kind IN ('休', '班')), name VARCHAR, source VARCHAR NOT NULL);
-- Years whose notices are loaded; outside them working days are Monday to Friday and outputs say so.
CREATE TABLE calendar_years (year INTEGER PRIMARY KEY, source VARCHAR NOT NULL);
