// One measured run in its own process, so that peak RSS belongs to that run alone.
// Usage: tsx bench/ingest-child.ts zhenjian|raw DBPATH FILE...
import { readdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { ingestFiles } from '../ingest/index.ts';
import { initDatabase } from '../src/db/init.ts';
import { INGEST_MEMORY_LIMIT, openDatabase } from '../src/db/open.ts';
import { one } from '../src/db/sql.ts';

const [mode, dbPath, ...files] = process.argv.slice(2);
for (const f of readdirSync(dirname(dbPath!)))
  if (f.startsWith('bench.duckdb')) rmSync(`${dirname(dbPath!)}/${f}`, { force: true });
// a 5M-case file set needs more than the default buffer (bench/run.ts passes 2GB for --scale 5m)
const db = await openDatabase(dbPath!, {
  memoryLimit: process.env.ZJ_BENCH_INGEST_MEMORY ?? INGEST_MEMORY_LIMIT,
});
let rows = 0;
let seconds = 0;
let marts: number | null = null;
if (mode === 'raw') {
  const t0 = performance.now();
  for (const [i, f] of files.entries()) {
    await db.conn.run(`CREATE TABLE raw_${i} AS SELECT * FROM read_csv($f)`, { f: f! });
    rows += (await one<{ n: number }>(db.conn, `SELECT count(*)::INTEGER AS n FROM raw_${i}`))!.n;
  }
  seconds = (performance.now() - t0) / 1000;
} else {
  await initDatabase(db);
  const t0 = performance.now();
  const r = await ingestFiles(db, files, { user: 'bench', today: '2026-11-27' });
  // the marts' rebuild and the case indexes end every ingest; the issue times them apart from the load
  marts = (r.marts?.seconds ?? 0) + (r.indexes?.seconds ?? 0);
  if (r.indexes?.failed) throw new Error(`case index not built: ${r.indexes.failed.reason}`);
  seconds = (performance.now() - t0) / 1000 - marts;
  rows = r.batches.reduce((s, b) => s + b.rows_read, 0);
  const rejected = r.batches.reduce((s, b) => s + b.rows_rejected, 0);
  if (rejected > 0) throw new Error(`benchmark data had ${rejected} rejected rows`);
}
db.close();
process.stdout.write(
  JSON.stringify({
    rows,
    seconds,
    marts_seconds: marts,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);
