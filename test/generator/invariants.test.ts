import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGenerated, type GeneratedData } from './generated-data.ts';

let data: GeneratedData;
beforeAll(async () => {
  data = await loadGenerated({ seed: 3 });
});
afterAll(async () => {
  await data?.cleanup();
});

/** Each query counts the rows that break one invariant. */
const VIOLATIONS: Record<string, string> = {
  'accepted_on <= filed_on': `SELECT count(*) FROM cases WHERE accepted_on > filed_on`,
  'closed_on iff not 侦查中, and after filing': `SELECT count(*) FROM cases
    WHERE (status <> '侦查中') <> (closed_on IS NOT NULL) OR closed_on < filed_on`,
  '以事立案 iff no suspects': `SELECT count(*) FROM cases c
    WHERE (c.filing_basis = '以事立案') <> NOT EXISTS (SELECT 1 FROM suspects s WHERE s.case_id = c.case_id)`,
  'no measure before filing, none ends before it starts': `SELECT count(*) FROM measures m
    JOIN suspects s USING (suspect_id) JOIN cases c USING (case_id)
    WHERE m.start_on < c.filed_on OR m.end_on < m.start_on`,
  'ended measures have a reason, running ones none': `SELECT count(*) FROM measures
    WHERE (end_on IS NULL) <> (end_reason IS NULL)`,
  '刑事拘留 → 提请批准逮捕 → 审查逮捕 decision': `SELECT count(*) FROM decisions d
    LEFT JOIN events r ON r.suspect_id = d.suspect_id AND r.event = '提请批准逮捕'
    LEFT JOIN events x ON x.suspect_id = d.suspect_id AND x.event = '刑事拘留'
    WHERE d.stage = '审查逮捕'
      AND (r.event_id IS NULL OR x.event_id IS NULL OR x.occurred_at > r.occurred_at
        OR CAST(r.occurred_at AS DATE) > d.received_on OR d.received_on > d.decided_on)`,
  'detention ends on the arrest decision; 逮捕 starts on 批准逮捕': `SELECT count(*) FROM decisions d
    JOIN measures x ON x.suspect_id = d.suspect_id AND x.measure = '刑事拘留'
    LEFT JOIN measures a ON a.suspect_id = d.suspect_id AND a.measure = '逮捕'
    WHERE d.stage = '审查逮捕' AND (x.end_on IS DISTINCT FROM d.decided_on
      OR (d.decision = '批准逮捕' AND a.start_on IS DISTINCT FROM d.decided_on)
      OR (d.decision = '不批准逮捕' AND a.measure_id IS NOT NULL))`,
  'a bail after 不捕 starts on or after the decision': `SELECT count(*) FROM decisions d
    JOIN measures b ON b.suspect_id = d.suspect_id AND b.measure IN ('取保候审', '监视居住')
    WHERE d.decision = '不批准逮捕' AND b.start_on < d.decided_on`,
  '移送审查起诉 on closed_on, then 审查起诉, then 一审宣判': `SELECT count(*) FROM decisions d
    JOIN cases c USING (case_id)
    LEFT JOIN events j ON j.suspect_id = d.suspect_id AND j.event = '一审宣判'
    WHERE d.stage = '审查起诉' AND (c.status <> '已移送审查起诉' OR d.received_on < c.closed_on
      OR d.decided_on < d.received_on OR CAST(j.occurred_at AS DATE) < d.decided_on
      OR (d.decision = '不起诉' AND j.event_id IS NOT NULL))`,
  'the 移送审查起诉 event is on closed_on': `SELECT count(*) FROM cases c JOIN events e USING (case_id)
    WHERE e.event = '移送审查起诉' AND CAST(e.occurred_at AS DATE) <> c.closed_on`,
  'decision stage and outcome agree, with a reason for 不捕 / 不诉 only': `SELECT count(*) FROM decisions
    WHERE (stage = '审查逮捕') <> (decision IN ('批准逮捕', '不批准逮捕'))
       OR (reason IS NOT NULL) <> (decision IN ('不批准逮捕', '不起诉'))`,
  '复议 then 复核, in order': `SELECT count(*) FROM decisions
    WHERE recon_filed_on < decided_on OR recon_decided_on < recon_filed_on
       OR upper_review_filed_on < recon_decided_on OR upper_review_decided_on < upper_review_filed_on
       OR (upper_review_filed_on IS NOT NULL AND recon_result IS DISTINCT FROM '维持')`,
  'events are pushed after they happen, and not before 受案': `SELECT count(*) FROM events e JOIN cases c USING (case_id)
    WHERE e.recorded_at < e.occurred_at OR CAST(e.occurred_at AS DATE) < c.accepted_on`,
  'extensions carry 1 or 2 months': `SELECT count(*) FROM events
    WHERE event = '延长侦查羁押期限' AND note NOT IN ('1', '2')`,
  'supervision: replied after issued, rectified after replied, objections in order': `SELECT count(*) FROM supervision
    WHERE replied_on < issued_on OR rectified_on < replied_on
       OR (reply IS NULL) <> (replied_on IS NULL)
       OR (reply = '提出异议') <> (objection IS NOT NULL)
       OR objection_filed_on IS DISTINCT FROM CASE WHEN objection IS NOT NULL THEN replied_on END
       OR objection_decided_on < objection_filed_on`,
  'property seized during the investigation, transferred with the case': `SELECT count(*) FROM property p
    JOIN cases c USING (case_id)
    WHERE p.seized_on < c.filed_on OR p.seized_on > p.transferred_on OR p.transferred_on <> c.closed_on
       OR p.disposed_on < p.transferred_on`,
  'is_minor is the age at accepted_on': `SELECT count(*) FROM suspects s JOIN cases c USING (case_id)
    WHERE is_minor <> (date_sub('year', s.birth_date, coalesce(c.accepted_on, c.filed_on)) < 18)`,
  'fast-track persons are 起诉 with plea, on a single-suspect case': `SELECT count(*) FROM decisions d
    WHERE d.fast_track AND (NOT d.plea OR d.decision <> '起诉'
      OR (SELECT count(*) FROM suspects s WHERE s.case_id = d.case_id) <> 1)`,
  'keys are unique': `SELECT (SELECT count(*) - count(DISTINCT case_id) FROM cases)
    + (SELECT count(*) - count(DISTINCT suspect_id) FROM suspects)
    + (SELECT count(*) - count(DISTINCT measure_id) FROM measures)
    + (SELECT count(*) - count(DISTINCT decision_id) FROM decisions)
    + (SELECT count(*) - count(DISTINCT event_id) FROM events)
    + (SELECT count(*) - count(DISTINCT record_id) FROM supervision)
    + (SELECT count(*) - count(DISTINCT item_id) FROM property)`,
  'references resolve': `SELECT (SELECT count(*) FROM suspects WHERE case_id NOT IN (SELECT case_id FROM cases))
    + (SELECT count(*) FROM measures WHERE suspect_id NOT IN (SELECT suspect_id FROM suspects))
    + (SELECT count(*) FROM decisions d WHERE NOT EXISTS (SELECT 1 FROM suspects s
        WHERE s.suspect_id = d.suspect_id AND s.case_id = d.case_id))
    + (SELECT count(*) FROM events e WHERE e.case_id NOT IN (SELECT case_id FROM cases)
        OR (e.suspect_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM suspects s
          WHERE s.suspect_id = e.suspect_id AND s.case_id = e.case_id)))
    + (SELECT count(*) FROM property WHERE case_id NOT IN (SELECT case_id FROM cases))
    + (SELECT count(*) FROM supervision WHERE case_id IS NOT NULL AND case_id NOT IN (SELECT case_id FROM cases))`,
};

