import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, rename, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { UserError } from '../../db/errors.ts';
import { databasePath } from '../../db/open.ts';
import { secretPath } from '../../db/secret.ts';
import { one } from '../../db/sql.ts';
import { AuditLog, auditPath } from '../../server/audit/log.ts';
import { controlFilePath } from '../../server/control/file.ts';
import { parse } from '../args.ts';
import { findServer } from '../control.ts';
import type { Output } from '../output.ts';
import { backupKeyPath, databaseDigest, fileSha256, manifestPath, type BackupManifest } from './backup.ts';

export const restoreHelp = `zhenjian restore FILE [--db PATH] [--json]
  从 zhenjian backup 的备份恢复数据库和身份证号哈希密钥：先核对备份文件与密钥的哈希，恢复后再核对各表行数与内容哈希，
  不一致则不替换现有数据库（退出码 3）。服务运行时拒绝执行。原数据库改名保留为 *.before-restore-时间。审计日志不回滚，恢复本身记入审计日志。`;

function failedCheck(what: string): UserError {
  return new UserError(
    `恢复校验失败：${what}。现有数据库未被改动；请换用另一份备份，或检查备份文件是否完整。`,
    `Restore check failed: ${what}. The database was not changed.`,
    3,
  );
}

function readManifest(file: string): BackupManifest {
  const path = manifestPath(file);
  if (!existsSync(file) || !existsSync(path) || !existsSync(backupKeyPath(file)))
    throw new UserError(
      `备份不完整：需要 ${basename(file)}、${basename(backupKeyPath(file))} 和 ${basename(path)} 三个文件在同一目录。`,
      `Incomplete backup set: ${file}, its .key and .manifest.json are needed.`,
      2,
    );
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
    if (m.format !== 1 || typeof m.content_sha256 !== 'string') throw new Error('format');
    return m;
  } catch {
    throw new UserError(`校验清单 ${path} 无法读取或格式不对。`, `Unreadable manifest ${path}.`, 2);
  }
}

/** The digest of a database file opened on its own (the restored copy, before it replaces anything). */
async function digestFile(path: string) {
  const instance = await DuckDBInstance.create(path, { threads: '2', access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    try {
      const name = (await one<{ d: string }>(conn, 'SELECT current_database() AS d'))!.d;
      return await databaseDigest(conn, name);
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export async function restoreCommand(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse('restore', args, {});
  if (values.help) return (out.say(restoreHelp), 0);
  const file = positionals[0] ? resolve(positionals[0]) : undefined;
  if (!file) throw new UserError('用法：zhenjian restore 备份文件', 'Usage: zhenjian restore FILE', 2);
  const dbPath = databasePath(values.db);
  // a stale control file is reported by findServer itself (exit 3)
  if (await findServer(dbPath))
    throw new UserError(
      `服务正在运行并持有数据库（${controlFilePath(dbPath)}）：恢复会替换整个数据库，请先停止 zhenjian serve 再恢复。`,
      'A server holds the database: stop zhenjian serve before restoring.',
      3,
    );
  const manifest = readManifest(file);
  const audit = await AuditLog.open(auditPath(dbPath));
  const user = `cli:${userInfo().username}`;
  const tmp = `${dbPath}.restore-${process.pid}.tmp`;
  try {
    if ((await fileSha256(file)) !== manifest.file_sha256) throw failedCheck('备份文件的哈希与校验清单不符');
    if ((await fileSha256(backupKeyPath(file))) !== manifest.key_sha256)
      throw failedCheck('密钥文件的哈希与校验清单不符');
    await copyFile(file, tmp);
    const got = await digestFile(tmp);
    if (got.content_sha256 !== manifest.content_sha256) {
      const differs = Object.keys({ ...manifest.tables, ...got.tables }).filter(
        (t) =>
          got.tables[t]?.rows !== manifest.tables[t]?.rows || got.tables[t]?.sum !== manifest.tables[t]?.sum,
      );
      throw failedCheck(`恢复后的内容与校验清单不符（${differs.join('、') || '表清单不同'}）`);
    }
    // the database and its key are replaced together; what was there is kept beside them, not deleted
    const previous = existsSync(dbPath) ? `${dbPath}.before-restore-${stamp()}` : undefined;
    if (previous) {
      await rename(dbPath, previous);
      if (existsSync(`${dbPath}.wal`)) await rename(`${dbPath}.wal`, `${previous}.wal`);
      if (existsSync(secretPath(dbPath))) await rename(secretPath(dbPath), `${previous}.key`);
    }
    await rename(tmp, dbPath);
    await copyFile(backupKeyPath(file), secretPath(dbPath));
    await chmod(secretPath(dbPath), 0o600);
    const rows = Object.values(got.tables).reduce((s, t) => s + t.rows, 0);
    await audit.write({
      event: 'restore',
      outcome: 'ok',
      user,
      rows,
      detail: `从 ${basename(file)} 恢复（备份于 ${manifest.created_at}，内容哈希 ${manifest.content_sha256}）`,
    });
    out.result({
      database: dbPath,
      from: file,
      previous: previous ?? null,
      tables: got.tables,
      content_sha256: got.content_sha256,
    });
    out.say(
      `已从 ${file} 恢复 ${dbPath}：${Object.keys(got.tables).length} 张表，共 ${rows} 行；行数与内容哈希均与校验清单一致。`,
    );
    if (previous) out.say(`原数据库已改名保留为 ${previous}（及其 .key）；确认无误后可自行删除。`);
    out.say('审计日志未回滚，本次恢复已记入审计日志。');
    return 0;
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    await rm(`${tmp}.wal`, { force: true }).catch(() => undefined);
    await audit.write({
      event: 'restore',
      outcome: 'failed',
      user,
      detail: `从 ${basename(file)} 恢复失败：${e instanceof UserError ? e.zh : String(e)}`.slice(0, 400),
    });
    throw e;
  } finally {
    await audit.close();
  }
}
