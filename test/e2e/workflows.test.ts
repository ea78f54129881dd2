import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withServer } from '../helpers/server.ts';
import { launch, loadDemo, pagesHandler, signIn, watch } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('Art. 9 review and special inspection workflows in Chromium', () => {
  it('draws a seeded sample equal to the module, records a graded review with a finding, and inspects a case', async () => {
    const pages = await pagesHandler();
    await withServer(
      async (s) => {
        await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const w = watch(page);
        try {
          await signIn(page, s.url, 'city1');
          await page.waitForURL(`${s.url}/`);
          await page.getByRole('link', { name: '案件质量评查' }).click();
          await page.getByLabel('名称').fill('2025 年不捕案件常规抽查');
          await page.getByLabel('决定日期起').fill('2025-01-01');
          await page.getByLabel('决定日期止').fill('2025-12-31');
          await page.getByLabel('样本量').fill('5');
          await page.getByLabel('随机种子（留空则随机生成并记录）').fill('42');
          await page.getByRole('button', { name: '抽取样本' }).click();
          await page.waitForURL(/\/reviews\/[^/]+$/);
          await page.getByTestId('draw').waitFor();
          expect(await page.getByTestId('draw').textContent()).toContain('随机种子 42');
          const shown = await page.locator('table tbody tr td:first-child').allTextContents();
          // the same parameters through the module give the same five decisions, in the same order per district
          const module = await (
            await s.fetch('/api/v1/queries/review-sample?from=2025-01-01&to=2025-12-31&size=5&seed=42', {
              cookie: await s.login('city1'),
            })
          ).json();
          expect(new Set(shown)).toEqual(
            new Set(module.rows.map((r: { decision_id: string }) => r.decision_id)),
          );
          expect(shown).toHaveLength(5);

          await page.getByRole('button', { name: '评查' }).first().click();
          await page.getByLabel('等次').selectOption('不合格');
          await page.getByRole('button', { name: '添加问题' }).click();
          await page.getByLabel('问题类别').selectOption('证据采信');
          await page.getByLabel('问题描述').fill('关键证据未随案移送');
          await page.getByRole('button', { name: '保存评查结果' }).click();
          await page.getByText('已评查 1 / 5').waitFor();
          // 1 不合格 of 1 reviewed → 不合格率 100.0%
          await page.getByText('不合格率 100.0%').waitFor();

          await page.getByRole('link', { name: '专项检查' }).click();
          await page.getByLabel('名称').fill('挂案专项检查');
          await page.getByRole('button', { name: '新建并纳入案件' }).click();
          await page.waitForURL(/\/inspections\/[^/]+$/);
          await page.getByRole('button', { name: '记录检查' }).first().waitFor();
          const matched = await page.locator('table tbody tr').count();
          const pending = await (
            await s.fetch('/api/v1/queries/pending-cases', { cookie: await s.login('city1') })
          ).json();
          expect(matched).toBe(new Set(pending.rows.map((r: { case_id: string }) => r.case_id)).size);
          await page.getByRole('button', { name: '记录检查' }).first().click();
          await page.getByLabel('结论').selectOption('有问题');
          await page.getByRole('button', { name: '保存' }).click();
          await page.getByText(`已检查 1（${((1 / matched) * 100).toFixed(1)}%）`).waitFor();
          expect(w.errors).toEqual([]);
        } catch (e) {
          await w.screenshot('workflows');
          throw e;
        } finally {
          await page.close();
        }
      },
      { prepare: (db) => loadDemo(db, db.path.replace(/[^/]+$/, '')), start: { pages } },
    );
  });
});
