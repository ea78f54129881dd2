import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupCommand, databaseDigest, type BackupManifest } from '../../src/cli/commands/backup.ts';
import { restoreCommand } from '../../src/cli/commands/restore.ts';
import { UserError } from '../../src/db/errors.ts';
import { openDatabase } from '../../src/db/open.ts';
import { one } from '../../src/db/sql.ts';
import { auditPath, verifyAuditLog } from '../../src/server/audit/log.ts';
import { capturedOutput, zhenjian } from '../helpers/cli.ts';
import { tempDir } from '../helpers/db.ts';
import { CASE_HEADER, caseRow, writeCsv } from '../helpers/files.ts';
import { ingest } from '../helpers/ingest.ts';
import { withServer } from '../helpers/server.ts';

async function digestOf(path: string) {
  const db = await openDatabase(path);
  try {
    const name = (await one<{ d: string }>(db.conn, 'SELECT current_database() AS d'))!.d;
    const d = await databaseDigest(db.conn, name);
    const cases = (await one<{ n: number }>(db.conn, 'SELECT count(*) AS n FROM cases'))!.n;
    return { ...d, cases };
  } finally {
    db.close();
  }
}

async function restore(args: string[]) {
  const { out, text } = capturedOutput(true);
  const code = await restoreCommand(args, out).catch((e: UserError) => e);
  return {
    code: code instanceof UserError ? code.exitCode : code,
    error: code instanceof UserError ? code : undefined,
    text,
  };
}

const auditRecords = (db: string) =>
  readFileSync(auditPath(db), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('zhenjian backup / restore (spec/cli.md)', () => {
  it('backup while serving, restore drill: counts and content hash equal; tampering is caught (exit 3)', async () => {
    const work = tempDir();
    try {
      const out = join(work.dir, 'b.duckdb');
      let db = '';
      await withServer(
        async (s) => {
          db = join(s.dir, 'server.duckdb');
          // through the running server, by the real executable
          const r = await zhenjian(['backup', '--out', out, '--db', db, '--json']);
          expect(r.code).toBe(0);
          expect(r.stderr).toContain('已通过本机控制通道执行');
          const doc = JSON.parse(r.stdout) as BackupManifest & { file: string; key: string };
          expect(doc.file).toBe(out);
          // 3 cases loaded (B1–B3); B4 rejected (month 13) → one row in rejects; one file → one batch
          expect(doc.tables['main.cases']!.rows).toBe(3);
          expect(doc.tables['main.rejects']!.rows).toBe(1);
          expect(doc.tables['main.batches']!.rows).toBe(1);
          expect(statSync(`${out}.key`).mode & 0o777).toBe(0o600);
          expect(readFileSync(`${out}.key`, 'utf8')).toBe(readFileSync(`${db}.key`, 'utf8'));
          const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as BackupManifest;
          expect(manifest.content_sha256).toBe(doc.content_sha256);

          // an existing backup is never overwritten (unusable input, exit 2)
          const again = capturedOutput(false);
          const e2 = await backupCommand(['--out', out, '--db', db], again.out).catch((e: UserError) => e);
          expect((e2 as UserError).exitCode).toBe(2);
          // restore is refused while the server holds the database
          const refused = await restore([out, '--db', db]);
          expect(refused.code).toBe(3);
          expect(refused.error!.zh).toContain('请先停止 zhenjian serve');
          expect(auditRecords(db).filter((x) => x.event === 'cli.backup')).toHaveLength(2);
        },
        {
          prepare: async (h) => {
            const f = writeCsv(work.dir, 'c.csv', [
              CASE_HEADER,
              caseRow('B1'),
              caseRow('B2'),
              caseRow('B3'),
              caseRow('B4', { filed_on: '2024-13-01' }),
            ]);
            await ingest(h, [f]);
          },
        },
      );
      // withServer removed its folder; restore into a new database
      const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as BackupManifest;
      const target = join(work.dir, 'restored.duckdb');
      const r = await restore([out, '--db', target]);
      expect(r.code).toBe(0);
      const got = await digestOf(target);
      expect(got.content_sha256).toBe(manifest.content_sha256);
      expect(got.tables).toEqual(manifest.tables);
      expect(got.cases).toBe(3);
      expect(readFileSync(`${target}.key`, 'utf8')).toBe(readFileSync(`${out}.key`, 'utf8'));
      expect(auditRecords(target).map((x) => [x.event, x.outcome])).toEqual([['restore', 'ok']]);

      // restoring over an existing database keeps the old one beside it and only appends to its audit trail
      const before = auditRecords(target).length;
      const over = await restore([out, '--db', target]);
      expect(over.code).toBe(0);
      const previous = JSON.parse(over.text.stdout).previous as string;
      expect(existsSync(previous)).toBe(true);
      expect(existsSync(`${previous}.key`)).toBe(true);
      expect(auditRecords(target)).toHaveLength(before + 1);
      expect((await verifyAuditLog(auditPath(target))).ok).toBe(true);

      // a changed byte in the backup file: refused before anything is replaced
      const bad = join(work.dir, 'bad.duckdb');
      for (const ext of ['', '.key', '.manifest.json']) copyFileSync(`${out}${ext}`, `${bad}${ext}`);
      const bytes = readFileSync(bad);
      bytes[bytes.length - 100] ^= 0xff;
      writeFileSync(bad, bytes);
      const t1 = await restore([bad, '--db', target]);
      expect(t1.code).toBe(3);
      expect(t1.error!.zh).toContain('备份文件的哈希与校验清单不符');
      // the manifest promises other content than the file holds: the check after the copy fails
      copyFileSync(out, bad);
      writeFileSync(
        `${bad}.manifest.json`,
        JSON.stringify({
          ...manifest,
          tables: { ...manifest.tables, 'main.cases': { rows: 4, sum: '0' } },
          content_sha256: 'f'.repeat(64),
        }),
      );
      const t2 = await restore([bad, '--db', target]);
      expect(t2.code).toBe(3);
      expect(t2.error!.zh).toContain('main.cases');
      expect((await digestOf(target)).content_sha256).toBe(manifest.content_sha256);
      expect(
        auditRecords(target)
          .slice(-2)
          .map((x) => [x.event, x.outcome]),
      ).toEqual([
        ['restore', 'failed'],
        ['restore', 'failed'],
      ]);
      expect(existsSync(`${target}.restore-${process.pid}.tmp`)).toBe(false);

      // without a server the CLI backs up directly, and audits it itself
      const direct = join(work.dir, 'direct.duckdb');
      const d = capturedOutput(true);
      expect(await backupCommand(['--out', direct, '--db', target], d.out)).toBe(0);
      expect(JSON.parse(d.text.stdout).content_sha256).toBe(manifest.content_sha256);
      expect(auditRecords(target).at(-1)).toMatchObject({ event: 'backup', outcome: 'ok' });
    } finally {
      work.cleanup();
    }
  });
});
