import { connect } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withServer, type TestServer } from '../helpers/server.ts';
import { FUZZ_RUNS, HANG_MS } from './fuzz-support.ts';

/**
 * Malformed HTTP input (issue 8, `npm run test:fuzz`): bodies, JSON depth, multipart uploads, headers, query strings
 * and raw bytes on the socket. Every answer is a clear refusal (4xx with the JSON error body of spec/api.md) — never
 * a 5xx, never a hang — and the server answers normally afterwards. Scope and injection properties live in
 * test/server/scope-property.test.ts and injection.test.ts; this file does not repeat them.
 */

async function answer(
  s: TestServer,
  path: string,
  init: RequestInit & { cookie?: string },
): Promise<Response> {
  return s.fetch(path, { ...init, signal: AbortSignal.timeout(HANG_MS) });
}

/** A refusal as spec/api.md has it: 4xx, JSON, { error: { code, message } } with a message in Chinese. */
async function expectClearRefusal(res: Response, allowed: number[]): Promise<void> {
  expect(allowed, `status ${res.status}`).toContain(res.status);
  if (res.status < 400) return void (await res.arrayBuffer());
  expect(res.headers.get('content-type') ?? '').toContain('application/json');
  const body = (await res.json()) as { error?: { code?: string; message?: string } };
  expect(body.error?.message ?? '').toMatch(/[\u4e00-\u9fff]/);
}

async function stillServes(s: TestServer, cookie: string): Promise<void> {
  const res = await answer(s, '/api/v1/batches', { cookie });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});

describe('malformed HTTP input is refused clearly (never 5xx, never a hang)', () => {
  it('JSON bodies: random text, random JSON, deep nesting, oversize → 400/401/413', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'fuzzer', role: 'admin', districts: [] });
      const cookie = await s.login('fuzzer');
      const body = fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.json({ maxDepth: 4 }),
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
        fc
          .tuple(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('[', '{"a":'))
          .map(([d, open]) => open.repeat(d) + '1' + (open === '[' ? ']' : '}').repeat(d)),
      );
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom('/api/v1/session', '/api/v1/users'), async (text, path) => {
          const res = await answer(s, path, {
            method: 'POST',
            cookie: path === '/api/v1/session' ? undefined : cookie,
            headers: { 'content-type': 'application/json' },
            body: text,
          });
          // 401: well-formed sign-in with wrong credentials; 403: origin rules; 413: over the 1 MB JSON limit
          await expectClearRefusal(res, [400, 401, 403, 413]);
        }),
        { numRuns: FUZZ_RUNS },
      );
      // past the 1 MB body limit: refused before parsing
      const huge = await answer(s, '/api/v1/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' }),
      });
      await expectClearRefusal(huge, [413]);
      await stillServes(s, cookie);
    });
  }, 180_000);

  it('multipart uploads: garbage, truncated parts, odd boundaries, stray fields → 400/413 (or 202 when a file got through)', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'loader', role: 'admin', districts: [] });
      const cookie = await s.login('loader');
      const part = fc.record({
        name: fc.constantFrom('file', 'table', 'encoding', 'as_of', 'sheet', 'evil', ''),
        filename: fc.option(printable, { nil: undefined }),
        content: fc.string({ maxLength: 200 }),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constant('zjBoundary'),
            printable.filter((b) => b.length > 0 && b.length < 70),
          ),
          fc.array(part, { maxLength: 4 }),
          fc.boolean(),
          fc.option(fc.string({ maxLength: 100 }), { nil: undefined }),
          async (boundary, parts, truncate, garbage) => {
            let text = parts
              .map(
                (p) =>
                  `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"` +
                  (p.filename === undefined ? '' : `; filename="${p.filename}"`) +
                  `\r\n\r\n${p.content}\r\n`,
              )
              .join('');
            text += `--${boundary}--\r\n`;
            if (truncate) text = text.slice(0, Math.floor(text.length / 2));
            const res = await answer(s, '/api/v1/ingest', {
              method: 'POST',
              cookie,
              headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
              body: garbage ?? text,
            });
            await expectClearRefusal(res, [202, 400, 413]);
          },
        ),
        { numRuns: FUZZ_RUNS },
      );
      // not multipart at all
      for (const type of ['text/plain', 'multipart/form-data', 'application/json']) {
        const res = await answer(s, '/api/v1/ingest', {
          method: 'POST',
          cookie,
          headers: { 'content-type': type },
          body: '{}',
        });
        await expectClearRefusal(res, [400]);
      }
      await stillServes(s, cookie);
    });
  }, 180_000);

  it('headers and query strings: random cookies, content types, origins, forwarding headers, query values → < 500', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'reader', role: 'admin', districts: [] });
      const cookie = await s.login('reader');
      const headerName = fc.constantFrom(
        'cookie',
        'content-type',
        'accept',
        'origin',
        'x-forwarded-for',
        'authorization',
        'last-event-id',
        'range',
        'if-none-match',
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(headerName, printable), { maxLength: 4 }),
          fc.array(fc.tuple(fc.constantFrom('limit', 'before', 'x', 'limit[]'), printable), { maxLength: 3 }),
          fc.boolean(),
          async (headers, query, signedIn) => {
            const h = new Headers();
            if (signedIn) h.set('cookie', cookie);
            for (const [k, v] of headers) h.append(k, v);
            const qs = new URLSearchParams(query).toString();
            const res = await answer(s, `/api/v1/batches${qs ? `?${qs}` : ''}`, { headers: h });
            expect(res.status, `${res.status} for ${JSON.stringify({ headers, query })}`).toBeLessThan(500);
            if (res.status >= 400) await expectClearRefusal(res, [res.status]);
            else await res.arrayBuffer();
          },
        ),
        { numRuns: FUZZ_RUNS },
      );
      await stillServes(s, cookie);
    });
  }, 180_000);

  it('raw bytes on the socket: answered 4xx or closed, and the server keeps serving', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'raw', role: 'admin', districts: [] });
      const cookie = await s.login('raw');
      const { port } = new URL(s.url);
      const raw = fc.oneof(
        fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
        fc
          .tuple(
            fc.constantFrom('GET', 'POST', 'BREW', ''),
            printable,
            fc.constantFrom('HTTP/1.1', 'HTTP/9.9', ''),
            fc.array(printable, { maxLength: 5 }),
          )
          .map(([m, path, v, lines]) =>
            Buffer.from(`${m} /api/v1/${path} ${v}\r\n${lines.join('\r\n')}\r\n\r\n`),
          ),
        // a body shorter than its Content-Length, or a chunked body that never ends
        fc.constantFrom(
          Buffer.from(
            'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a"',
          ),
          Buffer.from('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n'),
        ),
      );
      await fc.assert(
        fc.asyncProperty(raw, async (bytes) => {
          const reply = await new Promise<string>((resolve, reject) => {
            const sock = connect(Number(port), '127.0.0.1');
            let got = '';
            // a request the server waits on (short body) is cut by the client after 1 s: no answer is owed
            const timer = setTimeout(() => sock.destroy(), 1000);
            sock.on('data', (c) => (got += c.toString('latin1')));
            sock.on('close', () => (clearTimeout(timer), resolve(got)));
            sock.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
            sock.end(bytes);
          });
          const status = /^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1];
          if (status) expect(Number(status), reply.slice(0, 200)).toBeLessThan(500);
        }),
        { numRuns: FUZZ_RUNS },
      );
      await stillServes(s, cookie);
    });
  }, 180_000);
});
