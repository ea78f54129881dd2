import { tableFromIPC } from 'apache-arrow';

/** An API error with the server's Chinese message; `status` lets pages tell 401/403/404 apart. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface QueryColumn {
  name: string;
  type: string;
  label?: string;
}

export interface QueryResult {
  query: string;
  params: Record<string, unknown>;
  meta: {
    as_of: string;
    basis: string;
    thresholds: Record<string, { value: number; unit: string; label: string }>;
  };
  columns: QueryColumn[];
  rows: Record<string, unknown>[];
}

/** Called on 401 so the layout can send the user to the sign-in page (and say whether the session timed out). */
let onUnauthenticated: (expired: boolean) => void = () => {};
export function setUnauthenticatedHandler(fn: (expired: boolean) => void): void {
  onUnauthenticated = fn;
}

async function failure(res: Response): Promise<ApiError> {
  let code = 'error';
  let message = `请求失败（${res.status}）`;
  try {
    const body = (await res.json()) as { error?: { code: string; message: string } };
    if (body.error) ({ code, message } = body.error);
  } catch {
    // not JSON (a proxy error page): keep the generic message
  }
  if (res.status === 401 && code !== 'login_failed' && code !== 'otp_required')
    onUnauthenticated(code === 'session_expired');
  return new ApiError(res.status, code, message);
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(`/api/v1${path}`, { ...init, headers, credentials: 'same-origin' });
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Arrow values → the JSON shapes the pages use: dates as YYYY-MM-DD, numbers as numbers, strings as strings. */
function plain(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  const ms = v instanceof Date ? v.getTime() : Number(v);
  if (type === 'DATE') return new Date(ms).toISOString().slice(0, 10);
  if (type === 'TIMESTAMP') return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/**
 * Runs a query module in the caller's scope. Rows arrive as Arrow IPC (smaller than JSON for lists) and are decoded
 * here; meta travels in the schema metadata.
 */
export async function runQuery(
  name: string,
  params: Record<string, string | number | undefined> = {},
): Promise<QueryResult> {
  const res = await fetch(`/api/v1/queries/${encodeURIComponent(name)}${queryString(params)}`, {
    headers: { accept: 'application/vnd.apache.arrow.stream' },
    credentials: 'same-origin',
  });
  if (!res.ok) throw await failure(res);
  const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
  const info = JSON.parse(table.schema.metadata.get('zhenjian') ?? '{}') as QueryResult['meta'] & {
    query: string;
    params: Record<string, unknown>;
    columns?: QueryColumn[];
  };
  const described = new Map((info.columns ?? []).map((c) => [c.name, c]));
  const columns: QueryColumn[] = table.schema.fields.map((f) => ({
    name: f.name,
    type: described.get(f.name)?.type ?? (String(f.type).startsWith('Date') ? 'DATE' : String(f.type)),
    label: described.get(f.name)?.label ?? f.name,
  }));
  const vectors = columns.map((c) => table.getChild(c.name)!);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    columns.forEach((c, j) => (row[c.name] = plain(vectors[j]!.get(i), c.type)));
    rows.push(row);
  }
  return { query: info.query, params: info.params, meta: info, columns, rows };
}
