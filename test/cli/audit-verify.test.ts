import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/cli/commands/audit.ts';
import { createOutput } from '../../src/cli/output.ts';
import { UserError } from '../../src/db/errors.ts';
import { AuditLog, auditPath } from '../../src/server/audit/log.ts';
import { tempDir } from '../helpers/db.ts';

// The real executable once per exit code; the other cases run the same command function in this process (each
// start of the executable costs seconds here).
function zhenjian(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/zhenjian.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function verify(args: string[]) {
  let stdout = '';
  let stderr = '';
  type Sink = Parameters<typeof createOutput>[1];
  const sink = (add: (t: string) => void) => ({ write: (t: string) => (add(t), true) }) as unknown as Sink;
  const out = createOutput(
    args.includes('--json'),
    sink((t) => (stdout += t)),
    sink((t) => (stderr += t)) as Parameters<typeof createOutput>[2],
  );
  try {
    return { code: await auditCommand(['verify', ...args], out), stdout, stderr };
  } catch (e) {
    if (e instanceof UserError) return { code: e.exitCode, stdout, stderr: stderr + e.zh };
    throw e;
  }
}

/** A trail of n records for a database path that need not exist: verify reads the trail file only. */
async function trail(dbPath: string, n: number, who = 'city1'): Promise<string[]> {
  const log = await AuditLog.open(auditPath(dbPath));
  for (let i = 1; i <= n; i++)
    await log.write({ event: 'case_detail', outcome: 'ok', user: who, case_ids: [`A${i}`] });
  await log.close();
  return readFileSync(auditPath(dbPath), 'utf8').trim().split('\n');
}

describe('zhenjian audit verify', () => {
  it('exit 0 with the record count and head; exit 1 naming the line of an edited or a deleted record', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = join(dir, 'z.duckdb');
      const lines = await trail(db, 5);
      const head = (JSON.parse(lines[4]!) as { hash: string }).hash;

      const ok = zhenjian(['audit', 'verify', '--db', db, '--export-head']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toBe(`审计记录完好：5 条，链头哈希 ${head}。\n5:${head}\n`);
      const okJson = JSON.parse((await verify(['--db', db, '--json'])).stdout);
      expect(okJson).toMatchObject({ ok: true, records: 5, head: `5:${head}` });

      // one character of record 3 changed (A3 → A8) in a copy: its hash no longer matches, line 3
      const edited = join(dir, 'edited.duckdb');
      writeFileSync(
        auditPath(edited),
        `${lines.map((l, i) => (i === 2 ? l.replace('"A3"', '"A8"') : l)).join('\n')}\n`,
      );
      const e = await verify(['--db', edited, '--json']);
      expect(e.code).toBe(1);
      expect(JSON.parse(e.stdout)).toMatchObject({
        ok: false,
        records_verified: 2,
        broken: { line: 3, seq: 3, reason: '记录内容与其哈希不符（记录被修改）' },
      });
      expect(e.stderr).toContain('哈希链在第 3 行断开（记录序号 3）');

      // record 2 deleted: line 2 now holds record 3, whose prev is record 2's hash
      const deleted = join(dir, 'deleted.duckdb');
      writeFileSync(auditPath(deleted), `${lines.filter((_, i) => i !== 1).join('\n')}\n`);
      const d = zhenjian(['audit', 'verify', '--db', deleted]);
      expect(d.code).toBe(1);
      expect(d.stderr).toContain(
        '哈希链在第 2 行断开（记录序号 3）：与上一条记录的哈希不衔接（记录被删除、插入或调换）',
      );
    } finally {
      cleanup();
    }
  });

  it('--expect-head catches a trail rewritten with every hash recomputed, which the chain alone cannot', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = join(dir, 'z.duckdb');
      const lines = await trail(db, 3);
      const anchor = `3:${(JSON.parse(lines[2]!) as { hash: string }).hash}`;
      expect((await verify(['--db', db, '--expect-head', anchor])).stdout).toContain('与留存的链头一致');

      // a forged trail: the same number of records, each hash valid, another user in them
      const forged = join(dir, 'forged.duckdb');
      await trail(forged, 3, 'someone-else');
      const f = await verify(['--db', forged, '--expect-head', anchor]);
      expect(f.code).toBe(1);
      expect(f.stderr).toContain('哈希链本身完好，但第 3 条记录的哈希与留存的链头不符');
      const cut = join(dir, 'cut.duckdb');
      await trail(cut, 2);
      expect((await verify(['--db', cut, '--expect-head', anchor])).stderr).toContain(
        '审计记录中没有第 3 条（现仅 2 条）',
      );
      expect((await verify(['--db', db, '--expect-head', '3:abc'])).code).toBe(2);
    } finally {
      cleanup();
    }
  });
});
