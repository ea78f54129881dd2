import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOP_CHARGES } from '../../fixtures/generator/charges.ts';
import { POPULATION_SHARES } from '../../fixtures/generator/districts.ts';
import { loadGenerated, sqlFile, type GeneratedData } from './generated-data.ts';

const REFERENCE = new URL('../../fixtures/reference/', import.meta.url);

let data: GeneratedData;
beforeAll(async () => {
  data = await loadGenerated({ seed: 11 });
});
afterAll(async () => {
  await data?.cleanup();
});

describe('realistic, not uniform (domain-research.md §5.5–5.6)', () => {
  it('district volumes within 2 points of the population shares, all 16 codes and no 110103/110104', async () => {
    const rows = await data.query(
      `SELECT district_code, count(*) / (SELECT count(*) FROM cases) AS share FROM cases GROUP BY district_code`,
    );
    expect(rows.map((r) => r.district_code).sort()).toEqual(Object.keys(POPULATION_SHARES).sort());
    for (const { district_code, share } of rows)
      expect(
        Math.abs((share as number) - (POPULATION_SHARES[district_code as string] as number)),
      ).toBeLessThan(0.02);
  });

  it('the five leading charges make 66–74 % of cases (weights: 70 %)', async () => {
    const top = await data.query(`SELECT charge, count(*) / (SELECT count(*) FROM cases) AS share
      FROM cases GROUP BY charge ORDER BY share DESC LIMIT 5`);
    expect(top.map((r) => r.charge).sort()).toEqual([...TOP_CHARGES].sort());
    const share = top.reduce((s, r) => s + (r.share as number), 0);
    expect(share).toBeGreaterThan(0.66);
    expect(share).toBeLessThan(0.74);
  });

  it('uses only current charge names, a few dozen of them, and some other_charges split by ;', async () => {
    const current = (await readFile(new URL('charges_current.csv', REFERENCE), 'utf8'))
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0])
      .filter(Boolean);
    expect(current).toHaveLength(483);
    const used =
      await data.query(`SELECT DISTINCT unnest(list_concat([charge], coalesce(string_split(other_charges, ';'), []))) AS name
      FROM cases`);
    const names = used.map((r) => r.name as string);
    expect(names.filter((n) => !current.includes(n))).toEqual([]);
    expect(names.length).toBeGreaterThan(40);
    const [row] = await data.query(
      `SELECT count(*) FILTER (WHERE other_charges IS NOT NULL) / count(*) AS share FROM cases`,
    );
    expect(row?.share).toBeGreaterThan(0.02);
    expect(row?.share).toBeLessThan(0.06);
  });

  it('不捕率 0.50–0.56, 不诉率 0.25–0.29, 认罪认罚 0.87–0.93, adoption 0.97–0.99 (persons, rules.md §5)', async () => {
    const [r] = (await data.query(await sqlFile('decision-rates.sql'))) as Record<string, number>[];
    expect(r?.non_arrest_rate).toBeGreaterThanOrEqual(0.5);
    expect(r?.non_arrest_rate).toBeLessThanOrEqual(0.56);
    expect(r?.non_prosecution_rate).toBeGreaterThanOrEqual(0.25);
    expect(r?.non_prosecution_rate).toBeLessThanOrEqual(0.29);
    expect(r?.plea_rate).toBeGreaterThanOrEqual(0.87);
    expect(r?.plea_rate).toBeLessThanOrEqual(0.93);
    expect(r?.adoption_rate).toBeGreaterThanOrEqual(0.97);
    expect(r?.adoption_rate).toBeLessThanOrEqual(0.99);
  });

  it('police units per district: 分局 detachments and 派出所 named after its streets', async () => {
    const rows = await data.query(`SELECT district_code, count(DISTINCT police_unit) AS units,
      count(DISTINCT police_unit) FILTER (WHERE police_unit LIKE '%派出所') AS stations,
      count(DISTINCT police_unit) FILTER (WHERE police_unit LIKE '%分局刑侦支队') AS criminal
      FROM cases GROUP BY district_code`);
    for (const r of rows) {
      expect(r.criminal).toBe(1);
      expect(r.stations as number).toBeGreaterThanOrEqual(5);
    }
    const [unique] = await data.query(`SELECT count(*) AS n FROM (SELECT police_unit FROM cases
      GROUP BY police_unit HAVING count(DISTINCT district_code) > 1)`);
    expect(unique?.n).toBe(0);
  });

  it('suspects: Chinese names incl. compound surnames and ·, valid synthetic id numbers, a few minors', async () => {
    const [r] = await data.query(`SELECT
      count(*) FILTER (WHERE regexp_matches(name, '^(欧阳|司马|诸葛|上官|东方|皇甫)')) AS compound,
      count(*) FILTER (WHERE name LIKE '%·%') AS dotted,
      count(*) FILTER (WHERE is_minor) / count(*) AS minors,
      count(*) FILTER (WHERE gender = '男') / count(*) AS male,
      count(*) FILTER (WHERE NOT regexp_matches(id_number, '^\\d{17}[\\dX]$')
        OR substr(id_number, 7, 8) <> strftime(birth_date, '%Y%m%d')
        OR substr(id_number, 5, 1) <> '9'
        OR (CAST(substr(id_number, 17, 1) AS INTEGER) % 2 = 1) <> (gender = '男')) AS bad_ids
      FROM suspects`);
    expect(r?.compound as number).toBeGreaterThan(0);
    expect(r?.dotted as number).toBeGreaterThan(0);
    expect(r?.minors as number).toBeGreaterThan(0.01);
    expect(r?.minors as number).toBeLessThan(0.06);
    expect(r?.male as number).toBeGreaterThan(0.75);
    expect(r?.bad_ids).toBe(0);
    const ids = await data.query(`SELECT id_number FROM suspects LIMIT 2000`);
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    for (const { id_number } of ids) {
      const id = id_number as string;
      const sum = weights.reduce((s, w, i) => s + w * Number(id[i]), 0);
      expect(id[17]).toBe('10X98765432'[sum % 11]);
    }
  });

  it('minor-victim cases mostly use one-stop evidence taking; one_stop only on them', async () => {
    const [r] = await data.query(`SELECT count(*) FILTER (WHERE minor_victim) AS n,
      count(*) FILTER (WHERE minor_victim AND one_stop) / count(*) FILTER (WHERE minor_victim) AS share,
      count(*) FILTER (WHERE NOT minor_victim AND one_stop IS NOT NULL) AS stray FROM cases`);
    expect(r?.n as number).toBeGreaterThan(20);
    expect(r?.share as number).toBeGreaterThan(0.8);
    expect(r?.stray).toBe(0);
  });

  it('major cases get 提前介入 by the prosecutor who then decides (谁介入、谁办案), nearly always', async () => {
    const [r] = await data.query(`SELECT count(*) AS n,
      count(*) FILTER (WHERE e.actor_person = d.prosecutor_id) / count(*) AS same
      FROM events e JOIN decisions d USING (case_id) JOIN cases c USING (case_id)
      WHERE e.event = '提前介入' AND c.major_case`);
    expect(r?.n as number).toBeGreaterThan(50);
    expect(r?.same as number).toBeGreaterThan(0.85);
  });
});

describe('holiday roll-over cannot change an overdue count', () => {
  it('gives the manifest counts with the State Council calendar applied (rules.md §1)', async () => {
    const holidays = new URL('holidays.csv', REFERENCE).pathname.replace(/'/g, "''");
    await data.db.run(`CREATE TABLE holidays AS SELECT CAST(date AS DATE) AS date, kind
      FROM read_csv('${holidays}', all_varchar = true, header = true)`);
    const [r] = await data.query(await sqlFile('supervision-overdue-with-holidays.sql'));
    const m = data.manifest.anomalies.supervision_overdue;
    expect({ late: r?.late, unanswered: r?.unanswered }).toEqual({ late: m.late, unanswered: m.unanswered });
    expect(r?.rolled as number).toBeGreaterThan(50);
  });
});
