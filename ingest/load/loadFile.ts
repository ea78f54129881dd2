import type { DuckDBConnection } from '@duckdb/node-api';
import { all, run, transaction } from '../../src/db/sql.ts';
import type { HeaderPlan } from '../contract/header.ts';
import { keyColumn, type TableName } from '../contract/tables.ts';
import { batchRejects, pendingRejectLines, previousBatch, type RejectRow } from '../ledger.ts';
import type { Mapping } from '../mapping.ts';
import { stageFile, type InspectedFile } from '../read/index.ts';
import { EMPTY_TOKENS } from '../validate/macros.ts';
import { MSG } from '../validate/messages.ts';
import { Params } from '../validate/params.ts';
import { rejectValuesSql, typedSql, type TypingOptions } from '../validate/typedSql.ts';
import { cleanSql } from './cleanSql.ts';
import {
  actionSql,
  deleteUpdatedSql,
  deriveMinorSql,
  duplicateCheckSql,
  insertSql,
  rankSql,
  referenceErrorsSql,
} from './mergeSql.ts';
import { otherChargesSql } from './otherChargesSql.ts';

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
  onProgress?: (phase: string, done: number, total: number) => void;
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

const TEMP = ['stg', 'retry_rows', 'vmap', 'oc', 'typ', 'ranked', 'ref_errors', 'incoming', 'rej', 'rowline'];

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
    onProgress: (_rows, bytes, total) => ctx.onProgress?.('read', bytes, total),
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

  ctx.onProgress?.('check', 0, 1);
  const result = await transaction(conn, async () => {
    const [{ id }] = (await all<{ id: number }>(conn, "SELECT nextval('batch_seq')::INTEGER AS id")) as [
      { id: number },
    ];
    const tokens = [...EMPTY_TOKENS, ...(plan.mapping?.null_tokens ?? [])];
    const valueMapped = new Set(Object.keys(plan.mapping?.values ?? {}));
    // the cleaned text is a subquery, not a table: it is read once to type the rows, again only for rejected rows
    const cleaned = (p: Params) =>
      cleanSql(table, 'stg', plan.header, tokens, p, { valueMapped, retry: !!retryLines });
    let p = new Params();
    if (table === 'cases')
      await run(conn, `CREATE TEMP TABLE oc AS ${otherChargesSql(cleaned(p))}`, p.values);
    p = new Params();
    await run(conn, `CREATE TEMP TABLE typ AS ${typedSql(table, cleaned(p), p, ctx.typing)}`, p.values);
    if (table === 'suspects') await run(conn, deriveMinorSql());
    const [{ dup }] = (await all<{ dup: boolean }>(conn, duplicateCheckSql(table))) as [{ dup: boolean }];
    await run(conn, `CREATE TEMP TABLE ranked AS ${rankSql(table, dup)}`);
    p = new Params();
    await run(conn, `CREATE TEMP TABLE ref_errors AS ${referenceErrorsSql(table, p)}`, p.values);
    await run(conn, `CREATE TEMP TABLE incoming AS ${actionSql(table)}`);

    ctx.onProgress?.('write', 0, 1);
    await run(conn, deleteUpdatedSql(table));
    await run(conn, insertSql(table, '$b'), { b: id });

    const key = keyColumn(table);
    p = new Params();
    await run(
      conn,
      `CREATE TEMP TABLE rej AS
       SELECT __row, e.column AS column_name, e.reason AS reason, NULL::BIGINT AS keeper
         FROM (SELECT __row, unnest(__errors) AS e FROM typ WHERE len(__errors) > 0)
       UNION ALL
       SELECT __row, ${p.add(key)}, ${p.add(MSG.duplicate)}, __keeper FROM ranked WHERE __rank > 1 AND NOT __same
       UNION ALL
       SELECT __row, column_name, reason, NULL FROM ref_errors`,
      p.values,
    );
    // Lines come from the reader's row → line map; only the rows that need one are looked up.
    const needed = await all<{ r: number }>(
      conn,
      'SELECT DISTINCT __row AS r FROM rej UNION SELECT DISTINCT keeper FROM rej WHERE keeper IS NOT NULL',
    );
    if (needed.length > 0) {
      const rows = needed.map((x) => x.r);
      await run(
        conn,
        'CREATE TEMP TABLE rowline AS SELECT unnest($r)::BIGINT AS __row, unnest($l)::BIGINT AS line',
        {
          r: rows,
          l: rows.map((r) => staged.lineOf(r)),
        },
      );
      p = new Params();
      const source = cleaned(p);
      await run(
        conn,
        `INSERT INTO rejects
         SELECT $b, rl.line, rej.column_name,
                CASE WHEN rej.keeper IS NULL THEN rej.reason ELSE rej.reason || kl.line || ${p.add(MSG.duplicateTail)} END,
                v.row_values
         FROM rej JOIN rowline rl ON rl.__row = rej.__row
         LEFT JOIN rowline kl ON kl.__row = rej.keeper
         JOIN (SELECT c.__row, ${rejectValuesSql(table, p, ctx.typing, 'c')} AS row_values
               FROM (${source}) c WHERE c.__row IN (SELECT __row FROM rej)) v ON v.__row = rej.__row`,
        { ...p.values, b: id },
      );
    }
    if (malformed.length > 0) {
      await run(conn, 'INSERT INTO rejects SELECT $b, unnest($l), NULL, unnest($r), NULL', {
        b: id,
        l: malformed.map((m) => m.line),
        r: malformed.map((m) => m.reason),
      });
    }

    const [counts] = (await all<{
      inserted: number;
      updated: number;
      unchanged: number;
      same_dups: number;
      rejected: number;
    }>(
      conn,
      `SELECT
        (SELECT count(*) FROM incoming WHERE __action = 'insert') AS inserted,
        (SELECT count(*) FROM incoming WHERE __action = 'update') AS updated,
        (SELECT count(*) FROM incoming WHERE __action = 'unchanged') AS unchanged,
        (SELECT count(*) FROM ranked WHERE __rank > 1 AND __same) AS same_dups,
        (SELECT count(DISTINCT __row) FROM rej) AS rejected`,
    )) as [{ inserted: number; updated: number; unchanged: number; same_dups: number; rejected: number }];
    const summary = {
      rows_read: considered + malformed.length,
      rows_loaded: counts.inserted,
      rows_updated: counts.updated,
      rows_unchanged: counts.unchanged + counts.same_dups,
      rows_rejected: counts.rejected + malformed.length,
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
