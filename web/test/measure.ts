/**
 * What bench/web measures, in Debian's Chromium: time to the first rendered talent list, the gzipped
 * JS and CSS per route, and Lighthouse scores of the storefront home and the admin dashboard.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type BrowserContext, type Response } from 'playwright-core';
import { freePort } from '../../platform/child-process';
import { CHROMIUM, CHROMIUM_ARGS } from './browser';

type LighthouseResult = { lhr: { categories: Record<string, { score: number | null; auditRefs?: { id: string; weight: number }[] }>; audits: Record<string, { numericValue?: number; score?: number | null }>; environment?: { benchmarkIndex?: number } } };

export async function measureWeb(base: string, talentId: string, admin: { email: string; password: string }) {
  // lighthouse is an ES module only; a dynamic import loads it from this CommonJS file.
  const lighthouse = (await (new Function('m', 'return import(m)') as (m: string) => Promise<{ default: (url: string, flags: Record<string, unknown>) => Promise<LighthouseResult> }>)('lighthouse')).default;
  const password = admin.password;
  let context: BrowserContext | undefined;
  try {
    // One browser, its default context shared with Lighthouse (which opens its own tabs on the debugging port).
    const port = await freePort();
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'limelight-bench-web-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`], headless: true });
    const page = await context.newPage();

    // Time to the first rendered talent list, cold (cache disabled through CDP), median of 5.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(`${base}/`, { waitUntil: 'commit' });
      await page.locator('[data-testid="talent-list"] li').first().waitFor();
      times.push(await page.evaluate(() => performance.now()));
    }
    times.sort((a, b) => a - b);

    // Lighthouse (default mobile emulation and simulated throttling), median of 3 runs by performance
    // (the machine is shared, so one run is noisy): the home as a visitor sees it, the dashboard in the
    // admin's session (storage kept, so the refresh cookie is there).
    const scores: Record<string, Record<string, number>> = {};
    const metrics: Record<string, Record<string, number>> = {};
    const failing: Record<string, string[]> = {};
    let lastFailing: string[] = [];
    const audit = async (name: string, route: string, keepSession: boolean) => {
      const runs: { score: Record<string, number>; metric: Record<string, number> }[] = [];
      for (let i = 0; i < 3; i++) {
        const result = await lighthouse(`${base}${route}`, { port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices'], disableStorageReset: keepSession });
        const c = result.lhr.categories;
        const a = result.lhr.audits;
        const ms = (id: string) => Math.round(a[id]?.numericValue ?? -1);
        // Weighted audits that did not pass in accessibility and best practices: what a score below 100 is made of.
        lastFailing = ['accessibility', 'best-practices'].flatMap((cat) => (c[cat].auditRefs ?? []).filter((r) => r.weight > 0 && a[r.id]?.score !== null && (a[r.id]?.score ?? 1) < 1).map((r) => r.id));
        runs.push({
          score: { performance: Math.round((c.performance.score ?? 0) * 100), accessibility: Math.round((c.accessibility.score ?? 0) * 100), bestPractices: Math.round((c['best-practices'].score ?? 0) * 100) },
          metric: { benchmarkIndex: Math.round(result.lhr.environment?.benchmarkIndex ?? -1), fcpMs: ms('first-contentful-paint'), lcpMs: ms('largest-contentful-paint'), tbtMs: ms('total-blocking-time'), speedIndexMs: ms('speed-index'), cls: Math.round((a['cumulative-layout-shift']?.numericValue ?? -1) * 1000) / 1000 },
        });
      }
      runs.sort((x, y) => x.score.performance - y.score.performance);
      scores[name] = runs[1].score;
      if (lastFailing.length) failing[name] = lastFailing;
      metrics[name] = runs[1].metric;
    };
    await audit('home', '/', false);

    // Gzipped JS and CSS loaded by each route (as served: the API gzips every asset).
    const bytes: Record<string, { js: number; css: number }> = {};
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Admin' }).waitFor();
    for (const route of ['/', `/talents/${talentId}`, '/shop', '/orders', '/subscriptions', '/admin', '/admin/payments', '/discover', '/channels']) {
      const sizes = { js: 0, css: 0 };
      const pending: Promise<void>[] = [];
      const onResponse = (res: Response) => {
        const type = res.request().resourceType();
        if (type !== 'script' && type !== 'stylesheet') return;
        pending.push(res.body().then((b) => void (sizes[type === 'script' ? 'js' : 'css'] += zlib.gzipSync(b, { level: 9 }).length)).catch(() => undefined));
      };
      page.on('response', onResponse);
      await page.goto(`${base}${route}`, { waitUntil: 'networkidle' });
      page.off('response', onResponse);
      await Promise.all(pending);
      bytes[route.replace(talentId, ':id')] = sizes;
    }
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await audit('adminDashboard', '/admin', true);

    // Lighthouse scales CPU time by a fixed factor, so a busy machine lowers the scores: say how busy it was.
    return { loadAverage1m: Math.round(os.loadavg()[0] * 10) / 10, cores: os.cpus().length, lighthouse: scores, lighthouseMetrics: metrics, lighthouseFailingAudits: failing, gzipBytes: bytes, firstTalentListMs: { median: Math.round(times[2]), min: Math.round(times[0]), max: Math.round(times[4]) }, chromium: CHROMIUM };
  } finally {
    await context?.close().catch(() => undefined);
  }
}
