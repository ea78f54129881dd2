import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { BriefingRow } from '../../queries/briefing.ts';
import { briefingHighlights } from '../../queries/briefing-text.ts';
import { auditPath } from '../../src/server/audit/log.ts';
import { pagesHandler } from '../e2e/browser.ts';
import { loadModuleFixture } from '../helpers/modules.ts';
import { withServer, type TestServer } from '../helpers/server.ts';
import { pdfText } from './pdf-text.ts';

// The fixture the briefing module's own tests work by hand (test/queries/briefing/briefing.test.ts): in 2025Q1
// cases C1–C4 are filed (C1–C3 in 110105 朝阳区, C4 in 110108 海淀区), so 刑事立案 = 4 against 2 in 2024Q1.
const FIXTURE = 'test/fixtures/modules/briefing';
const prepare = {
  prepare: (db: Parameters<typeof loadModuleFixture>[0]) => loadModuleFixture(db, FIXTURE, '2025-03-31'),
};

const post = (s: TestServer, cookie: string, body: unknown) =>
  s.fetch('/api/v1/briefings', {
    method: 'POST',
    cookie,
    headers: { 'content-type': 'application/json', origin: s.url },
    body: JSON.stringify(body),
  });

async function moduleRows(s: TestServer, cookie: string, q: string): Promise<BriefingRow[]> {
  const res = await s.fetch(`/api/v1/queries/briefing?${q}`, { cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as { rows: BriefingRow[] }).rows;
}

const audits = (s: TestServer) =>
  readFileSync(auditPath(s.server.ctx.db.path), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.event === 'briefing');

const figure = (rows: BriefingRow[], section: string, metric: string) =>
  rows.find((r) => r.section === section && r.metric === metric && r.district_code === null)!;

describe('POST /api/v1/briefings (情况通报, 第24条)', () => {
  it('renders the PDF: five sections, the module’s figures and sentences, marking in the header, page numbers', async () => {
    await withServer(
      async (s) => {
        await s.addUser({ username: 'admin1', role: 'admin' });
        await s.addUser({ username: 'city1', role: 'city' });
        const admin = await s.login('admin1');
        const marked = await s.fetch('/api/v1/settings', {
          method: 'PATCH',
          cookie: admin,
          headers: { 'content-type': 'application/json', origin: s.url },
          body: JSON.stringify({ options: { 'security.marking': '测试密级 仅供测试' } }),
        });
        expect(marked.status).toBe(200);
        const city = await s.login('city1');
        const rows = await moduleRows(s, city, 'period=2025Q1');
        const res = await post(s, city, { period: '2025Q1', format: 'pdf' });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/pdf');
        expect(res.headers.get('content-disposition')).toContain(
          `filename*=UTF-8''${encodeURIComponent('情况通报-2025Q1.pdf')}`,
        );
        const bytes = new Uint8Array(await res.arrayBuffer());
        const pdf = await pdfText(bytes);
        expect(pdf.pages).toBeGreaterThanOrEqual(2);
        const all = pdf.compact.join(' ');
        expect(all).toContain('北京市侦查监督与协作配合工作情况通报');
        expect(all).toContain('数据截止 2025-03-31');
        for (const title of ['一、犯罪形势', '二、刑事立案', '三、强制措施适用', '四、类案', '五、侦查监督'])
          expect(all).toContain(title);
        // 表3's first line is the module's 刑事立案 row: 本期 4, 上年同期 2
        const filings = figure(rows, '刑事立案', 'filings');
        expect([filings.value, filings.yoy_value]).toEqual([4, 2]);
        expect(all).toMatch(new RegExp(`表 3 刑事立案.*?刑事立案 ${filings.value} ${filings.yoy_value} `));
        // the highlight sentences are briefingHighlights() of the same rows, word for word
        const sentences = briefingHighlights(rows);
        expect(sentences[0]).toBe('刑事立案4件，同比上升100.0%，环比上升100.0%。');
        const flat = pdf.flat.join('');
        for (const sentence of sentences) expect(flat).toContain(sentence.normalize('NFKC'));
        pdf.flat.forEach((page, i) => {
          expect(page).toContain('测试密级仅供测试');
          expect(page).toContain(`第${i + 1}页/共${pdf.pages}页`);
          expect(page).toMatch(/生成:city1\d{4}-\d{2}-\d{2}\d{2}:\d{2}/);
        });
        const [record] = audits(s);
        expect(record).toMatchObject({
          event: 'briefing',
          outcome: 'ok',
          user: 'city1',
          params: { period: '2025Q1', level: '市级' },
          detail: 'format=pdf',
          bytes: bytes.byteLength,
        });
        // the renderer's short-lived session is gone: only the two sign-ins remain
        expect(s.server.ctx.sessions.size).toBe(2);
      },
      { ...prepare, start: { pages: await pagesHandler() } },
    );
  });

  it('renders the XLSX: 说明 and one sheet per section, cells equal to the module’s values', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'city1', role: 'city' });
      const city = await s.login('city1');
      const rows = await moduleRows(s, city, 'period=2025Q1');
      const res = await post(s, city, { period: '2025Q1', level: '市级', format: 'xlsx' });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      expect(wb.worksheets.map((w) => w.name)).toEqual([
        '说明',
        '犯罪形势',
        '刑事立案',
        '强制措施适用',
        '类案',
        '侦查监督',
      ]);
      const filings = wb.getWorksheet('刑事立案')!;
      const head = (filings.getRow(1).values as unknown[]).slice(1);
      expect(head.slice(0, 4)).toEqual(['区', '指标', '单位', '本期']);
      expect(filings.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      // row 2 is the module's first 刑事立案 row (合计): 4
      expect(filings.getRow(2).getCell(2).value).toBe('刑事立案');
      expect(filings.getRow(2).getCell(4).value).toBe(figure(rows, '刑事立案', 'filings').value);
      expect(filings.getRow(2).getCell(4).numFmt).toBe('0');
      const supervision = wb.getWorksheet('侦查监督')!;
      const adoption = figure(rows, '侦查监督', 'adoption_rate');
      const line = [...Array(supervision.rowCount).keys()]
        .map((i) => supervision.getRow(i + 1))
        .find((r) => r.getCell(1).value === '采纳率')!;
      // 采纳率 = adopted / replied = 1 / 2 (fixture), stored as the fraction and shown as 50.0%
      expect(line.getCell(3).value).toBe(adoption.value);
      expect(adoption.value).toBe(0.5);
      expect(line.getCell(3).numFmt).toBe('0.0%');
      const about = wb.getWorksheet('说明')!;
      const texts = (about.getColumn(2).values as unknown[]).map(String);
      expect(texts).toContain('2025-03-31');
      expect(texts).toContain(briefingHighlights(rows)[0]);
      expect(audits(s)[0]).toMatchObject({ outcome: 'ok', detail: 'format=xlsx' });
    }, prepare);
  });

  it('keeps district users to 区级 briefings of their districts; admin and auditor get 403; bad bodies get 400', async () => {
    await withServer(async (s) => {
      await s.addUser({ username: 'cy1', role: 'district', districts: ['110105'], agency: '检察' });
      await s.addUser({ username: 'adm', role: 'admin' });
      await s.addUser({ username: 'aud', role: 'auditor' });
      const cy = await s.login('cy1');
      const other = await post(s, cy, {
        period: '2025Q1',
        level: '区级',
        district: '110108',
        format: 'xlsx',
      });
      expect(other.status).toBe(404);
      expect(audits(s)).toEqual([
        expect.objectContaining({ outcome: 'denied', user: 'cy1', detail: 'district_out_of_scope' }),
      ]);
      expect((await post(s, cy, { period: '2025Q1', format: 'xlsx' })).status).toBe(403);
      const own = await post(s, cy, { period: '2025Q1', level: '区级', district: '110105', format: 'xlsx' });
      expect(own.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await own.arrayBuffer());
      // 区级 110105: C1–C3 only
      expect(wb.getWorksheet('刑事立案')!.getRow(2).getCell(3).value).toBe(3);
      for (const u of ['adm', 'aud'])
        expect((await post(s, await s.login(u), { period: '2025Q1', format: 'xlsx' })).status).toBe(403);
      // bad bodies: 400 naming the field
      const city = await s.login('cy1');
      const bad = async (body: unknown) => {
        const res = await post(s, city, body);
        expect(res.status).toBe(400);
        return ((await res.json()) as { error: { message: string } }).error.message;
      };
      expect(await bad({ period: '2025Q1', format: 'docx' })).toContain('format（格式）应为 pdf 或 xlsx');
      expect(await bad({ period: '2025Q1', format: 'pdf', extra: 1 })).toContain('没有参数 extra');
      expect(await bad({ period: '2025-13', format: 'xlsx' })).toContain('period');
      expect(await bad({ period: '2025Q1', level: '区级', format: 'xlsx' })).toContain('district');
    }, prepare);
  });
});
