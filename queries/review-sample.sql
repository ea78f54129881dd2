-- Joint quality review sample (review-sample) — spec/rules.md §6; 京检发〔2022〕169号 第9条 (公安机关、检察机关 joint
-- 评查 of 不批准逮捕 and 不起诉 cases), metric M-23c. The procedure is written out in docs/modules/decisions.md so
-- that it can be redone by hand.
-- Population: 不批准逮捕 ($with_non_arrest) and 不起诉 ($with_non_prosecution) decisions with decided_on in
-- [$from, $to], whose case is in $districts and, when $district is given, in that district. Decisions, not persons.
-- Date field: decisions.decided_on. Parameters: $from, $to, $size, $seed_key (the seed as decimal text),
-- $with_non_arrest, $with_non_prosecution (from the parameter decision), $district, $districts.
-- Draw, stratified by the case's district (N_h decisions in stratum h, N in all, H strata, n = $size):
--   n ≥ N: the whole population. n < H: n strata drawn with probability proportional to N_h, one after another
--   without replacement (Efraimidis–Spirakis: the n largest ln(u_h) / N_h, u_h from sha256(seed:stratum:code)), one
--   decision each. Otherwise each stratum gets one, and the other n − H are allocated in proportion to N_h by largest
--   remainder (ties to the lower district code), a stratum taking at most N_h; a stratum that would reach its N_h
--   takes all and the rest is allocated again over the others (smallest strata first, so the full ones are a prefix
--   in (N_h, code) order — computed in one pass below). Within a stratum the decisions with the smallest
--   sha256(seed:decision_id) are taken: a uniform draw that any machine reproduces.
WITH population AS (
  SELECT d.decision_id, d.case_id, d.suspect_id, c.district_code, d.decision, d.reason, d.decided_on,
    sha256($seed_key || ':' || d.decision_id) AS draw_key
  FROM decisions d
  JOIN cases c ON c.case_id = d.case_id
  WHERE ((d.decision = '不批准逮捕' AND $with_non_arrest) OR (d.decision = '不起诉' AND $with_non_prosecution))
    AND d.decided_on BETWEEN $from::DATE AND $to::DATE
    AND list_contains($districts, c.district_code)
    AND ($district::VARCHAR IS NULL OR c.district_code = $district::VARCHAR)
),
strata AS (
  SELECT district_code, count(*) AS n_h FROM population GROUP BY district_code
),
totals AS (
  SELECT count(*) AS h, sum(n_h) AS n, $size::BIGINT AS size, $size::BIGINT - count(*) AS r FROM strata
),
-- n < H: u_h = (the first 13 hex digits of the stratum's hash + 0.5) / 2^52, uniform in (0, 1)
chosen AS (
  SELECT district_code,
    row_number() OVER (ORDER BY ln(u) / n_h DESC, district_code) AS pick
  FROM (
    SELECT district_code, n_h,
      (('0x' || left(sha256($seed_key || ':stratum:' || district_code), 13))::BIGINT + 0.5) / 4503599627370496 AS u
    FROM strata
  )
),
-- n ≥ H: a stratum is full when its room N_h − 1 is at most its quota over the strata not yet full,
-- (N_h − 1) / N_h <= (r − room before) / (N − N_h before), checked in (N_h, code) order; the full ones are a prefix
-- (removing a stratum whose share is below the average ratio only raises the ratio for the rest)
ordered AS (
  SELECT district_code, n_h,
    coalesce(sum(n_h - 1) OVER before, 0) AS room_before,
    coalesce(sum(n_h) OVER before, 0) AS n_before
  FROM strata
  WINDOW before AS (ORDER BY n_h, district_code ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
capped AS (
  SELECT o.district_code, o.n_h,
    bool_and((o.n_h - 1) * (t.n - o.n_before) <= (t.r - o.room_before) * o.n_h)
      OVER (ORDER BY o.n_h, o.district_code ROWS UNBOUNDED PRECEDING) AS is_full
  FROM ordered o, totals t
),
rest AS (
  SELECT t.r - coalesce(sum(c.n_h - 1) FILTER (WHERE c.is_full), 0) AS r2,
    t.n - coalesce(sum(c.n_h) FILTER (WHERE c.is_full), 0) AS n2
  FROM totals t LEFT JOIN capped c ON true
  GROUP BY t.r, t.n
),
quotas AS (
  SELECT c.district_code, c.is_full,
    CASE WHEN c.is_full THEN c.n_h - 1 ELSE (rest.r2 * c.n_h) // nullif(rest.n2, 0) END AS extra,
    CASE WHEN c.is_full THEN -1 ELSE (rest.r2 * c.n_h) % nullif(rest.n2, 0) END AS remainder,
    rest.r2
  FROM capped c, rest
),
extras AS (
  SELECT district_code,
    extra + CASE
      WHEN NOT is_full AND row_number() OVER (ORDER BY is_full, remainder DESC, district_code)
        <= r2 - sum(CASE WHEN is_full THEN 0 ELSE extra END) OVER () THEN 1
      ELSE 0
    END AS extra
  FROM quotas
),
allocation AS (
  SELECT s.district_code, s.n_h,
    CASE
      WHEN t.size >= t.n THEN s.n_h
      WHEN t.size < t.h THEN CASE WHEN ch.pick <= t.size THEN 1 ELSE 0 END
      ELSE 1 + e.extra
    END AS take
  FROM strata s
  CROSS JOIN totals t
  JOIN chosen ch USING (district_code)
  JOIN extras e USING (district_code)
),
ranked AS (
  SELECT p.*, row_number() OVER (PARTITION BY p.district_code ORDER BY p.draw_key) AS draw_rank FROM population p
)
SELECT
  r.decision_id, r.case_id, r.suspect_id, r.district_code, r.decision, r.reason, r.decided_on,
  r.district_code AS stratum,
  r.draw_rank,
  r.draw_key,
  a.n_h AS stratum_population,
  a.take AS stratum_sample,
  t.n AS population_count,
  least(t.size, t.n) AS sample_size,
  t.size >= t.n AS whole_population,
  '京检发〔2022〕169号 第9条：不批准逮捕、不起诉案件联合质量评查，按区分层随机抽取' AS basis
FROM ranked r
JOIN allocation a USING (district_code)
CROSS JOIN totals t
WHERE r.draw_rank <= a.take
ORDER BY r.district_code, r.draw_rank
