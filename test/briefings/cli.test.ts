import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { initDatabase } from '../../src/db/init.ts';
import { openDatabase } from '../../src/db/open.ts';
import { auditPath } from '../../src/server/audit/log.ts';
import { zhenjian } from '../helpers/cli.ts';
import { tempDir } from '../helpers/db.ts';
import { loadModuleFixture } from '../helpers/modules.ts';
import { withServer } from '../helpers/server.ts';

const FIXTURE = 'test/fixtures/modules/briefing';

async function workbook(path: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

describe('zhenjian briefing', () => {
  it('writes the XLSX without a server (no browser needed) and audits it; no Chromium for a PDF is exit 3', async () => {
    const t = tempDir();
    try {
      const dbPath = join(t.dir, 'z.duckdb');
      const db = await openDatabase(dbPath);
      await initDatabase(db);
      await loadModuleFixture(db, FIXTURE, '2025-03-31');
      db.close();
      const out = join(t.dir, '通报.xlsx');
      const r = await zhenjian(['briefing', '--db', dbPath, '--period', '2025Q1', '--out', out, '--json']);
      expect(r.stderr).toContain('已生成情况通报');
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout) as { file: string; format: string; bytes: number };
      expect(result).toMatchObject({ file: out, format: 'xlsx' });
      expect(readFileSync(out).byteLength).toBe(result.bytes);
      const wb = await workbook(out);
      expect(wb.worksheets.map((w) => w.name)).toEqual([
        '说明',
        '犯罪形势',
        '刑事立案',
        '强制措施适用',
        '类案',
        '侦查监督',
      ]);
      // 市级 (built-in user, city scope): 刑事立案 = C1–C4 = 4
      expect(wb.getWorksheet('刑事立案')!.getRow(2).getCell(4).value).toBe(4);
      const audit = readFileSync(auditPath(dbPath), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(audit.at(-1)).toMatchObject({ event: 'briefing', outcome: 'ok', detail: 'format=xlsx' });

      const pdf = join(t.dir, 'x.pdf');
      const none = await zhenjian(['briefing', '--db', dbPath, '--period', '2025Q1', '--out', pdf], {
        ZHENJIAN_CHROMIUM: join(t.dir, 'no-such-chromium'),
      });
      expect(none.code).toBe(3);
      expect(none.stderr).toContain('请安装 Chromium');
      expect(existsSync(pdf)).toBe(false);
    } finally {
      t.cleanup();
    }
  });

  it('goes through the running server and writes the file it sends back', async () => {
    await withServer(
      async (s) => {
        const out = join(s.dir, 'chaoyang.xlsx');
        const r = await zhenjian([
          'briefing',
          '--db',
          join(s.dir, 'server.duckdb'),
          '--period',
          '2025Q1',
          '--level',
          '区级',
          '--district',
          '110105',
          '--out',
          out,
        ]);
        expect(r.code).toBe(0);
        expect(r.stderr).toContain('本机控制通道');
        const wb = await workbook(out);
        // 区级 110105: C1–C3 = 3
        expect(wb.getWorksheet('刑事立案')!.getRow(2).getCell(3).value).toBe(3);
        expect(wb.getWorksheet('说明')!.getRow(2).getCell(2).value).toBe(
          '朝阳区侦查监督与协作配合工作情况通报',
        );
      },
      { prepare: (db) => loadModuleFixture(db, FIXTURE, '2025-03-31') },
    );
  });
});
