-- rules.md §7 fast-track-48h (Seed Art. 19): per suspect whose 审查起诉 decision has fast_track and plea, from the
-- suspect's 刑事拘留 event (else the case's 立案 event, else filed_on 00:00) to the suspect's 一审宣判 event.
WITH ft AS (
  SELECT DISTINCT d.suspect_id, d.case_id FROM decisions d
  WHERE d.stage = '审查起诉' AND d.fast_track AND d.plea
),
clock AS (
  SELECT ft.suspect_id,
    coalesce(
      (SELECT min(e.occurred_at) FROM events e WHERE e.suspect_id = ft.suspect_id AND e.event = '刑事拘留'),
      (SELECT min(e.occurred_at) FROM events e WHERE e.case_id = ft.case_id AND e.event = '立案'),
      CAST(c.filed_on AS TIMESTAMP)
    ) AS started,
    (SELECT min(e.occurred_at) FROM events e WHERE e.suspect_id = ft.suspect_id AND e.event = '一审宣判') AS judged
  FROM ft JOIN cases c ON c.case_id = ft.case_id
)
SELECT suspect_id, date_diff('second', started, judged) / 3600.0 AS hours FROM clock
