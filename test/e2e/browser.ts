import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestHandler } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { generate } from '../../fixtures/generator/index.ts';
import type { Database } from '../../src/db/open.ts';
import { CHROMIUM_ARGS } from '../../src/server/briefings/pdf.ts';
import { ingest } from '../helpers/ingest.ts';
import { PASSWORD } from '../helpers/server.ts';

export const CHROMIUM = '/usr/bin/chromium';
const HANDLER = new URL('../../build/handler.js', import.meta.url);

/** The built SvelteKit app (npm run build; `npm test` builds first), mounted by the real server. */
export async function pagesHandler(): Promise<RequestHandler> {
  if (!existsSync(HANDLER))
    throw new Error('build/handler.js 不存在：请先运行 npm run build（npm test 会先构建）');
  const mod = (await import(HANDLER.href)) as { handler: RequestHandler };
  return mod.handler;
}

/** Debian's Chromium, headless, with the flags this closed network needs (design.md). */
export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Fails the test on any uncaught page error or console error; keeps a screenshot when something went wrong. */
export function watch(page: Page): { errors: string[]; screenshot: (name: string) => Promise<void> } {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // a failed request is reported by the test that made it; uncaught script errors are not allowed anywhere
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
      errors.push(`console: ${m.text()}`);
  });
  return {
    errors,
    async screenshot(name) {
      const dir = 'test-results';
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
    },
  };
}

/** A small generated data set (a few thousand cases over two years), loaded before the server takes the file. */
export async function loadDemo(db: Database, dir: string, cases = 3000): Promise<void> {
  const out = join(dir, 'demo');
  await generate({ out, cases, seed: 7, from: '2024-01-01', to: '2025-12-31' });
  await ingest(
    db,
    readdirSync(out)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => join(out, f)),
  );
}

type ChartEl = HTMLElement & {
  zjChart: {
    convertToPixel: (finder: object, value: number[]) => number[];
    getOption: () => { series: { data: (number | null)[] }[]; xAxis: { data: string[] }[] };
  };
};

/** Clicks the bar of the category labelled `label` in a chart panel, at the pixel ECharts says the bar is. */
export async function clickBar(page: Page, panel: string, label: string): Promise<void> {
  const chart = page.locator(`[data-panel="${panel}"] .chart[data-drawn="true"]`);
  await chart.waitFor();
  // mouse coordinates are the viewport's: bring the chart into view first
  await chart.scrollIntoViewIfNeeded();
  const point = await chart.evaluate((el, name) => {
    const c = (el as ChartEl).zjChart;
    const option = c.getOption();
    const i = option.xAxis[0]!.data.indexOf(name);
    if (i < 0) throw new Error(`no bar labelled ${name}`);
    const value = option.series[0]!.data[i] ?? 0;
    const [x, top] = c.convertToPixel({ seriesIndex: 0 }, [i, value]);
    const [, bottom] = c.convertToPixel({ seriesIndex: 0 }, [i, 0]);
    return { x: x!, y: (top! + bottom!) / 2 };
  }, label);
  const box = (await chart.boundingBox())!;
  await page.mouse.click(box.x + point.x, box.y + point.y);
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, url: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}
