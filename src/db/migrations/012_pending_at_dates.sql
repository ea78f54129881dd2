-- 挂案 deadlines at the few past dates the overview asks for besides the data-as-of date (queries/marts.ts
-- pendingDates): the period's first day and the ends and first days of its 同比 and 环比 windows. pending-cases
-- (at a window's end) and pending-clearance (at its first day) read them instead of computing zj_pending again,
-- which took ≈ 0.3 s per date at 1M cases and was most of the KPI pack's time. Rows as zj_pending gives them, with
-- the date they were computed for.
CREATE TABLE mart_pending_at (
  as_of DATE NOT NULL,
  case_id VARCHAR, suspect_id VARCHAR, rule VARCHAR, deadline DATE,
  district_code VARCHAR, police_unit VARCHAR, charge VARCHAR, filed_on DATE, enterprise_related BOOLEAN
);
