import { basename } from 'node:path';
import { importCalendar, readCalendarFile, type CalendarDay } from '../../db/calendarImport.ts';
import { UserError } from '../../db/errors.ts';
import { databasePath, openDatabase, type Database } from '../../db/open.ts';
import { parse } from '../args.ts';
import { callServer, findServer } from '../control.ts';
import type { Output } from '../output.ts';

export const calendarHelp = `zhenjian calendar import FILE [--db PATH] [--json]
  增补或更正国务院节假日安排（JSON 数组或 CSV：date,kind[,name]；kind 为「休」或「班」）。覆盖年份以外只按周末计算期限。`;

export async function calendarCommand(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse('calendar', args, {});
  if (values.help) return (out.say(calendarHelp), 0);
  const [sub, file] = positionals;
  if (sub !== 'import' || !file)
    throw new UserError('用法：zhenjian calendar import FILE', 'Usage: zhenjian calendar import FILE', 2);
  const days = readCalendarFile(file);
  const dbPath = databasePath(values.db);
  const source = `import:${basename(file)}`;
  const server = await findServer(dbPath);
  if (server) return (await callServer(server, 'calendar-import', () => ({ days, source }), out)).exitCode;
  const db = await openDatabase(dbPath);
  try {
    return await calendarImportWith(db, days, source, out);
  } finally {
    db.close();
  }
}

/** Imports days already read from the file (the server runs this for a CLI call through the control channel). */
export async function calendarImportWith(
  db: Database,
  days: CalendarDay[],
  source: string,
  out: Output,
): Promise<number> {
  const r = await importCalendar(db.conn, days, source);
  out.result(r);
  out.say(`已导入 ${r.days} 个日期（${r.years.join('、')} 年），期限计算已更新。`);
  return 0;
}
