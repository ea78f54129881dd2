-- Pre-aggregated marts, rebuilt after each ingest batch (queries/marts.ts). mart_state records the data-as-of
-- date and the thresholds a mart was built with, so a module uses it only when both still match.
CREATE TABLE mart_state (name VARCHAR PRIMARY KEY, as_of DATE NOT NULL, fingerprint VARCHAR NOT NULL, refreshed_at TIMESTAMP NOT NULL);
CREATE TABLE mart_pending (
  case_id VARCHAR, suspect_id VARCHAR, rule VARCHAR, deadline DATE,
  district_code VARCHAR, police_unit VARCHAR, charge VARCHAR, filed_on DATE, enterprise_related BOOLEAN
);
