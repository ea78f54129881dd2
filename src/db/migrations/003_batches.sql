-- The batch ledger: one row per file load (a clean file seen before is skipped and adds no row).
CREATE SEQUENCE batch_seq START 1;
CREATE TABLE batches (
  batch_id INTEGER PRIMARY KEY,
  file_name VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  table_name VARCHAR NOT NULL,
  format VARCHAR NOT NULL,
  encoding VARCHAR,
  mapping_sha256 VARCHAR,
  retry_of INTEGER,
  rows_read BIGINT NOT NULL,
  rows_loaded BIGINT NOT NULL,
  rows_updated BIGINT NOT NULL,
  rows_unchanged BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  extra_columns VARCHAR[] NOT NULL,
  loaded_by VARCHAR NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL
);

-- Rejected rows: where (line per contract.md), which column, why (Chinese), and the row's values after the same
-- privacy treatment as loaded rows (JSON text: ID numbers hashed, names masked).
CREATE TABLE rejects (
  batch_id INTEGER NOT NULL,
  line BIGINT NOT NULL,
  column_name VARCHAR,
  reason VARCHAR NOT NULL,
  row_values VARCHAR
);
