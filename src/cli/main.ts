import { readFileSync } from 'node:fs';
import { UserError } from '../db/errors.ts';
import { calendarCommand, calendarHelp } from './commands/calendar.ts';
import { generateCommand, generateHelp } from './commands/generate.ts';
import { ingestCommand, ingestHelp } from './commands/ingest.ts';
import { initCommand, initHelp } from './commands/init.ts';
import { queryCommand, queryHelp } from './commands/query.ts';
import { startCommand, startHelp } from './commands/start.ts';
import { serveCommand, serveHelp } from './commands/serve.ts';
import { backupCommand, backupHelp } from './commands/backup.ts';
import { briefingCommand, briefingHelp } from './commands/briefing.ts';
import { restoreCommand, restoreHelp } from './commands/restore.ts';
import { usersCommand, usersHelp } from './commands/users.ts';
import { auditCommand, auditHelp } from './commands/audit.ts';
import { createOutput, type Output } from './output.ts';

type Command = (args: string[], out: Output) => Promise<number>;
const COMMANDS: Record<string, { run: Command; help: string }> = {
  init: { run: initCommand, help: initHelp },
  generate: { run: generateCommand, help: generateHelp },
  ingest: { run: ingestCommand, help: ingestHelp },
  query: { run: queryCommand, help: queryHelp },
  calendar: { run: calendarCommand, help: calendarHelp },
  start: { run: startCommand, help: startHelp },
  serve: { run: serveCommand, help: serveHelp },
  briefing: { run: briefingCommand, help: briefingHelp },
  backup: { run: backupCommand, help: backupHelp },
  restore: { run: restoreCommand, help: restoreHelp },
  users: { run: usersCommand, help: usersHelp },
  audit: { run: auditCommand, help: auditHelp },
};

export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const USAGE = `zhenjian ${VERSION} — 侦查监督与协作配合 数据分析平台

用法：zhenjian <命令> [选项]   （每个命令都接受 --db PATH 和 --json）

${Object.values(COMMANDS)
  .map((c) => c.help)
  .join('\n\n')}`;

/** Runs one CLI command and returns its exit code (spec/cli.md: 0 done, 1 problem found, 2 bad input, 3 other). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const out = createOutput(rest.includes('--json'));
  if (!name || name === '--help' || name === '-h' || name === 'help') return (out.say(USAGE), 0);
  if (name === '--version') return (out.say(VERSION), 0);
  const command = COMMANDS[name];
  if (!command) {
    out.error(
      `未知命令「${name}」。可用命令：${Object.keys(COMMANDS).join('、')}。运行 zhenjian --help 查看用法。`,
    );
    out.error(`Unknown command ${name}.`);
    return 2;
  }
  try {
    return await command.run(rest, out);
  } catch (e) {
    if (e instanceof UserError) {
      out.error(e.zh);
      out.error(e.en);
      if (out.json) out.result({ error: { code: e.exitCode, message: e.zh } });
      return e.exitCode;
    }
    out.error(
      `内部错误：${(e as Error).message}。写入数据库的操作都在事务中完成，不会留下写了一半的数据；请将此消息报告给维护者。`,
    );
    out.error((e as Error).stack ?? '');
    return 3;
  }
}
