import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withServer } from '../helpers/server.ts';
import { launch, pagesHandler, signIn, watch } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

// three cases; line 3 (the second data row) has 2025-02-30, which is no date
const CSV = [
  'case_id,district_code,police_unit,charge,filed_on,status,closed_on',
  'U1,110105,朝阳分局刑侦支队,盗窃罪,2025-01-10,侦查中,',
  'U2,110105,朝阳分局刑侦支队,盗窃罪,2025-02-30,侦查中,',
  'U3,110108,中关村派出所,诈骗罪,2025-03-01,侦查中,',
].join('\n');

describe('admin and auditor pages in Chromium', () => {
  it('uploads a file with a bad row and lists the reject by line and column; the auditor then sees the load and sign-ins', async () => {
    const pages = await pagesHandler();
    await withServer(
      async (s) => {
        await s.addUser({ username: 'audit1', role: 'auditor' });
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const w = watch(page);
        try {
          await signIn(page, s.url, 'admin', s.server.initialAdmin!.password);
          await page.waitForURL(`${s.url}/import`);
          await page.locator('input[type=file]').setInputFiles({
            name: 'cases.csv',
            mimeType: 'text/csv',
            buffer: Buffer.from(CSV, 'utf8'),
          });
          await page.getByRole('button', { name: '上传并导入' }).click();
          const result = page.getByRole('region', { name: '导入结果' });
          await result.waitFor();
          expect(await result.locator('h3').textContent()).toBe(
            'cases.csv → cases：新增 2 行，更新 0 行，拒绝 1 行',
          );
          const reject = await result.locator('table.rejects tbody tr td').allTextContents();
          expect(reject[0]).toBe('3');
          expect(reject[1]).toBe('filed_on');
          expect(reject[2]).toContain('日期');
          // the batch ledger lists the load
          await page.getByRole('cell', { name: 'cases.csv' }).waitFor();

          await page.getByRole('button', { name: '退出' }).click();
          await page.waitForURL(`${s.url}/login`);
          await signIn(page, s.url, 'audit1');
          await page.waitForURL(`${s.url}/audit`);
          await page.getByRole('cell', { name: 'ingest' }).first().waitFor();
          const events = await page.locator('table tbody tr td:nth-child(6)').allTextContents();
          expect(events).toContain('ingest');
          expect(events).toContain('login');
          expect(w.errors).toEqual([]);
        } catch (e) {
          await w.screenshot('admin-auditor');
          throw e;
        } finally {
          await page.close();
        }
      },
      { start: { pages } },
    );
  });
});
