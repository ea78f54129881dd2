import type { DuckDBConnection } from '@duckdb/node-api';
import { dropIndexForBulkLoad } from '../../src/db/case-indexes.ts';
import { all, run, transaction } from '../../src/db/sql.ts';
import type { HeaderPlan } from '../contract/header.ts';
import { keyColumn, type TableName } from '../contract/tables.ts';
import { batchRejects, pendingRejectLines, previousBatch, type RejectRow } from '../ledger.ts';
import type { Mapping } from '../mapping.ts';
import { stageFile, type InspectedFile } from '../read/index.ts';
import { EMPTY_TOKENS } from '../validate/macros.ts';
import { Params } from '../validate/params.ts';
import type { TypingOptions } from '../validate/typedSql.ts';
import { cleanSql } from './cleanSql.ts';
import { MERGE_TEMP_TABLES, mergeStaged } from './merge.ts';
import { REJECT_TEMP_TABLES, storeRejects } from './rejects.ts';

export interface FilePlan {
  file: InspectedFile;
  table: TableName;
  header: HeaderPlan;
  mapping?: Mapping;
}

export interface LoadContext {
  user: string;
  typing: TypingOptions;
  stagingDir: string;
  onProgress?: (phase: string, fraction: number, rows: number) => void;
}

export interface BatchResult {
  file: string;
  table: TableName;
  sha256: string;
  status: 'loaded' | 'skipped';
  rows_read: number;
  rows_loaded: number;
  rows_updated: number;
  rows_unchanged: number;
  rows_rejected: number;
  rejects: RejectRow[];
  extra_columns: string[];
  batch_id: number | null;
}

const TEMP = ['stg', 'retry_rows', 'vmap', ...MERGE_TEMP_TABLES, ...REJECT_TEMP_TABLES];

async function dropTemps(conn: DuckDBConnection) {
  for (const t of TEMP) await run(conn, `DROP TABLE IF EXISTS temp.${t}`);
}

/**
 * Loads one file as one batch in one transaction (contract.md "Load semantics"): all accepted rows and the
 * ledger entry, or nothing. A clean file seen before is skipped; a file whose last batch had rejects retries
 * only those rows.
 */
export async function loadFile(
  conn: DuckDBConnection,
  plan: FilePlan,
  ctx: LoadContext,
): Promise<BatchResult> {
  const { file, table } = plan;
  const base = {
    file: file.name,
    table,
    sha256: file.sha256,
    extra_columns: plan.header.extra,
  };
  const prev = await previousBatch(conn, file.sha256, table);
  if (prev && prev.rows_rejected === 0) {
    return {
      ...base,
      status: 'skipped',
      rows_read: 0,
      rows_loaded: 0,
      rows_updated: 0,
      rows_unchanged: 0,
      rows_rejected: 0,
      rejects: [],
      batch_id: prev.batch_id,
    };
  }
  const retryLines = prev ? await pendingRejectLines(conn, prev.batch_id) : undefined;

  await dropTemps(conn);
  const started = new Date();
  const staged = await stageFile(conn, file, 'stg', {
    stagingDir: ctx.stagingDir,
    onProgress: (rows, bytes, total) => ctx.onProgress?.('read', total > 0 ? bytes / total : 1, rows),
  });
  let considered = staged.rows;
  if (retryLines) {
    const rows: number[] = [];
    for (let r = 0; r < staged.rows; r++) if (retryLines.has(staged.lineOf(r))) rows.push(r);
    await run(conn, 'CREATE TEMP TABLE retry_rows AS SELECT unnest($r)::BIGINT AS __row', {
      r: rows.length ? rows : ([] as string[]),
    });
    considered = rows.length;
  }
  const malformed = staged.malformed.filter((m) => !retryLines || retryLines.has(m.line));
  const valueMaps = Object.entries(plan.mapping?.values ?? {}).flatMap(([col, m]) =>
    Object.entries(m).map(([src, dst]) => [col, src, dst]),
  );
  await run(
    conn,
    'CREATE TEMP TABLE vmap AS SELECT unnest($c) AS col, unnest($s) AS src, unnest($d) AS dst',
    {
      c: valueMaps.map((v) => v[0]!),
      s: valueMaps.map((v) => v[1]!),
      d: valueMaps.map((v) => v[2]!),
    },
  );

  ctx.onProgress?.('check', 1, staged.rows);
  const result = await transaction(conn, async () => {
    const [{ id }] = (await all<{ id: number }>(conn, "SELECT nextval('batch_seq')::INTEGER AS id")) as [
      { id: number },
    ];
    const tokens = [...EMPTY_TOKENS, ...(plan.mapping?.null_tokens ?? [])];
    const valueMapped = new Set(Object.keys(plan.mapping?.values ?? {}));
    // the cleaned text is a subquery, never a table: the rows are typed from it as they stream
    const cleaned = (p: Params) =>
      cleanSql(table, 'stg', plan.header, tokens, p, { valueMapped, retry: !!retryLines });
    // a bulk load writes without the table's case index, rebuilt after the load (src/db/case-indexes.ts)
    await dropIndexForBulkLoad(conn, table, staged.rows);
    const counts = await mergeStaged(conn, table, cleaned, ctx.typing, id);
    ctx.onProgress?.('write', 1, staged.rows);
    const rejected = await storeRejects(
      conn,
      table,
      keyColumn(table),
      cleaned,
      ctx.typing,
      id,
      staged.lineOf,
      malformed,
    );
    const summary = {
      rows_read: considered + malformed.length,
      rows_loaded: counts.inserted,
      rows_updated: counts.updated,
      rows_unchanged: counts.unchanged,
      rows_rejected: rejected,
    };
    await run(
      conn,
      `INSERT INTO batches VALUES ($id, $file, $sha, $table, $format, $enc, $map, $retry, $read, $loaded, $updated,
         $unchanged, $rejected, $extra, $user, $started::TIMESTAMPTZ::TIMESTAMP, now()::TIMESTAMP)`,
      {
        id,
        file: file.name,
        sha: file.sha256,
        table,
        format: file.format,
        enc: file.encoding,
        map: plan.mapping?.sha256 ?? null,
        retry: prev?.batch_id ?? null,
        read: summary.rows_read,
        loaded: summary.rows_loaded,
        updated: summary.rows_updated,
        unchanged: summary.rows_unchanged,
        rejected: summary.rows_rejected,
        extra: plan.header.extra,
        user: ctx.user,
        started: started.toISOString(),
      },
    );
    return { id, summary };
  });
  await dropTemps(conn);
  return {
    ...base,
    status: 'loaded',
    ...result.summary,
    rejects: await batchRejects(conn, result.id),
    batch_id: result.id,
  };
}
