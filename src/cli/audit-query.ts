import type { QueryModule } from '../../queries/module.ts';
import type { QueryResult } from '../../queries/run.ts';
import { caseIdsSummary, type AuditLog } from '../server/audit/log.ts';

/**
 * CLI output with case-level rows is audited (spec/cli.md) as `cli:<OS user>`, with the purpose when given: the same
 * record the API writes for a case-level read or export, into the same hash-chained trail — by the server's log when
 * the command ran through it, else by the CLI (which then holds the database, so no server writes at the same time).
 */
export async function auditCliQuery(
  audit: AuditLog,
  user: string,
  m: QueryModule,
  result: QueryResult,
  opts: { purpose?: string; format: string },
): Promise<void> {
  if (!m.caseLevel) return;
  const ids = result.rows.map((r) => r.case_id).filter((x): x is string => typeof x === 'string');
  await audit.write({
    event: opts.format === 'json' ? 'query' : 'export',
    outcome: 'ok',
    user,
    role: 'cli',
    endpoint: 'cli query',
    query: m.name,
    params: result.params,
    purpose: opts.purpose,
    rows: result.rows.length,
    detail: `format=${opts.format}`,
    ...caseIdsSummary(ids),
  });
}
