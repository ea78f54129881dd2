import { initDatabase } from '../../db/init.ts';
import { databasePath, openDatabase, type Database } from '../../db/open.ts';
import { secretPath } from '../../db/secret.ts';
import { parse } from '../args.ts';
import { callServer, findServer } from '../control.ts';
import type { Output } from '../output.ts';

export const initHelp = `zhenjian init [--db PATH] [--json]
  创建或升级数据库，并载入参考数据（北京市 16 个区、483 个现行罪名及历史罪名、2019–2026 年节假日与调休）。可重复运行。`;

export async function initCommand(args: string[], out: Output): Promise<number> {
  const { values } = parse('init', args, {});
  if (values.help) return (out.say(initHelp), 0);
  const dbPath = databasePath(values.db);
  const server = await findServer(dbPath);
  if (server) return (await callServer(server, 'init', () => ({}), out)).exitCode;
  const db = await openDatabase(dbPath);
  try {
    return await initWith(db, out);
  } finally {
    db.close();
  }
}

/** Creates or migrates `db` and reports it (also run by the server for a CLI call through the control channel). */
export async function initWith(db: Database, out: Output): Promise<number> {
  const r = await initDatabase(db);
  out.result(r);
  out.say(
    `数据库已就绪：${r.database}（结构版本 ${r.schema_version}${r.migrations_applied.length ? `，本次升级 ${r.migrations_applied.join(', ')}` : ''}）`,
  );
  out.say(
    `参考数据：${r.reference.districts} 个区，${r.reference.charges} 个现行罪名，${r.reference.historical_charges} 个历史罪名，` +
      `${r.reference.holidays} 个节假日/调休日（${r.reference.calendar_years[0]}–${r.reference.calendar_years.at(-1)} 年）`,
  );
  if (r.case_indexes.failed)
    out.say(
      `案件索引 ${r.case_indexes.failed.name} 未能建立（内存不足）：查询结果不受影响，单个案件的查询会较慢；下次启动时会再试。`,
    );
  if (r.secret_created)
    out.say(`已创建身份证号哈希密钥 ${secretPath(r.database)}（权限 0600）：请与数据库一同备份。`);
  return 0;
}
