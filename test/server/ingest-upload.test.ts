import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { one } from '../../src/db/sql.ts';
import { auditPath } from '../../src/server/audit/log.ts';
import { safeFileName } from '../../src/server/routes/ingest.ts';
import { CASE_HEADER, caseRow, writeCsv } from '../helpers/files.ts';
import { ingest } from '../helpers/ingest.ts';
import { withServer, type TestServer } from '../helpers/server.ts';

const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\n') + '\n';

function form(files: { name: string; text: string }[], fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const file of files) f.append('file', new Blob([file.text], { type: 'text/csv' }), file.name);
  return f;
}

interface Sse {
  event: string;
  data: Record<string, unknown>;
}

/** Reads the whole event stream (the server ends it after the result). */
async function events(s: TestServer, jobId: string, cookie: string): Promise<Sse[]> {
  const res = await s.fetch(`/api/v1/ingest/${jobId}/events`, { cookie });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((b) => b.trim())
    .map((block) => {
      const lines = block.split('\n');
      return {
        event: lines.find((l) => l.startsWith('event: '))!.slice(7),
        data: JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) as Record<string, unknown>,
      };
    });
}

async function admin(s: TestServer): Promise<string> {
  await s.addUser({ username: 'loader', role: 'admin', districts: [] });
  return s.login('loader');
}

