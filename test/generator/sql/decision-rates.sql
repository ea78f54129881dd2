-- rules.md §5 (Seed Art. 9): persons — per suspect and stage, the latest decision with decided_on in [from, to].
-- 不捕率 = 不批准逮捕 / (批准逮捕 + 不批准逮捕); 不诉率 = 不起诉 / (起诉 + 不起诉); 认罪认罚 share of 审查起诉 persons;
-- adoption = reply 已纠正 / records with a reply, over records issued in [from, to].
WITH p AS (SELECT from_on, to_on FROM params),
latest AS (
  SELECT d.*, row_number() OVER (PARTITION BY d.suspect_id, d.stage ORDER BY d.decided_on DESC, d.decision_id DESC) AS k
  FROM decisions d, p
  WHERE d.decided_on BETWEEN p.from_on AND p.to_on
),
persons AS (SELECT * FROM latest WHERE k = 1)
SELECT
  count(*) FILTER (WHERE decision = '不批准逮捕') / count(*) FILTER (WHERE stage = '审查逮捕') AS non_arrest_rate,
  count(*) FILTER (WHERE decision = '不起诉') / count(*) FILTER (WHERE stage = '审查起诉') AS non_prosecution_rate,
  count(*) FILTER (WHERE stage = '审查起诉' AND plea) / count(*) FILTER (WHERE stage = '审查起诉') AS plea_rate,
  (SELECT count(*) FILTER (WHERE reply = '已纠正') / count(*) FILTER (WHERE reply IS NOT NULL)
     FROM supervision s, p WHERE s.issued_on BETWEEN p.from_on AND p.to_on) AS adoption_rate
FROM persons
