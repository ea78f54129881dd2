import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { generate } from '../../../fixtures/generator/index.ts';
import { ingestFiles } from '../../../ingest/index.ts';
import { initDatabase } from '../../db/init.ts';
import { databasePath, openDatabase } from '../../db/open.ts';
import { one } from '../../db/sql.ts';
import { importAppRecords } from '../../records/store.ts';
import { parse, todayInBeijing } from '../args.ts';
import { findServer } from '../control.ts';
import type { Output } from '../output.ts';
import { ProgressBar } from '../progress.ts';
import { serveOptions, serveUntilSignal } from './serve.ts';

export const startHelp = `zhenjian start [--db PATH] [--demo-cases 50000] [--port 3000] [--host 127.0.0.1] [--memory-limit 768MB] [--no-serve]
  npm start 运行的主任务：初始化数据库；数据库为空时生成并导入演示数据（约 5 万个案件）；然后启动服务（同 zhenjian serve）。
  --no-serve 只准备数据、不启动服务。`;

const DEMO = { seed: 1, from: '2022-01-01', to: '2025-12-31' };

export async function startCommand(args: string[], out: Output): Promise<number> {
  const { values } = parse('start', args, {
    'demo-cases': { type: 'string' },
    'no-serve': { type: 'boolean', default: false },
    port: { type: 'string' },
    host: { type: 'string' },
    'memory-limit': { type: 'string' },
  });
  if (values.help) return (out.say(startHelp), 0);
  const where = serveOptions(values);
  const dbPath = databasePath(values.db);
  const running = await findServer(dbPath);
  if (running) {
    out.say(`服务已在运行（PID ${running.info.pid}）：http://127.0.0.1:${running.info.port}`);
    return 0;
  }
  const code = await prepare(dbPath, values['demo-cases'], !values['no-serve'], out);
  if (code !== 0 || values['no-serve']) return code;
  return serveUntilSignal(dbPath, where, out);
}

/** The database ready to use: created, migrated, and holding the demo data when it had no cases. */
async function prepare(
  dbPath: string,
  demoCases: string | undefined,
  serving: boolean,
  out: Output,
): Promise<number> {
  const started = Date.now();
  const db = await openDatabase(dbPath);
  const bar = new ProgressBar();
  try {
    await initDatabase(db);
    const existing = await one<{ n: number }>(db.conn, 'SELECT count(*) AS n FROM cases');
    if (existing?.n === 0) {
      const dir = join(dirname(db.path), 'demo');
      const cases = Number(demoCases ?? 50000);
      if (!existsSync(join(dir, 'manifest.json'))) {
        out.say(`数据库为空：正在生成演示数据（${cases} 个案件，${DEMO.from} 至 ${DEMO.to}）……`);
        await generate({ out: dir, cases, ...DEMO, onProgress: (d, t) => bar.update('生成', d / t, d) });
        bar.done();
      }
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('.csv'))
        .map((f) => join(dir, f));
      out.say('正在导入演示数据……');
      const result = await ingestFiles(db, files, {
        user: `cli:${userInfo().username}`,
        today: todayInBeijing(),
        onProgress: (file, _phase, fraction, rows) => bar.update(file, fraction, rows),
      });
      bar.done();
      // review campaigns, inspections and meetings go in through the same code the API writes them with
      const records = await importAppRecords(
        db.conn,
        JSON.parse(readFileSync(join(dir, 'app-records.json'), 'utf8')),
      );
      const rows = result.batches.reduce((s, b) => s + b.rows_loaded, 0);
      out.say(
        `已导入 ${rows} 行（${result.batches.length} 个文件），数据截止日期 ${result.data_as_of.date}。`,
      );
      out.say(
        `系统记录：评查活动 ${records.review_campaigns}，评查结果 ${records.reviews}，专项检查 ${records.inspection_campaigns}，联席会议 ${records.meetings}。`,
      );
    }
    const counts = await one<{ cases: number; suspects: number; decisions: number; supervision: number }>(
      db.conn,
      `SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM suspects) AS suspects,
              (SELECT count(*) FROM decisions) AS decisions, (SELECT count(*) FROM supervision) AS supervision`,
    );
    out.say(
      `数据库 ${db.path}：案件 ${counts!.cases}，犯罪嫌疑人 ${counts!.suspects}，审查决定 ${counts!.decisions}，监督记录 ${counts!.supervision}。` +
        `（用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒）`,
    );
    if (!serving)
      out.say('下一步：zhenjian serve 启动 Web 界面与 API；zhenjian ingest 导入本单位的导出文件。');
    return 0;
  } finally {
    bar.done();
    db.close();
  }
}
