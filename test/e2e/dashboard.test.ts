import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withServer, type TestServer } from '../helpers/server.ts';
import { clickBar, launch, loadDemo, pagesHandler, signIn, watch } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function serve<T>(fn: (s: TestServer) => Promise<T>): Promise<T> {
  const pages = await pagesHandler();
  return withServer(
    async (s) => {
      await s.addUser({ username: 'city1', role: 'city', agency: '检察' });
      await s.addUser({ username: 'haidian', role: 'district', agency: '公安', districts: ['110108'] });
      return fn(s);
    },
    { prepare: (db) => loadDemo(db, db.path.replace(/[^/]+$/, '')), start: { pages } },
  );
}

describe('dashboard in Chromium', () => {
  it('signs in, draws the overview, drills city → district → unit → case list → case with a purpose; back works', async () => {
    await serve(async (s) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const w = watch(page);
      try {
        await signIn(page, s.url, 'city1');
        await page.waitForURL((u) => u.pathname !== '/login');
        await page.locator('[data-panel="kpis"] .kpi').first().waitFor();
        expect(await page.locator('[data-panel="kpis"] .kpi').count()).toBeGreaterThanOrEqual(8);
        await page.locator('.chart[data-drawn="true"]').nth(2).waitFor();
        expect(await page.locator('.chart[data-drawn="true"]').count()).toBe(3);

        // a case that is 挂案 at the data-as-of date, to drill down to through its district and unit
        const target = (
          await (await s.fetch('/api/v1/queries/pending-cases', { cookie: await s.login('city1') })).json()
        ).rows[0] as { case_id: string; district_code: string; police_unit: string };
        const names = (await (await s.fetch('/api/v1/me', { cookie: await s.login('city1') })).json())
          .districts as {
          code: string;
          name: string;
        }[];
        await clickBar(page, 'filings-by-district', names.find((d) => d.code === target.district_code)!.name);
        await page.waitForURL(new RegExp(`\\?district=${target.district_code}$`));
        await clickBar(page, 'filings-by-unit', target.police_unit);
        await page.waitForURL(/\/pending\?.*police_unit=/);
        expect(new URL(page.url()).searchParams.get('police_unit')).toBe(target.police_unit);
        const row = page.locator('table tbody tr', { hasText: target.case_id }).first();
        await row.waitFor();
        const units = await page.locator('table tbody tr td:nth-child(3)').allTextContents();
        expect(new Set(units)).toEqual(new Set([target.police_unit]));
        await row.click();
        await page.waitForURL(new RegExp(`/cases/${target.case_id}$`));
        await page.getByRole('button', { name: '查看' }).click();
        await page.getByRole('heading', { name: '时间线与期限' }).waitFor();
        expect(await page.locator('.timeline tbody tr').count()).toBeGreaterThan(0);
        await page.goBack();
        await page.waitForURL(/\/pending\?/);
        await page.goBack();
        await page.waitForURL(new RegExp(`\\?district=${target.district_code}$`));
        await page.locator('[data-panel="filings-by-unit"]').waitFor();
        expect(w.errors).toEqual([]);
      } catch (e) {
        await w.screenshot('overview-drill');
        throw e;
      } finally {
        await page.close();
      }
    });
  });

  it('shows a district user only their district, and says so when a link names another', async () => {
    await serve(async (s) => {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      const w = watch(page);
      try {
        await signIn(page, s.url, 'haidian');
        await page.waitForURL((u) => u.pathname !== '/login');
        // a police legal department lands on its 挂案 list
        expect(new URL(page.url()).pathname).toBe('/pending');
        await page.goto(`${s.url}/`);
        await page.locator('[data-panel="filings-by-unit"] .chart[data-drawn="true"]').waitFor();
        const crumbs = await page.locator('nav.crumbs').textContent();
        expect(crumbs).toContain('海淀区');
        expect(crumbs).not.toContain('全市');
        await page.goto(`${s.url}/?district=110105&period=2025`);
        await page.getByText('不在您的查看范围内').waitFor();
        await page.locator('[data-panel="kpis"] .kpi').first().waitFor();
        expect(await page.locator('nav.crumbs').textContent()).toContain('海淀区');
        // a figure opens its list: 挂案数 → the 挂案 page
        await page.locator('[data-metric="pending"]').click();
        await page.waitForURL(/\/pending/);
        await page.locator('table tbody tr').first().waitFor();
        const districts = await page.locator('table tbody tr td:nth-child(2)').allTextContents();
        expect(new Set(districts)).toEqual(new Set(['海淀区']));
        const body = await page.locator('body').textContent();
        for (const other of ['朝阳区', '东城区', '西城区', '丰台区']) expect(body).not.toContain(other);
        expect(w.errors).toEqual([]);
      } catch (e) {
        await w.screenshot('district-scope');
        throw e;
      } finally {
        await page.close();
      }
    });
  });

  it('draws the 监督台账 and 不捕不诉 pages, and a chart shows exactly the module figures', async () => {
    await serve(async (s) => {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      const w = watch(page);
      try {
        await signIn(page, s.url, 'city1');
        await page.waitForURL((u) => u.pathname !== '/login');
        await page.goto(`${s.url}/decisions?period=2025`);
        const chart = page.locator('[data-panel="rates-by-district"] .chart[data-drawn="true"]');
        await chart.waitFor();
        const shown = await chart.evaluate((el) =>
          (el as HTMLElement & { zjChart: { getOption: () => { series: { data: number[] }[] } } }).zjChart
            .getOption()
            .series.map((x) => x.data),
        );
        const api = await (
          await s.fetch('/api/v1/queries/decision-rates?group_by=district&from=2025-01-01&to=2025-12-31', {
            cookie: await s.login('city1'),
          })
        ).json();
        const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
        expect(shown[0]).toEqual(api.rows.map((r: { non_arrest_rate: number }) => pct(r.non_arrest_rate)));
        expect(shown[1]).toEqual(
          api.rows.map((r: { non_prosecution_rate: number }) => pct(r.non_prosecution_rate)),
        );
        await page.locator('[data-panel="rates-by-charge"] table tbody tr').first().waitFor();
        expect(await page.locator('[data-panel="rates-by-charge"] th').allTextContents()).toContain('不捕率');

        await page.getByRole('link', { name: '监督台账' }).click();
        await page.waitForURL(/\/supervision/);
        await page.locator('[data-panel="ledger-by-district"] .chart[data-drawn="true"]').waitFor();
        await page.locator('[data-panel="overdue"] table tbody tr').first().waitFor();
        expect(await page.locator('[data-panel="overdue"] th').allTextContents()).toContain('回复期限');
        expect(w.errors).toEqual([]);
      } catch (e) {
        await w.screenshot('supervision-decisions');
        throw e;
      } finally {
        await page.close();
      }
    });
  });
});
