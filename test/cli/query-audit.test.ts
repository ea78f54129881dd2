import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { queryCommand } from '../../src/cli/commands/query.ts';
import { initDatabase } from '../../src/db/init.ts';
import { openDatabase } from '../../src/db/open.ts';
import { auditPath, verifyAuditLog } from '../../src/server/audit/log.ts';
import { tempDir } from '../helpers/db.ts';
import { capturedOutput } from '../helpers/cli.ts';
import { loadModuleFixture } from '../helpers/modules.ts';

describe('zhenjian query and the audit trail', () => {
  it('records case-level output as cli:<OS user> with the purpose and case ids; aggregates are not recorded', async () => {
    const t = tempDir();
    try {
      const dbPath = join(t.dir, 'q.duckdb');
      const db = await openDatabase(dbPath);
      await initDatabase(db);
      await loadModuleFixture(db, 'test/fixtures/modules/pending', '2025-06-30');
      db.close();
      const csv = join(t.dir, 'p.csv');
      const { out } = capturedOutput(false);
      expect(
        await queryCommand(
          ['pending-cases', '--db', dbPath, '--format', 'csv', '--out', csv, '--purpose', '监督核查'],
          out,
        ),
      ).toBe(0);
      expect(await queryCommand(['case-filings', '--db', dbPath, '--out', join(t.dir, 'f.json')], out)).toBe(
        0,
      );
      const records = readFileSync(auditPath(dbPath), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      // one record: the 挂案 export (7 cases at 2025-06-30, test/queries/pending-cases.test.ts); case-filings is an aggregate
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        event: 'export',
        user: `cli:${userInfo().username}`,
        query: 'pending-cases',
        purpose: '监督核查',
        rows: 7,
      });
      expect([...records[0].case_ids].sort()).toEqual(['P1', 'P2', 'P3', 'P5', 'P6', 'P8', 'P9']);
      expect((await verifyAuditLog(auditPath(dbPath))).ok).toBe(true);
      expect(existsSync(csv)).toBe(true);
    } finally {
      t.cleanup();
    }
  });
});
