import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generate } from '../../fixtures/generator/index.ts';
import { findModule } from '../../queries/registry.ts';
import { runModule } from '../../queries/run.ts';
import { ALL_DISTRICTS } from '../../queries/scope.ts';
import type { Database } from '../../src/db/open.ts';
import { all, run } from '../../src/db/sql.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { addUser } from '../../src/server/auth/users.ts';
import { importAppRecords } from '../../src/records/store.ts';
import { tempDir } from '../helpers/db.ts';
import { ingest } from '../helpers/ingest.ts';
import { PASSWORD, withServer, type TestServer } from '../helpers/server.ts';

/**
 * Scope as a property (spec/api.md "Scope is taken from the session only"): random users — a district user with a
 * random non-empty subset of the 16 districts, or a city user — run every module their role may run with
 * parameters drawn from the module's own JSON schema (as GET /queries publishes it) plus the drill filters. No
 * answer is a 500, and no row of a 200 lies outside the user's districts: neither its district_code nor the case
 * its case_id or suspect_id belongs to (looked up in the database before the server opened it). Rows with no
 * district_code are aggregates: they must equal the module run with exactly the user's districts.
 *
 * Full run: FC_RUNS=1000 npx vitest run test/server/scope-property.test.ts (docs/security.md).
 */
const RUNS = Number(process.env.FC_RUNS ?? 60);
// composed modules (briefing, joint-meeting-pack) take 1–1.5 s each on this set: drawn less often
const COMPOSED = new Set(['briefing', 'joint-meeting-pack']);

interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: string[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
}
interface Listed {
  name: string;
  case_level: boolean;
  columns: { name: string }[];
  params: JsonSchema;
}

interface Truth {
  caseDistrict: Map<string, string>;
  suspectDistrict: Map<string, string>;
  units: string[];
  campaigns: string[];
}

async function prepareGenerated(db: Database, dir: string, truth: Truth): Promise<void> {
  const out = join(dir, 'generated');
  await generate({ out, cases: 500, seed: 11, from: '2024-01-01', to: '2025-12-31' });
  await ingest(
    db,
    readdirSync(out)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(out, f)),
  );
  await importAppRecords(db.conn, JSON.parse(readFileSync(join(out, 'app-records.json'), 'utf8')));
  for (const r of await all<{ case_id: string; district_code: string }>(
    db.conn,
    'SELECT case_id, district_code FROM cases',
  ))
    truth.caseDistrict.set(r.case_id, r.district_code);
  for (const r of await all<{ suspect_id: string; district_code: string }>(
    db.conn,
    'SELECT s.suspect_id, c.district_code FROM suspects s JOIN cases c USING (case_id)',
  ))
    truth.suspectDistrict.set(r.suspect_id, r.district_code);
  truth.units = (
    await all<{ u: string }>(db.conn, 'SELECT DISTINCT police_unit AS u FROM cases ORDER BY 1 LIMIT 24')
  ).map((r) => r.u);
  truth.campaigns = (
    await all<{ id: string }>(db.conn, 'SELECT review_campaign_id AS id FROM review_campaigns ORDER BY 1')
  ).map((r) => r.id);
  await addUser(db.conn, { username: 'city1', role: 'city', agency: '检察', password: PASSWORD });
}

const isoDay = fc
  .date({ min: new Date('2023-06-01T00:00:00Z'), max: new Date('2026-06-30T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** A value for one parameter from its JSON schema: mostly valid, sometimes junk (which must be a 400). */
function valueArb(name: string, s: JsonSchema, truth: Truth): fc.Arbitrary<string> {
  let valid: fc.Arbitrary<string>;
  if (s.anyOf)
    valid = fc.oneof(...s.anyOf.filter((x) => x.type !== 'null').map((x) => valueArb(name, x, truth)));
  else if (s.enum) valid = fc.constantFrom(...s.enum);
  else if (s.type === 'boolean') valid = fc.constantFrom('true', 'false');
  else if (s.type === 'integer')
    valid = fc
      .integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 1000, (s.minimum ?? 0) + 300) })
      .map(String);
  else if (s.type === 'array' && s.items?.enum)
    valid = fc.subarray(s.items.enum, { minLength: 1 }).map((a) => a.join(','));
  else if (s.format === 'date') valid = isoDay;
  else if (s.pattern?.startsWith('^1101')) valid = fc.constantFrom(...ALL_DISTRICTS);
  else if (name === 'period')
    valid = fc.constantFrom('2024', '2025', '2025Q1', '2024Q4', '2025-03', '2024-12');
  else if (name === 'campaign') valid = fc.constantFrom(...truth.campaigns, 'RC-none');
  else valid = fc.string({ minLength: 1, maxLength: 12 });
  return fc.oneof({ weight: 30, arbitrary: valid }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
}

function paramsArb(m: Listed, truth: Truth): fc.Arbitrary<Record<string, string>> {
  const entries: Record<string, fc.Arbitrary<string>> = {};
  for (const [k, s] of Object.entries(m.params.properties ?? {})) entries[k] = valueArb(k, s, truth);
  return fc.record(entries, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
}

/**
 * The drill filters every module takes (routes/queries.ts): a district, mostly one of the user's (an index into
 * their list) and sometimes any of the 16; a police unit, mostly for modules whose rows carry one.
 */
function drillArb(m: Listed, truth: Truth) {
  const hasUnit = m.columns.some((c) => c.name === 'police_unit');
  return fc.record({
    district: fc.option(
      fc.oneof(
        { weight: 4, arbitrary: fc.nat().map((n) => ({ own: n })) },
        { weight: 1, arbitrary: fc.constantFrom(...ALL_DISTRICTS).map((d) => ({ any: d })) },
      ),
      { freq: 2, nil: undefined },
    ),
    unit: fc.option(fc.constantFrom(...truth.units), { freq: hasUnit ? 4 : 12, nil: undefined }),
  });
}

/** Mostly from ≤ to ≤ as_of, so that most draws get past validation and return rows to check. */
function orderDates(params: Record<string, string>): Record<string, string> {
  const keys = ['from', 'to', 'as_of'].filter((k) => /^\d{4}-\d\d-\d\d$/.test(params[k] ?? ''));
  const sorted = keys.map((k) => params[k]!).sort();
  return { ...params, ...Object.fromEntries(keys.map((k, i) => [k, sorted[i]!])) };
}

const userArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant<'city'>('city') },
  {
    weight: 5,
    arbitrary: fc.subarray([...ALL_DISTRICTS], { minLength: 1 }).map((d) => [...d].sort()),
  },
);

