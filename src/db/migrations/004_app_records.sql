-- Records kept by the system (spec/contract.md "Kept by the system"), written through the app and API, never by
-- ingest. Nested values (population, criteria, sample, matched, pack) are JSON text.
CREATE TABLE review_campaigns (
  review_campaign_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  mode VARCHAR NOT NULL CHECK (mode IN ('常规抽查', '重点评查', '专项评查', '联合评查')),
  population VARCHAR NOT NULL,
  seed BIGINT NOT NULL,
  population_count INTEGER NOT NULL,
  size INTEGER NOT NULL,
  created_by VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  sample VARCHAR NOT NULL
);
CREATE TABLE reviews (
  review_id VARCHAR PRIMARY KEY,
  review_campaign_id VARCHAR NOT NULL,
  decision_id VARCHAR NOT NULL,
  reviewer VARCHAR NOT NULL,
  reviewed_on DATE NOT NULL,
  grade VARCHAR NOT NULL CHECK (grade IN ('优质', '合格', '基本合格', '不合格'))
);
CREATE TABLE review_findings (
  review_finding_id VARCHAR PRIMARY KEY,
  review_id VARCHAR NOT NULL,
  dimension VARCHAR NOT NULL,
  responsible VARCHAR NOT NULL CHECK (responsible IN ('公安', '检察')),
  text VARCHAR
);
CREATE TABLE inspection_campaigns (
  inspection_campaign_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  topic VARCHAR,
  start_on DATE,
  end_on DATE,
  criteria VARCHAR NOT NULL,
  matched VARCHAR NOT NULL,
  created_by VARCHAR NOT NULL
);
CREATE TABLE inspection_findings (
  inspection_finding_id VARCHAR PRIMARY KEY,
  inspection_campaign_id VARCHAR NOT NULL,
  case_id VARCHAR NOT NULL,
  checked_on DATE NOT NULL,
  result VARCHAR NOT NULL CHECK (result IN ('无问题', '有问题')),
  text VARCHAR,
  responsible VARCHAR CHECK (responsible IN ('公安', '检察')),
  rectified_on DATE
);
CREATE TABLE meetings (
  meeting_id VARCHAR PRIMARY KEY,
  level VARCHAR NOT NULL CHECK (level IN ('市级', '区级')),
  district_code VARCHAR,
  held_on DATE NOT NULL,
  kind VARCHAR NOT NULL CHECK (kind IN ('定期', '专题')),
  topics VARCHAR,
  has_minutes BOOLEAN NOT NULL DEFAULT false,
  pack VARCHAR
);
CREATE TABLE meeting_actions (
  action_id VARCHAR PRIMARY KEY,
  meeting_id VARCHAR NOT NULL,
  text VARCHAR NOT NULL,
  owner VARCHAR,
  due_on DATE,
  closed_on DATE
);
