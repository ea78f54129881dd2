// The server under benchmark, in its own process (so the load generator does not share its event loop): the real
// startServer on a given database, with the web app mounted, printing its URL as one JSON line on stdout. Rate limits
// are raised: the benchmark measures queries, transport and audit, not the limiter (tested in test/server).
import { existsSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { addUser, findUser } from '../src/server/auth/users.ts';
import { startServer } from '../src/server/start.ts';
import { memoryLog } from '../src/server/server-log.ts';

const [dbPath, password] = process.argv.slice(2);
if (!dbPath || !password) throw new Error('usage: api-server.ts DB PASSWORD');
const handlerPath = new URL('../build/handler.js', import.meta.url);
const pages = existsSync(handlerPath)
  ? ((await import(handlerPath.href)) as { handler: RequestHandler }).handler
  : undefined;
const server = await startServer({
  dbPath,
  port: 0,
  log: memoryLog(),
  pages,
  controlChannel: false,
  config: { loginsPerMinute: 1_000_000, caseReadsPerMinute: 1_000_000 },
});
await server.ctx.pool.use(async (conn) => {
  if (!(await findUser(conn, 'bench-city')))
    await addUser(conn, { username: 'bench-city', role: 'city', agency: '检察', password });
});
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
