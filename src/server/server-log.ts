/**
 * The server's operational log: one JSON line per event on a stream (stderr by default; tests pass their own).
 * Callers pass route patterns and ids, never names, ID numbers or query values (ASVS 16.2.5).
 */
export interface ServerLog {
  info(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export function streamLog(stream: { write(s: string): unknown } = process.stderr): ServerLog {
  const write = (level: string, event: string, fields: Record<string, unknown> = {}) =>
    stream.write(`${JSON.stringify({ ts: new Date().toISOString(), level, event, ...fields })}\n`);
  return { info: (e, f) => write('info', e, f), error: (e, f) => write('error', e, f) };
}

/** Keeps lines in memory: for tests, which assert on them instead of printing. */
export function memoryLog(): ServerLog & {
  lines: { level: string; event: string; fields: Record<string, unknown> }[];
} {
  const lines: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (event, fields = {}) => lines.push({ level: 'info', event, fields }),
    error: (event, fields = {}) => lines.push({ level: 'error', event, fields }),
  };
}
