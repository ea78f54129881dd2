import { describe, expect, it } from 'vitest';
import { all, ident, one } from '../../src/db/sql.ts';
import { addUser } from '../../src/server/auth/users.ts';
import { loadModuleFixture } from '../helpers/modules.ts';
import { PASSWORD, withServer, type TestServer } from '../helpers/server.ts';

/**
 * Injection through every module parameter, the drill filters, `purpose`, `format`, paging and the case id
 * (security-reliability-research.md: bound parameters only). Typed parameters refuse the payloads with a 400 in
 * Chinese naming the parameter; free text is bound as a value, so the answer is the module's normal schema (or a
 * 400); nothing is ever a 500, and afterwards every table holds the rows it held before.
 */
const PAYLOADS = [
  "' OR 1=1 --",
  '1; DROP TABLE cases',
  '$districts',
  '%00',
  '案件\u202e😀\u3000ｘ',
  "1' UNION SELECT username, password_hash FROM users --",
  '\u0000',
  '../../etc/passwd',
  'x'.repeat(4_000),
];

// valid values a module needs so that the unpoisoned request is a 200 (the pending fixture, as_of 2025-06-30)
const BASE: Record<string, Record<string, string>> = {
  'joint-meeting-pack': { period: '2025' },
  briefing: { period: '2025' },
  'review-sample': { seed: '1' },
  'pending-clearance': { from: '2025-01-01' },
};
// string parameters a module binds as text (everything else has a type, an enum or a pattern)
const FREE_TEXT = new Set(['campaign']);

interface Listed {
  name: string;
  case_level: boolean;
  columns: { name: string }[];
  params: { properties?: Record<string, unknown> };
}

