-- What the write API needs beyond the records of 004 (spec/api.md "Who writes what"): a campaign's and an
-- inspection's status (进行中 / 已完成 / 已撤销; NULL, as in records loaded from app-records.json, reads as 进行中), when an
-- inspection was created, and a meeting's reporting period (the period its frozen pack shows) and creator. Values are
-- checked by the API's zod schemas (src/records/schemas.ts); ALTER TABLE cannot add CHECK constraints in DuckDB.
ALTER TABLE review_campaigns ADD COLUMN status VARCHAR;
ALTER TABLE inspection_campaigns ADD COLUMN status VARCHAR;
ALTER TABLE inspection_campaigns ADD COLUMN created_at TIMESTAMP;
ALTER TABLE meetings ADD COLUMN period VARCHAR;
ALTER TABLE meetings ADD COLUMN created_by VARCHAR;
