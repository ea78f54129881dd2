import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { UserError } from '../../db/errors.ts';
import { cookieName } from '../auth/middleware.ts';
import type { SessionUser } from '../auth/sessions.ts';
import type { ServerContext } from '../context.ts';
import { OverloadedError } from '../pool.ts';
import { moduleParams, type BriefingRequest } from './request.ts';

/** Where Debian and other distributions put Chromium; ZHENJIAN_CHROMIUM names another. */
const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The flags this closed network needs (no sandbox as root in a container, no calls home); the browser tests use them too. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long the print page may take to fetch, lay out and draw (a year at 市级 runs many module parts). */
export const READY_TIMEOUT_MS = 90_000;
/** Renders waiting behind the one running; beyond this a request gets 503 instead of a growing queue. */
const MAX_WAITING = 4;

const noChromium = (why: string) =>
  new UserError(
    `无法生成 PDF：${why}。请安装 Chromium（Debian/Ubuntu：apt-get install chromium fonts-noto-cjk），或用环境变量 ZHENJIAN_CHROMIUM 指定其路径；XLSX 格式不需要浏览器。`,
    `Cannot render the PDF: ${why}. Install chromium (apt-get install chromium fonts-noto-cjk) or set ZHENJIAN_CHROMIUM.`,
    3,
  );

export function chromiumPath(): string {
  const given = process.env.ZHENJIAN_CHROMIUM;
  if (given) {
    if (!existsSync(given)) throw noChromium(`ZHENJIAN_CHROMIUM 指向的 ${given} 不存在`);
    return given;
  }
  const found = CHROMIUM_PATHS.find((p) => existsSync(p));
  if (!found) throw noChromium('本机未安装 Chromium');
  return found;
}

// One Chromium at a time, launched for each render and closed after it: a briefing is rendered a few times a month,
// and an idle browser would hold ~150 MB on a 2-core server for nothing; a launch costs about a second.
let tail: Promise<void> = Promise.resolve();
let waiting = 0;

async function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
  if (waiting >= MAX_WAITING) throw new OverloadedError();
  waiting++;
  const before = tail;
  let release!: () => void;
  tail = new Promise<void>((r) => (release = r));
  try {
    await before;
    return await fn();
  } finally {
    waiting--;
    release();
  }
}

async function launch(): Promise<Browser> {
  const executablePath = chromiumPath();
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw noChromium('缺少 npm 包 playwright-core（请在项目目录运行 npm ci）');
  }
  try {
    return await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  } catch (e) {
    throw noChromium(`Chromium（${executablePath}）无法启动：${(e as Error).message.split('\n')[0]}`);
  }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** 2025-04-02 10:30 in Beijing time, whatever the server's zone. */
export function beijingTime(d = new Date()): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

// header and footer templates are separate documents: they inherit no CSS and need their own font and size
const TEMPLATE_STYLE = `width:100%;margin:0 14mm;font-family:'Noto Sans CJK SC',sans-serif;font-size:8.5px;color:#334e68;`;

export function headerTemplate(marking: string): string {
  return `<div style="${TEMPLATE_STYLE}text-align:center;color:#b42318;font-weight:700;">${escapeHtml(marking)}</div>`;
}

export function footerTemplate(username: string, at: string): string {
  return `<div style="${TEMPLATE_STYLE}text-align:center;">第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页 · 生成：${escapeHtml(username)} ${escapeHtml(at)}</div>`;
}

export interface PdfJob {
  /** the server's own origin as the renderer reaches it, e.g. http://127.0.0.1:3000 */
  origin: string;
  /** whose scope the print page sees: a session of this user exists only while the page renders */
  user: SessionUser;
  request: BriefingRequest;
  marking: string;
  /** shown in the footer (生成：…) */
  generatedBy: string;
  timeoutMs?: number;
}

/**
 * The 情况通报 as a PDF: Chromium opens the print page (src/routes/print/briefing) with a short-lived session of the
 * requesting user — so the page runs the module through the API in exactly the caller's scope — waits for
 * <html data-ready>, and prints A4 with the marking in the header and page numbers in the footer.
 */
export async function renderBriefingPdf(
  ctx: Pick<ServerContext, 'sessions' | 'config'>,
  job: PdfJob,
): Promise<Buffer> {
  chromiumPath();
  return oneAtATime(async () => {
    const browser = await launch();
    const session = ctx.sessions.create(job.user);
    try {
      const context = await browser.newContext({
        // 182 mm at 96 dpi: the page's print width, so ECharts draws at the size it prints
        viewport: { width: 688, height: 1000 },
        deviceScaleFactor: 2,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      await context.addCookies([
        {
          name: cookieName(ctx.config.secure),
          value: session.id,
          url: job.origin,
          httpOnly: true,
          secure: ctx.config.secure,
          sameSite: 'Strict',
        },
      ]);
      // the page talks to this server only: nothing else is fetched while a session cookie is in the browser
      await context.route(
        (url) => url.origin !== job.origin,
        (route) => route.abort(),
      );
      const page = await context.newPage();
      const q = new URLSearchParams(moduleParams(job.request));
      const res = await page.goto(`${job.origin}/print/briefing?${q}`, { waitUntil: 'load' });
      if (!res || res.status() !== 200)
        throw new UserError(
          `无法生成 PDF：打印页面不可用（HTTP ${res?.status() ?? '无响应'}）。Web 界面可能尚未构建：请在项目目录运行 npm run build 后重启服务。`,
          'The print page is not available; run npm run build.',
          3,
        );
      const timeout = job.timeoutMs ?? READY_TIMEOUT_MS;
      try {
        await page.waitForFunction(
          () => {
            const d = document.documentElement.dataset;
            return d.ready === 'true' || d.error !== undefined;
          },
          null,
          { timeout, polling: 100 },
        );
      } catch {
        throw new UserError(
          `生成 PDF 超时：打印页面在 ${Math.round(timeout / 1000)} 秒内未准备好。请缩短期间（如改为季度或月份）后重试，或稍后再试。`,
          'Timed out waiting for the print page.',
          3,
        );
      }
      const failed = await page.evaluate(() => ({
        message: document.documentElement.dataset.error,
        status: document.documentElement.dataset.errorStatus,
      }));
      if (failed.message !== undefined)
        throw new UserError(
          `无法生成 PDF：${failed.message}`,
          'The print page reported an error.',
          failed.status?.startsWith('4') ? 2 : 3,
        );
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: headerTemplate(job.marking),
        footerTemplate: footerTemplate(job.generatedBy, beijingTime()),
        margin: { top: '18mm', bottom: '16mm', left: '14mm', right: '14mm' },
      });
      await context.close();
      return pdf;
    } finally {
      ctx.sessions.delete(session.id);
      await browser.close().catch(() => undefined);
    }
  });
}
