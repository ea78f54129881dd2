import { readFileSync } from 'node:fs';
import { auditPath } from '../../src/server/audit/log.ts';
import type { TestServer } from '../helpers/server.ts';

// response bodies are read field by field in assertions; typing every resource here would only restate the routes
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** A JSON request as a signed-in user: the status and the parsed body. */
export async function call(
  s: TestServer,
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await s.fetch(`/api/v1${path}`, {
    method,
    cookie,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

export const auditRecords = (s: TestServer) =>
  readFileSync(auditPath(s.server.ctx.db.path), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Json);