describe('POST /api/v1/ingest (browser upload) and GET /api/v1/batches', () => {
  it('upload → job → server-sent events ending with the batch result and its rejects; ledger lists them', async () => {
    await withServer(async (s) => {
      const cookie = await admin(s);
      const file = csv([
        CASE_HEADER,
        caseRow('U1'),
        caseRow('U2', { filed_on: '2024-02-30' }),
        caseRow('U3'),
      ]);
      const res = await s.fetch('/api/v1/ingest', {
        method: 'POST',
        cookie,
        body: form([{ name: '朝阳 案件.csv', text: file }]),
      });
      expect(res.status).toBe(202);
      const { job_id } = (await res.json()) as { job_id: string };
      const ev = await events(s, job_id, cookie);
      expect(ev[0]).toEqual({ event: 'queued', data: { position: expect.any(Number) } });
      const progress = ev.filter((e) => e.event === 'progress');
      for (const p of progress) {
        expect(p.data).toMatchObject({ file: '朝阳 案件.csv', phase: expect.any(String) });
        expect(p.data.fraction as number).toBeGreaterThanOrEqual(0);
        expect(p.data.fraction as number).toBeLessThanOrEqual(1);
        expect(p.data.rows_per_second).toEqual(expect.any(Number));
      }
      const last = ev.at(-1)!;
      expect(last.event).toBe('result');
      // 3 data rows: U1 and U3 load, U2 (line 3 = header + 2nd row) rejected for its impossible date → exit 1
      expect(last.data.exit_code).toBe(1);
      const batch = (last.data.batches as Record<string, unknown>[])[0]!;
      expect(batch).toMatchObject({
        file: '朝阳 案件.csv',
        table: 'cases',
        status: 'loaded',
        rows_read: 3,
        rows_loaded: 2,
        rows_rejected: 1,
        rejects: [{ line: 3, column: 'filed_on', reason: expect.stringContaining('2024-02-30') }],
      });

      // a late subscriber still gets the whole history
      expect((await events(s, job_id, cookie)).map((e) => e.event)).toEqual(ev.map((e) => e.event));

      const ledger = await s.fetch('/api/v1/batches', { cookie });
      expect(ledger.status).toBe(200);
      const { batches } = (await ledger.json()) as { batches: Record<string, unknown>[] };
      expect(batches).toHaveLength(1);
      expect(batches[0]).toMatchObject({
        batch_id: batch.batch_id,
        file_name: '朝阳 案件.csv',
        table_name: 'cases',
        rows_loaded: 2,
        rows_rejected: 1,
        loaded_by: 'loader',
        rejects: [{ line: 3, column: 'filed_on' }],
      });
      const n = await s.server.ctx.pool.use((c) => one<{ n: number }>(c, 'SELECT count(*) AS n FROM cases'));
      expect(n!.n).toBe(2);

      const trail = readFileSync(auditPath(join(s.dir, 'server.duckdb')), 'utf8');
      const rec = trail
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .find((r) => r.event === 'ingest');
      expect(rec).toMatchObject({ outcome: 'ok', user: 'loader', role: 'admin', rows: 2 });
      // counts and batch ids, never the file name (it may carry a personal name)
      expect(rec.detail).toBe(`批次 ${batch.batch_id}:cases:拒绝1`);
    });
  });

  it('admin only; unknown form fields and missing files are 400; a job id not known is 404', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'cityuser', role: 'city', districts: [] });
      const city = await s.login('cityuser');
      const body = form([{ name: 'a.csv', text: csv([CASE_HEADER, caseRow('X')]) }]);
      expect((await s.fetch('/api/v1/ingest', { method: 'POST', body })).status).toBe(401);
      expect((await s.fetch('/api/v1/ingest', { method: 'POST', cookie: city, body })).status).toBe(403);
      expect((await s.fetch('/api/v1/batches', { cookie: city })).status).toBe(403);
      const cookie = await admin(s);
      const unknown = await s.fetch('/api/v1/ingest', {
        method: 'POST',
        cookie,
        body: form([{ name: 'a.csv', text: csv([CASE_HEADER, caseRow('X')]) }], { tabel: 'cases' }),
      });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('tabel');
      const none = await s.fetch('/api/v1/ingest', { method: 'POST', cookie, body: form([]) });
      expect(none.status).toBe(400);
      expect(
        (await s.fetch('/api/v1/ingest/00000000-0000-0000-0000-000000000000/events', { cookie })).status,
      ).toBe(404);
      // unusable input ends the job with an error event (exit code 2), nothing written
      const bad = await s.fetch('/api/v1/ingest', {
        method: 'POST',
        cookie,
        body: form([{ name: 'what.csv', text: 'foo,bar\n1,2\n' }]),
      });
      const ev = await events(s, ((await bad.json()) as { job_id: string }).job_id, cookie);
      expect(ev.at(-1)).toMatchObject({ event: 'error', data: { code: 2 } });
      expect(String(ev.at(-1)!.data.message)).toContain('what.csv');
    });
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\x\\案件.csv')).toBe('案件.csv');
    expect(safeFileName('..')).toBe('upload');
    expect(safeFileName('.hidden')).toBe('hidden');
  });

  it('one load at a time: a second upload waits its turn behind the first', async () => {
    await withServer(async (s) => {
      const cookie = await admin(s);
      const post = (name: string, id: string) =>
        s.fetch('/api/v1/ingest', {
          method: 'POST',
          cookie,
          body: form([{ name, text: csv([CASE_HEADER, caseRow(id)]) }]),
        });
      const [a, b] = await Promise.all([post('a.csv', 'Q1'), post('b.csv', 'Q2')]);
      const ids = [
        ((await a.json()) as { job_id: string }).job_id,
        ((await b.json()) as { job_id: string }).job_id,
      ];
      const [ea, eb] = await Promise.all(ids.map((id) => events(s, id, cookie)));
      // positions 0 and 1 in whichever order the two requests arrived; the one queued second loads second
      const first = ea[0]!.data.position === 0 ? ea : eb;
      const second = first === ea ? eb : ea;
      expect([first[0]!.data.position, second[0]!.data.position]).toEqual([0, 1]);
      const batchOf = (e: Sse[]) => (e.at(-1)!.data.batches as { batch_id: number }[])[0]!.batch_id;
      expect([batchOf(first), batchOf(second)]).toEqual([1, 2]);
    });
  });

  it('refuses an upload over the configured size limit with 413', async () => {
    await withServer(
      async (s) => {
        const cookie = await admin(s);
        const big = csv([CASE_HEADER, ...Array.from({ length: 50 }, (_, i) => caseRow(`B${i}`))]);
        const res = await s.fetch('/api/v1/ingest', {
          method: 'POST',
          cookie,
          body: form([{ name: 'b.csv', text: big }]),
        });
        expect(res.status).toBe(413);
        expect(((await res.json()) as { error: { message: string } }).error.message).toContain('上限');
      },
      { start: { config: { uploadLimitBytes: 1000 } } },
    );
  });

  it('readers never see half a batch: counts during a load are the before or the after count', async () => {
    const N = 20_000;
    await withServer(
      async (s) => {
        const cookie = await admin(s);
        const rows = [CASE_HEADER, ...Array.from({ length: N }, (_, i) => caseRow(`L${i}`))];
        const res = await s.fetch('/api/v1/ingest', {
          method: 'POST',
          cookie,
          body: form([{ name: 'l.csv', text: csv(rows) }]),
        });
        const { job_id } = (await res.json()) as { job_id: string };
        const seen = new Set<number>();
        const done = events(s, job_id, cookie);
        let finished = false;
        let polls = 0;
        void done.then(() => (finished = true));
        while (!finished) {
          polls++;
          const r = await s.server.ctx.pool.use((c) =>
            one<{ n: number }>(c, 'SELECT count(*) AS n FROM cases'),
          );
          seen.add(r!.n);
        }
        const ev = await done;
        expect(ev.at(-1)!.event).toBe('result');
        const after = await s.server.ctx.pool.use((c) =>
          one<{ n: number }>(c, 'SELECT count(*) AS n FROM cases'),
        );
        // 1 case loaded before the server started; the file adds N
        expect(after!.n).toBe(1 + N);
        expect([...seen].every((n) => n === 1 || n === 1 + N)).toBe(true);
        expect(seen.has(1)).toBe(true);
        // the reads really overlapped the load (it takes well over one query's time)
        expect(polls).toBeGreaterThan(1);
      },
      {
        prepare: async (db) => {
          const { tempDir } = await import('../helpers/db.ts');
          const t = tempDir();
          try {
            await ingest(db, [writeCsv(t.dir, 'first.csv', [CASE_HEADER, caseRow('P1')])]);
          } finally {
            t.cleanup();
          }
        },
      },
    );
  });
});
