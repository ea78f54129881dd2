import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, withServer } from '../helpers/server.ts';
import { launch, loadDemo, pagesHandler, watch } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('联席会议 and the deck in Chromium', () => {
  it('records a meeting with an action, freezes its figures, and presents the deck by keyboard', async () => {
    const pages = await pagesHandler();
    await withServer(
      async (s) => {
        await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
        const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
        const w = watch(page);
        try {
          await page.goto(`${s.url}/login`);
          await page.getByLabel('用户名').fill('city1');
          await page.getByLabel('密码').fill(PASSWORD);
          await page.getByRole('button', { name: '登录' }).click();
          await page.waitForURL(`${s.url}/`);
          await page.getByRole('link', { name: '联席会议' }).click();
          await page.getByLabel('会议日期').fill('2025-12-30');
          await page.getByLabel('通报期间').fill('2025Q4');
          await page.getByLabel('议题（每行一项）').fill('挂案清理\n监督意见回复');
          await page.getByRole('button', { name: '新建' }).click();
          await page.waitForURL(/\/meetings\/[^/]+$/);
          await page.getByLabel('议定事项').fill('三个月内清理严重挂案');
          await page.getByLabel('责任单位').fill('法制支队');
          await page.getByRole('button', { name: '添加议定事项' }).click();
          await page.getByRole('cell', { name: '三个月内清理严重挂案' }).waitFor();
          await page.getByRole('button', { name: '固定本次会议数据' }).click();
          await page.getByRole('link', { name: '打开会议幻灯片（已固定数据）' }).click();
          await page.waitForURL(/\/deck\?meeting=/);

          const deck = page.locator('.deck');
          await deck.waitFor();
          const total = Number(await deck.getAttribute('data-slides'));
          // title, 关键数据, five sections, the actions slide at least
          expect(total).toBeGreaterThanOrEqual(8);
          expect(await page.locator('.frame.shown h1').textContent()).toBe(
            '北京市侦查监督与协作配合市级联席会议',
          );
          await page.keyboard.press('ArrowRight');
          expect(await deck.getAttribute('data-current')).toBe('1');
          expect(await page.locator('.frame.shown h2').textContent()).toBe('关键数据');
          // the 立案数 figure on the slide equals the frozen pack's
          const meetingId = new URL(page.url()).searchParams.get('meeting')!;
          const pack = await (
            await s.fetch(`/api/v1/meetings/${meetingId}/pack`, { cookie: await s.login('city1') })
          ).json();
          const filings = pack.rows.find((r: { metric: string }) => r.metric === 'filings').value as number;
          expect(filings).toBeGreaterThan(0);
          const first = page.locator('.frame.shown .figure').first();
          expect(await first.locator('.label').textContent()).toBe('立案数');
          expect(await first.locator('.value').textContent()).toBe(`${filings.toLocaleString('zh-CN')} 件`);
          await page.keyboard.press('End');
          expect(await page.locator('.frame.shown h2').textContent()).toBe('会议议定事项');
          expect(await page.locator('.frame.shown td').first().textContent()).toBe('三个月内清理严重挂案');
          await page.keyboard.press('ArrowLeft');
          expect(Number(await deck.getAttribute('data-current'))).toBe(total - 2);
          await page.keyboard.press('Escape');
          await page.waitForURL(/\/meetings$/);
          expect(w.errors).toEqual([]);
        } catch (e) {
          await w.screenshot('meeting-deck');
          throw e;
        } finally {
          await page.close();
        }
      },
      { prepare: (db) => loadDemo(db, db.path.replace(/[^/]+$/, '')), start: { pages } },
    );
  });
});