const normalise = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>[];

describe('scope property: no row outside the session districts, for any user, module and parameters', () => {
  it(
    `holds for ${RUNS} random (user, module, parameters) draws`,
    { timeout: 90_000 + RUNS * 1_500 },
    async () => {
      const truth: Truth = { caseDistrict: new Map(), suspectDistrict: new Map(), units: [], campaigns: [] };
      const t = tempDir();
      try {
        await withServer(
          async (s) => {
            const cityCookie = await s.login('city1');
            const listed = (await (await s.fetch('/api/v1/queries', { cookie: cityCookie })).json())
              .queries as Listed[];
            expect(listed.length).toBeGreaterThan(15);
            const cookies = new Map<string, string>();
            cookies.set('city', cityCookie);
            const hash = await hashPassword(PASSWORD);
            const cookieFor = async (user: 'city' | string[]): Promise<string> => {
              const key = user === 'city' ? 'city' : user.join(',');
              let c = cookies.get(key);
              if (!c) {
                const username = `prop${cookies.size}`;
                await s.server.ctx.pool.use((conn) =>
                  run(
                    conn,
                    `INSERT INTO users (username, role, agency, districts, password_hash, created_at, password_changed_at)
                   VALUES ($u, 'district', '检察', $d, $h, now()::TIMESTAMP, now()::TIMESTAMP)`,
                    { u: username, d: user as string[], h: hash },
                  ),
                );
                c = await s.login(username);
                cookies.set(key, c);
              }
              return c;
            };
            const drawArb = fc.oneof(
              ...listed.map((m) => ({
                weight: COMPOSED.has(m.name) ? 1 : 4,
                arbitrary: fc.record({
                  module: fc.constant(m),
                  params: paramsArb(m, truth),
                  drill: drillArb(m, truth),
                  user: userArb,
                  ordered: fc.nat(4).map((n) => n > 0),
                }),
              })),
            );
            await fc.assert(
              fc.asyncProperty(drawArb, async ({ module: m, params, drill, user, ordered }) => {
                const districts = user === 'city' ? [...ALL_DISTRICTS] : user;
                const p = ordered ? orderDates(params) : { ...params };
                if (drill.district)
                  p.district =
                    'own' in drill.district
                      ? districts[drill.district.own % districts.length]!
                      : drill.district.any;
                if (drill.unit !== undefined) p.police_unit = drill.unit;
                await checkDraw(s, m, p, districts, await cookieFor(user));
              }),
              { numRuns: RUNS },
            );
          },
          {
            prepare: (db) => prepareGenerated(db, t.dir, truth),
            start: { config: { loginsPerMinute: 1_000_000, caseReadsPerMinute: 1_000_000 } },
          },
        );
      } finally {
        t.cleanup();
      }

      async function checkDraw(
        s: TestServer,
        m: Listed,
        params: Record<string, string>,
        districts: string[],
        cookie: string,
      ): Promise<void> {
        const res = await s.fetch(`/api/v1/queries/${m.name}?${new URLSearchParams(params)}`, { cookie });
        const text = await res.text();
        const where = `${m.name} ${JSON.stringify(params)} as [${districts.join(',')}]: ${res.status} ${text.slice(0, 300)}`;
        expect([200, 400, 404], where).toContain(res.status);
        if (params.district !== undefined && !districts.includes(params.district))
          expect(res.status, where).toBe(404);
        if (res.status !== 200) return;
        const rows = (JSON.parse(text) as { rows: Record<string, unknown>[] }).rows;
        const allowed =
          params.district !== undefined && !Object.keys(m.params.properties ?? {}).includes('district')
            ? [params.district]
            : districts;
        let aggregate = false;
        for (const r of rows) {
          if (r.district_code == null) aggregate = true;
          else expect(allowed, where).toContain(r.district_code);
          if (typeof r.case_id === 'string')
            expect(allowed, where).toContain(truth.caseDistrict.get(r.case_id));
          if (typeof r.suspect_id === 'string')
            expect(allowed, where).toContain(truth.suspectDistrict.get(r.suspect_id));
        }
        if (!aggregate) return;
        // an aggregate row: the same module run in-process with exactly the allowed districts gives the same rows
        const own = Object.keys(findModule(m.name)!.params.shape);
        const { district, police_unit: unit, ...rest } = params;
        const p: Record<string, string> = { ...rest };
        if (district !== undefined && own.includes('district')) p.district = district;
        if (unit !== undefined && own.includes('police_unit')) p.police_unit = unit;
        const expected = await s.server.ctx.pool.use((conn) =>
          runModule(conn, m.name, p, { districts: allowed }),
        );
        const want =
          unit !== undefined && !own.includes('police_unit')
            ? expected.rows.filter((r) => r.police_unit === unit)
            : expected.rows;
        expect(rows, where).toEqual(normalise(want));
      }
    },
  );
});