const SQL_LEAK = /SELECT|FROM \w|Binder Error|Parser Error|duckdb|\/work\/|\.ts:|\bat \w+ \(/;

async function tableCounts(s: TestServer): Promise<Record<string, number>> {
  return s.server.ctx.pool.use(async (conn) => {
    const tables = await all<{ t: string }>(
      conn,
      "SELECT table_name AS t FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY 1",
    );
    const out: Record<string, number> = {};
    // names from the catalogue, quoted by ident(): no value is spliced
    for (const { t } of tables)
      out[t] = Number((await one<{ n: bigint }>(conn, `SELECT count(*) AS n FROM ${ident(t)}`))!.n);
    return out;
  });
}

const prepare = {
  prepare: async (db: Parameters<typeof loadModuleFixture>[0]) => {
    await loadModuleFixture(db, 'test/fixtures/modules/pending', '2025-06-30');
    await addUser(db.conn, { username: 'city1', role: 'city', agency: '检察', password: PASSWORD });
  },
  start: { config: { caseReadsPerMinute: 1_000_000 } },
};

describe('injection payloads in every parameter', () => {
  it('typed parameters → 400 naming them; free text → the normal schema or 400; never 500; no table changes', async () => {
    await withServer(async (s) => {
      const cookie = await s.login('city1');
      const listed = (await (await s.fetch('/api/v1/queries', { cookie })).json()).queries as Listed[];
      const before = await tableCounts(s);
      expect(before.cases).toBe(11);
      const failures: string[] = [];
      let requests = 0;
      for (const m of listed) {
        const base = BASE[m.name] ?? {};
        const normal = await s.fetch(`/api/v1/queries/${m.name}?${new URLSearchParams(base)}`, { cookie });
        expect(normal.status, m.name).toBe(200);
        const normalColumns = ((await normal.json()).columns as { name: string }[]).map((c) => c.name);
        const own = Object.keys(m.params.properties ?? {});
        const hasUnit = m.columns.some((c) => c.name === 'police_unit');
        const isFree = (param: string) =>
          FREE_TEXT.has(param) || (param === 'police_unit' && hasUnit && !own.includes(param));
        const targets = [
          ...new Set([...own, 'district', 'police_unit', 'purpose', 'format', 'limit', 'offset']),
        ];
        // one parameter poisoned at a time, two requests in flight (the pool has two connections)
        // typed parameters get five payloads plus one of the rest in turn; free text all of them
        const jobs = targets.flatMap((param, j) =>
          (isFree(param) ? PAYLOADS : [...PAYLOADS.slice(0, 5), PAYLOADS[5 + (j % 4)]!]).map((payload) => ({
            param,
            payload,
          })),
        );
        for (let i = 0; i < jobs.length; i += 2) {
          await Promise.all(
            jobs.slice(i, i + 2).map(async ({ param, payload }) => {
              requests++;
              const q = new URLSearchParams({ ...base, [param]: payload });
              const res = await s.fetch(`/api/v1/queries/${m.name}?${q}`, { cookie });
              const body = await res.text();
              const where = `${m.name} ${param}=${JSON.stringify(payload.slice(0, 40))}: ${res.status} ${body.slice(0, 200)}`;
              if (res.status === 200) {
                if (!isFree(param)) failures.push(`typed parameter accepted: ${where}`);
                else if (
                  JSON.stringify((JSON.parse(body).columns as { name: string }[]).map((c) => c.name)) !==
                  JSON.stringify(normalColumns)
                )
                  failures.push(`other schema: ${where}`);
                return;
              }
              // the message may quote the caller's own text back (查询事由 …实为「…」): that is not a leak
              if (SQL_LEAK.test(body.replace(JSON.stringify(payload).slice(1, -1), '')))
                failures.push(`leak: ${where}`);
              // a district that is no valid code is not in anyone's scope: 404 as for any other district outside
              if (param === 'district' && res.status === 404) return;
              if (res.status !== 400) return void failures.push(`status: ${where}`);
              const message = JSON.parse(body).error.message as string;
              if (!/[\u4e00-\u9fff]/.test(message)) failures.push(`not Chinese: ${where}`);
              const named = param === 'purpose' ? /purpose|查询事由/ : new RegExp(param);
              if (!named.test(message)) failures.push(`does not name ${param}: ${where}`);
            }),
          );
        }
      }
      expect(failures).toEqual([]);
      expect(requests).toBeGreaterThan(800);
      expect(await tableCounts(s)).toEqual(before);
    }, prepare);
  });

  it('a purpose note is bound as text; a case id carrying SQL or a path is 400 (format) or 404', async () => {
    await withServer(async (s) => {
      const cookie = await s.login('city1');
      const before = await tableCounts(s);
      for (const payload of PAYLOADS.filter((p) => p.length < 100 && !p.includes('\u0000'))) {
        const q = new URLSearchParams({ format: 'csv', purpose: `其他：${payload}` });
        const res = await s.fetch(`/api/v1/queries/pending-cases?${q}`, { cookie });
        expect(res.status, payload).toBe(200);
        expect((await res.text()).trim().split('\r\n')).toHaveLength(1 + 7);
      }
      // a note longer than 100 characters is refused, naming the purpose
      const long = await s.fetch(
        `/api/v1/queries/pending-cases?${new URLSearchParams({ format: 'csv', purpose: `其他：${'x'.repeat(4_000)}` })}`,
        { cookie },
      );
      expect(long.status).toBe(400);
      expect((await long.json()).error.message).toContain('查询事由');
      const open = (id: string) =>
        s.fetch(`/api/v1/cases/${encodeURIComponent(id)}?purpose=${encodeURIComponent('监督核查')}`, {
          cookie,
        });
      expect((await open('P1')).status).toBe(200);
      for (const id of [...PAYLOADS, "P1' OR '1'='1", 'P1--', 'P1;', 'P1 OR 1=1', '*']) {
        const res = await open(id);
        const body = await res.text();
        expect([400, 404], `${id}: ${res.status} ${body}`).toContain(res.status);
        expect(body).not.toMatch(SQL_LEAK);
        if (res.status === 400) expect(JSON.parse(body).error.message).toBe('案件编号格式不正确。');
      }
      // SQL-looking but well-formed ids simply do not exist
      expect((await open('P1--')).status).toBe(404);
      expect(await tableCounts(s)).toEqual(before);
    }, prepare);
  });
});