describe('legal order of dates and consistency of rows', () => {
  for (const [name, sql] of Object.entries(VIOLATIONS)) {
    it(name, async () => {
      const [row] = await data.query(sql);
      expect(Number(Object.values(row ?? {})[0])).toBe(0);
    });
  }

  it('has the populations the invariants are about', async () => {
    const [row] = await data.query(`SELECT
      (SELECT count(*) FROM decisions WHERE recon_filed_on IS NOT NULL) AS recon,
      (SELECT count(*) FROM decisions WHERE upper_review_filed_on IS NOT NULL) AS upper_review,
      (SELECT count(*) FROM supervision WHERE objection IS NOT NULL) AS objections,
      (SELECT count(*) FROM events WHERE event = '延长侦查羁押期限') AS extensions,
      (SELECT count(*) FROM events WHERE event = '提前介入') AS early,
      (SELECT count(*) FROM cases WHERE filing_basis = '以事立案') AS unknown_suspect,
      (SELECT count(*) FROM suspects WHERE is_minor) AS minors,
      (SELECT count(*) FROM decisions WHERE returns BETWEEN 1 AND 2) AS returned,
      (SELECT count(*) FROM supervision WHERE reply_due_on IS NOT NULL) AS explicit_due,
      (SELECT count(*) FROM supervision WHERE case_id IS NULL) AS without_case`);
    for (const [k, v] of Object.entries(row ?? {})) expect([k, v]).not.toEqual([k, 0]);
  });

  it('open cases without suspects are recent (rule C is planted only)', async () => {
    const [row] = await data.query(`SELECT count(*) AS n FROM cases c, params p
      WHERE c.status = '侦查中' AND c.filing_basis = '以事立案' AND add_months(c.filed_on, 24) - 14 <= p.as_of
        AND add_months(c.filed_on, 24) >= p.as_of`);
    expect(row?.n).toBe(0);
  });
});

describe('nothing happens after --to', () => {
  it('no date or timestamp in any table is later than to', async () => {
    const checks: string[] = [];
    const dated: Record<string, string[]> = {
      cases: ['accepted_on', 'filed_on', 'closed_on', 'updated_at'],
      suspects: ['birth_date', 'updated_at'],
      measures: ['start_on', 'end_on', 'updated_at'],
      decisions: [
        'received_on',
        'decided_on',
        'recon_filed_on',
        'recon_decided_on',
        'upper_review_filed_on',
        'upper_review_decided_on',
        'recorded_at',
        'updated_at',
      ],
      supervision: [
        'issued_on',
        'reply_due_on',
        'replied_on',
        'rectified_on',
        'objection_filed_on',
        'objection_decided_on',
        'recorded_at',
        'updated_at',
      ],
      events: ['occurred_at', 'recorded_at', 'updated_at'],
      property: ['seized_on', 'transferred_on', 'disposed_on', 'updated_at'],
    };
    for (const [table, columns] of Object.entries(dated))
      for (const c of columns)
        checks.push(`SELECT '${table}.${c}' AS col, count(*) AS n FROM ${table}, params
          WHERE CAST(${c} AS DATE) > params.to_on OR CAST(${c} AS DATE) < DATE '1940-01-01'`);
    const rows = await data.query(checks.join(' UNION ALL '));
    expect(rows.filter((r) => r.n !== 0)).toEqual([]);
    expect(rows).toHaveLength(Object.values(dated).flat().length);
  });

  it('nor in app-records.json', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(`${data.dir}/app-records.json`, 'utf8');
    const dates = [...text.matchAll(/"(\d{4}-\d{2}-\d{2})[ "]/g)].map((m) => m[1] as string);
    expect(dates.length).toBeGreaterThan(100);
    expect(dates.filter((d) => d > data.manifest.to)).toEqual([]);
  });
});
