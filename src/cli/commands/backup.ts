import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserError } from '../../db/errors.ts';
import { schemaVersion } from '../../db/migrate.ts';
import { databasePath, openDatabase, type Database } from '../../db/open.ts';
import { secretPath } from '../../db/secret.ts';
import { all, one } from '../../db/sql.ts';
import { AuditLog, auditPath } from '../../server/audit/log.ts';
import { parse } from '../args.ts';
import { callServer, findServer } from '../control.ts';
import type { Output } from '../output.ts';

export const backupHelp = `zhenjian backup --out FILE [--db PATH] [--json]
  一致性备份：FILE（数据库副本）、FILE.key（身份证号哈希密钥）、FILE.manifest.json（各表行数与内容哈希）。
  服务运行时经本机控制通道由服务完成。审计日志在数据库之外，不在备份中，请另行归档。`;

export interface TableDigest {
  rows: number;
  /** the sum of a per-row MD5 prefix: independent of row order, changed by any edited, added or lost row */
  sum: string;
}

export interface BackupManifest {
  format: 1;
  created_at: string;
  duckdb_version: string;
  schema_version: number;
  source: string;
  tables: Record<string, TableDigest>;
  /** SHA-256 over the sorted table digests: the restored database must give the same */
  content_sha256: string;
  /** SHA-256 of the backup file's bytes: checked before anything is restored */
  file_sha256: string;
  key_sha256: string;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Row count and an order-independent hash of every table of an attached database. Names come from DuckDB's own
 * catalog (not from input), quoted as identifiers; nothing user-supplied is spliced into the SQL.
 */
export async function databaseDigest(
  conn: DuckDBConnection,
  database: string,
): Promise<{ tables: Record<string, TableDigest>; content_sha256: string }> {
  const list = await all<{ schema_name: string; table_name: string }>(
    conn,
    `SELECT schema_name, table_name FROM duckdb_tables()
      WHERE database_name = $db AND NOT temporary ORDER BY schema_name, table_name`,
    { db: database },
  );
  const tables: Record<string, TableDigest> = {};
  for (const t of list) {
    const d = await one<{ n: number; s: string }>(
      conn,
      `SELECT count(*) AS n, coalesce(sum(md5_number_upper(zj_row::VARCHAR)), 0)::VARCHAR AS s
         FROM ${quote(database)}.${quote(t.schema_name)}.${quote(t.table_name)} AS zj_row`,
    );
    tables[`${t.schema_name}.${t.table_name}`] = { rows: d!.n, sum: d!.s };
  }
  const text = Object.entries(tables)
    .map(([name, d]) => `${name}\t${d.rows}\t${d.sum}\n`)
    .join('');
  return { tables, content_sha256: createHash('sha256').update(text).digest('hex') };
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** rename, or copy and remove when the target is on another file system */
async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}

export const manifestPath = (file: string) => `${file}.manifest.json`;
export const backupKeyPath = (file: string) => `${file}.key`;

/**
 * Writes a consistent copy of `db` to `outFile` (with its key and manifest): ATTACH a new file in the staging
 * folder (inside DuckDB's allowed directories when the server runs), COPY FROM DATABASE inside one transaction —
 * one snapshot, however many writers run meanwhile — digest source and copy, and move the set into place only
 * when the two agree.
 */
export async function writeBackup(
  db: Database,
  outFile: string,
  stagingDir: string,
): Promise<BackupManifest> {
  const out = resolve(outFile);
  for (const p of [out, backupKeyPath(out), manifestPath(out)])
    if (existsSync(p))
      throw new UserError(
        `备份文件 ${p} 已存在：请换一个文件名，或先移走旧的备份。`,
        `${p} already exists.`,
        2,
      );
  if (!existsSync(dirname(out)))
    throw new UserError(`备份目录 ${dirname(out)} 不存在。`, `${dirname(out)} does not exist.`, 2);
  const keyFile = secretPath(db.path);
  if (!existsSync(keyFile))
    throw new UserError(
      `缺少身份证号哈希密钥 ${keyFile}：没有它，备份中的身份证号哈希无法与新导入的数据对应。请先从旧备份恢复该文件。`,
      `Missing key file ${keyFile}.`,
      3,
    );
  const work = join(resolve(stagingDir), `backup-${randomUUID()}`);
  await mkdir(work, { recursive: true, mode: 0o700 });
  const copy = join(work, 'backup.duckdb');
  // ATTACH takes no parameters; the path is ours (a UUID under the staging folder), checked before it is quoted
  if (/['\0]/.test(copy)) throw new Error(`unsafe backup path ${copy}`);
  const alias = `zj_backup_${randomUUID().replace(/-/g, '')}`;
  const conn = db.conn;
  try {
    const source = (await one<{ d: string }>(conn, 'SELECT current_database() AS d'))!.d;
    await conn.run(`ATTACH '${copy}' AS ${alias}`);
    let before;
    try {
      await conn.run('BEGIN TRANSACTION');
      try {
        await conn.run(`COPY FROM DATABASE ${quote(source)} TO ${alias}`);
        before = await databaseDigest(conn, source);
        await conn.run('COMMIT');
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
      const after = await databaseDigest(conn, alias);
      if (after.content_sha256 !== before.content_sha256)
        throw new UserError(
          '备份校验失败：副本的行数或内容哈希与数据库不一致，未生成备份。请检查磁盘后重试。',
          'Backup check failed: the copy differs from the database.',
          3,
        );
    } finally {
      await conn.run(`DETACH ${alias}`).catch(() => undefined);
    }
    if (existsSync(`${copy}.wal`)) throw new Error('backup copy left a WAL after DETACH');
    const version = (await one<{ v: string }>(conn, 'SELECT version() AS v'))!.v;
    const schema = await schemaVersion(conn);
    const manifest: BackupManifest = {
      format: 1,
      created_at: new Date().toISOString(),
      duckdb_version: version,
      schema_version: schema,
      source: db.path,
      tables: before.tables,
      content_sha256: before.content_sha256,
      file_sha256: await fileSha256(copy),
      key_sha256: await fileSha256(keyFile),
    };
    await copyFile(keyFile, join(work, 'backup.key'));
    await chmod(join(work, 'backup.key'), 0o600);
    await writeFile(join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    await chmod(copy, 0o600);
    await move(join(work, 'backup.key'), backupKeyPath(out));
    await move(join(work, 'manifest.json'), manifestPath(out));
    await move(copy, out);
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Backup and its report, on an open database (the server runs this for a CLI call through the control channel). */
export async function backupWith(
  db: Database,
  outFile: string,
  out: Output,
  opts: { stagingDir: string },
): Promise<number> {
  const m = await writeBackup(db, outFile, opts.stagingDir);
  const rows = Object.values(m.tables).reduce((s, t) => s + t.rows, 0);
  const file = resolve(outFile);
  out.result({ file, key: backupKeyPath(file), manifest: manifestPath(file), ...m });
  out.say(
    `已备份到 ${file}：${Object.keys(m.tables).length} 张表，共 ${rows} 行，内容哈希 ${m.content_sha256.slice(0, 16)}…`,
  );
  out.say(
    `同时写入 ${basename(backupKeyPath(file))}（身份证号哈希密钥，权限 0600，请与备份一同妥善保管）和 ${basename(manifestPath(file))}（校验清单）。`,
  );
  out.say('审计日志不在备份中（恢复时也不会回滚），请按制度另行归档。');
  return 0;
}

export async function backupCommand(args: string[], out: Output): Promise<number> {
  const { values } = parse('backup', args, { out: { type: 'string' } });
  if (values.help) return (out.say(backupHelp), 0);
  if (!values.out)
    throw new UserError('用法：zhenjian backup --out 备份文件', 'Usage: zhenjian backup --out FILE', 2);
  const target = resolve(values.out);
  const dbPath = databasePath(values.db);
  const server = await findServer(dbPath);
  if (server) return (await callServer(server, 'backup', () => ({ out: target }), out)).exitCode;
  const db = await openDatabase(dbPath);
  let code: number | undefined;
  try {
    code = await backupWith(db, target, out, { stagingDir: join(dirname(db.path), '.staging') });
    return code;
  } finally {
    db.close();
    // the server audits the calls it runs; a direct backup is audited here, into the same trail
    const audit = await AuditLog.open(auditPath(dbPath));
    await audit.write({
      event: 'backup',
      outcome: code === 0 ? 'ok' : 'failed',
      user: `cli:${userInfo().username}`,
      detail: `备份到 ${basename(target)}`,
    });
    await audit.close();
  }
}
