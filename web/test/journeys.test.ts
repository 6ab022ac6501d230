/**
 * The web app in a real browser (Debian's Chromium via playwright-core) on the real stack (API serving
 * web/dist, worker, Temporal, PostgreSQL, ffmpeg): every journey of the issue, axe on every page,
 * keyboard-only use of the forms, and a screenshot of each page in .data/screenshots/web-journeys/.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type TestStack } from '../../test/harness/stack';
import { startEngagementStack, stopEngagementStack } from '../../test/engagement/helpers';
import { buildWeb } from '../../scripts/web-build';
import { axe, keyboardWalk, launchChromium, Shots, tabTo, type AxeFinding } from './browser';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const SHOTS_DIR = path.join(ROOT, '.data', 'screenshots', 'web-journeys');
const PASSWORD = 'correct horse battery staple';

describe('web app journeys in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let base: string;
  let tmp: string;
  let clip: string;
  let tone: string;
  const shots = new Shots(SHOTS_DIR);
  const findings: AxeFinding[] = [];
  const tag = Math.random().toString(36).slice(2, 7);
  const contexts: BrowserContext[] = [];

  /** A screenshot and an axe run of the page as it is now. */
  async function visit(page: Page, name: string) {
    await page.waitForLoadState('networkidle');
    await shots.take(page, name);
    findings.push(...(await axe(page, name)));
    findings.push(...(await keyboardWalk(page, name)));
  }

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => findings.push({ page: page.url(), id: 'page-error', impact: 'critical', help: error.message, targets: [] }));
    return page;
  }

  /** Sign up in the browser, read the code from the dev mailbox the page links to, verify, log in. */
  async function signUpAndLogIn(page: Page, who: { name: string; email: string; kind: 'fan' | 'talent' }, shoot = false) {
    await page.goto('/signup');
    await page.getByLabel('Name').fill(who.name);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(PASSWORD);
    if (who.kind === 'talent') await page.getByText('a talent').click();
    if (shoot) await visit(page, 'signup');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/verify\?email=/);
    const mailboxLink = page.getByRole('link', { name: 'dev mailbox' });
    const href = await mailboxLink.getAttribute('href');
    if (shoot) await visit(page, 'verify');
    const mailbox = await page.context().newPage();
    let code: string | undefined;
    // The mailbox answers a browser with its HTML view; the code is read from its JSON form, as a client would.
    await mailbox.goto(href!);
    for (let i = 0; i < 40 && !code; i++) {
      const res = await mailbox.request.get(href!, { headers: { accept: 'application/json' } });
      code = /\b(\d{6})\b/.exec(((await res.json()) as { items?: { text?: string }[] }).items?.at(-1)?.text ?? '')?.[1];
      if (!code) await mailbox.waitForTimeout(250);
    }
    await mailbox.close();
    expect(code).toMatch(/^\d{6}$/);
    await page.getByLabel('Code').fill(code!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/login\?/);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
  }

  beforeAll(async () => {
    buildWeb({ onlyWhenMissing: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'limelight-web-'));
    clip = path.join(tmp, 'clip.mp4');
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip]);
    // The engagement flush runs every second (votes, views and subscriber counts show within seconds), and a view counts after 1 s of the 2 s clip.
    tone = path.join(tmp, 'tone.wav');
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=2', tone]);
    stack = await startEngagementStack('postgres', { env: { SHOUTOUT_TURNAROUND: '300s', STORAGE_DIR: path.join(tmp, 'storage'), VIEW_COUNTS_AFTER: '1s' } });
    base = stack.api!.url;
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stopEngagementStack(stack);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('fan orders, talent accepts and uploads, fan watches; a customer subscribes and cancels; an admin refunds and sees it on the dashboard', async () => {
    // --- the admin (created as an operator would, by the CLI), who adds a membership plan -----------
    const adminEmail = `admin-${tag}@example.test`;
    await run('npx', ['tsx', 'scripts/admin-create.ts', '--email', adminEmail, '--name', 'Ada Admin'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: stack.config.DATABASE_URL, ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' } });
    const admin = await newPage();
    await admin.goto('/login');
    await visit(admin, 'login');
    // Keyboard alone: Tab to the fields, type, Enter submits.
    await tabTo(admin, admin.getByLabel('Email'));
    await admin.keyboard.type(adminEmail);
    await admin.keyboard.press('Tab');
    await admin.keyboard.type(PASSWORD);
    await admin.keyboard.press('Enter');
    await admin.getByRole('link', { name: 'Admin' }).waitFor();

    await admin.goto('/admin/products');
    await admin.getByLabel('Name').fill(`Premium ${tag}`);
    await admin.getByLabel('Price', { exact: true }).fill('9.99');
    await admin.getByRole('button', { name: 'Create product' }).click();
    await admin.getByRole('cell', { name: `Premium ${tag}` }).waitFor();
    await admin.getByLabel('Kind').selectOption('film');
    await admin.getByLabel('Name').fill(`Film ${tag}`);
    await admin.getByLabel('Price', { exact: true }).fill('4.99');
    await admin.getByLabel(/Access days/).fill('30');
    await admin.getByRole('button', { name: 'Create product' }).click();
    await admin.getByRole('cell', { name: `Film ${tag}` }).waitFor();
    await visit(admin, 'admin-products');

    // --- a talent signs up and sets a profile and a price -------------------------------------------
    const talent = await newPage();
    const talentName = `Tess Talent ${tag}`;
    await signUpAndLogIn(talent, { name: 'Tess', email: `talent-${tag}@example.test`, kind: 'talent' });
    await talent.getByRole('link', { name: 'Studio' }).click();
    await talent.getByLabel('Display name').fill(talentName);
    await talent.getByLabel('Category').fill('Music');
    await talent.getByLabel('Price', { exact: true }).fill('25');
    await talent.getByRole('button', { name: 'Save profile' }).click();
    await talent.getByText('Profile saved.').waitFor();

    // --- a fan signs up (a readable error first), finds the talent and orders a shoutout ---------------
    const fan = await newPage();
    await fan.goto('/signup');
    await fan.getByLabel('Name').fill('Fiona');
    await fan.getByLabel('Email').fill(`fan-${tag}@example.test`);
    await fan.getByLabel('Password').fill('short');
    await fan.getByRole('button', { name: 'Sign up' }).click();
    // The problem's errors[] shows next to the field it names.
    const passwordField = fan.locator('.field', { has: fan.getByLabel('Password') });
    await expect(passwordField.locator('.field-error').textContent({ timeout: 10_000 })).resolves.toMatch(/\S/);
    await visit(fan, 'signup-error');
    await signUpAndLogIn(fan, { name: 'Fiona', email: `fan-${tag}@example.test`, kind: 'fan' }, true);

    await fan.goto('/');
    await fan.getByLabel('Search talents').fill(tag);
    await fan.getByRole('link', { name: talentName }).waitFor();
    await visit(fan, 'storefront');
    await fan.getByRole('link', { name: talentName }).click();
    await fan.getByLabel('Who is it for?').fill('Grandma Rose');
    await fan.getByLabel('Occasion').fill('Birthday');
    await fan.getByLabel('Instructions').fill('Wish her a happy 90th!');
    await visit(fan, 'talent-page');
    await fan.getByRole('button', { name: /^Order for/ }).click();
    await fan.waitForURL(/\/orders\/shr_|\/orders\/[^/]+$/);
    await fan.getByTestId('order-status').filter({ hasText: 'requested' }).waitFor({ timeout: 30_000 });
    await visit(fan, 'order-requested');

    // --- the talent accepts and uploads a real clip through the file input ---------------------------
    await talent.goto('/studio');
    const card = talent.getByRole('listitem').filter({ hasText: 'Grandma Rose' });
    await card.getByRole('button', { name: 'Accept' }).click();
    await card.getByLabel('Video for Grandma Rose').setInputFiles(clip);
    await visit(talent, 'studio-accepted');
    await card.getByRole('button', { name: 'Upload video' }).click();
    // The progress bar runs to the end; then the order leaves "accepted" (processing, then delivered).
    await talent.getByRole('progressbar').waitFor();
    await card.getByRole('button', { name: 'Upload video' }).waitFor({ state: 'detached', timeout: 60_000 });

    // --- the fan sees the live status reach delivered and watches the video --------------------------
    await fan.getByTestId('order-status').filter({ hasText: 'delivered' }).waitFor({ timeout: 120_000 });
    const video = fan.getByTestId('delivered-video');
    await video.waitFor();
    const duration = await video.evaluate(
      (el: { readyState: number; duration: number; error: { code: number } | null; addEventListener(type: string, listener: () => void): void }) =>
        new Promise<number>((resolve, reject) => {
          if (el.readyState >= 1) return resolve(el.duration);
          el.addEventListener('loadedmetadata', () => resolve(el.duration));
          el.addEventListener('error', () => reject(new Error(`video error ${el.error?.code}`)));
        }),
    );
    expect(duration).toBeGreaterThan(1);
    await expect(fan.getByRole('link', { name: 'Download the video' }).getAttribute('download')).resolves.toMatch(/\.mp4$/);
    await visit(fan, 'order-delivered');
    // A declined test card: the order fails with the reason shown. Another order, cancelled before acceptance.
    await fan.goto('/');
    await fan.getByLabel('Search talents').fill(tag);
    await fan.getByRole('link', { name: talentName }).click();
    await fan.getByLabel('Who is it for?').fill('Uncle Bob');
    await fan.getByLabel('Occasion').fill('Retirement');
    await fan.getByText('Visa ending 0002 — declined').click();
    await fan.getByRole('button', { name: /^Order for/ }).click();
    await fan.getByTestId('order-status').filter({ hasText: 'payment failed' }).waitFor({ timeout: 30_000 });
    await expect(fan.locator('.facts').textContent()).resolves.toMatch(/declined/i);
    await visit(fan, 'order-payment-failed');
    await fan.goBack();
    await fan.getByLabel('Who is it for?').fill('Cousin Ann');
    await fan.getByLabel('Occasion').fill('Wedding');
    await fan.getByRole('button', { name: /^Order for/ }).click();
    await fan.getByTestId('order-status').filter({ hasText: 'requested' }).waitFor({ timeout: 30_000 });
    await fan.getByText('Cancel this order…').click();
    await fan.getByLabel('Reason (optional)').fill('Changed my mind');
    await fan.getByRole('button', { name: 'Cancel the order' }).click();
    await fan.getByTestId('order-status').filter({ hasText: 'cancelled' }).waitFor({ timeout: 30_000 });
    await fan.getByRole('link', { name: 'My orders' }).click();
    await fan.getByRole('cell', { name: 'Grandma Rose' }).waitFor();
    await visit(fan, 'my-orders');
    await talent.goto('/studio');
    await talent.getByRole('cell', { name: 'Grandma Rose' }).waitFor();
    await visit(talent, 'studio-earnings');

    // --- the same fan, as a customer, subscribes (keyboard only) and cancels --------------------------
    await fan.goto('/shop');
    await fan.getByRole('heading', { name: `Premium ${tag}` }).waitFor();
    await visit(fan, 'shop');
    const subscribe = fan.getByRole('button', { name: /^Subscribe/ }).last();
    await tabTo(fan, subscribe);
    await fan.keyboard.press('Enter');
    const dialog = fan.getByRole('dialog');
    await dialog.waitFor();
    await visit(fan, 'checkout');
    await tabTo(fan, dialog.getByRole('button', { name: /^Pay/ }));
    await fan.keyboard.press('Enter');
    await fan.waitForURL(/\/subscriptions$/);
    const sub = fan.getByRole('listitem').filter({ hasText: `Premium ${tag}` });
    await sub.getByText('active', { exact: true }).waitFor({ timeout: 30_000 });
    await visit(fan, 'subscription-active');
    await sub.getByRole('button', { name: 'Cancel now' }).click();
    await sub.getByText('cancelled', { exact: true }).waitFor({ timeout: 30_000 });
    await visit(fan, 'subscription-cancelled');
    // A film bought lands in the library.
    await fan.goto('/shop');
    await fan.getByRole('button', { name: 'Buy — $4.99' }).click();
    await fan.getByRole('dialog').getByRole('button', { name: /^Pay/ }).click();
    await fan.waitForURL(/\/library$/);
    await fan.getByRole('heading', { name: `Film ${tag}` }).waitFor({ timeout: 30_000 });
    await visit(fan, 'library');

    // --- the admin refunds the shoutout payment and sees it on the dashboard ------------------------------
    await admin.goto('/admin/payments');
    await admin.getByLabel('Kind').selectOption('shoutout');
    await admin.getByRole('button', { name: 'Filter' }).click();
    await admin.getByRole('cell', { name: /shoutout-/ }).first().waitFor();
    await visit(admin, 'admin-payments');
    await admin.getByRole('row').filter({ hasText: 'captured' }).first().getByRole('link').first().click();
    await admin.getByLabel('Reason').fill('Customer asked for a refund');
    await visit(admin, 'admin-payment');
    await admin.getByRole('button', { name: 'Refund' }).click();
    await expect(admin.getByTestId('payment-refunded').filter({ hasText: '25.00' }).waitFor({ timeout: 30_000 })).resolves.toBeUndefined();
    await admin.getByRole('link', { name: 'Dashboard' }).click();
    // The shoutout's $25.00 (plus whatever cancelling the subscription now refunded) shows as refunded today.
    const refunded = admin.getByTestId('refunded-total');
    await refunded.waitFor();
    expect(Number((await refunded.textContent())!.replace(/[^0-9.]/g, ''))).toBeGreaterThanOrEqual(25);
    await admin.getByRole('img', { name: /Revenue per day \(USD\)/ }).waitFor();
    await visit(admin, 'admin-dashboard');
    // Only a closed month freezes into payouts (the current one is a preview): the delivered order is
    // dated last month, and that month's payouts are read once through the API, as the export would.
    const last = new Date();
    last.setUTCDate(1);
    last.setUTCMonth(last.getUTCMonth() - 1);
    const lastMonth = last.toISOString().slice(0, 7);
    await stack.deps.db('shoutout_orders').whereNotNull('delivered_at').update({ delivered_at: `${lastMonth}-15T12:00:00Z` });
    const login = await stack.http.post('/v1/auth/token', { email: adminEmail, password: PASSWORD });
    expect((await stack.http.get(`/v1/admin/payouts?month=${lastMonth}`, { token: login.body.accessToken })).status).toBe(200);
    // The payouts import rejects a bad file whole and names every bad line.
    await admin.goto('/admin/payouts');
    await admin.getByLabel(/CSV file/).setInputFiles({ name: 'bank.csv', mimeType: 'text/csv', buffer: Buffer.from('payout_id,status,paid_at,reference\npo_nope,paid,2026-11-30,BANK-1\npo_nope2,maybe,,\n') });
    await admin.getByRole('button', { name: 'Import' }).click();
    await admin.getByRole('alert').filter({ hasText: 'nothing was applied' }).waitFor();
    await expect(admin.getByRole('alert').locator('li').count()).resolves.toBeGreaterThanOrEqual(2);
    await visit(admin, 'admin-payouts-import-rejected');
    const payout = await stack.deps.db('shoutout_payouts').where({ status: 'pending' }).orderBy('month', 'desc').first();
    await admin.getByLabel(/CSV file/).setInputFiles({ name: 'bank.csv', mimeType: 'text/csv', buffer: Buffer.from(`payout_id,status,paid_at,reference\n${payout.id},paid,2026-11-30,BANK-${tag}\n`) });
    await admin.getByRole('button', { name: 'Import' }).click();
    await admin.getByText('Imported: 1 payout(s) updated, 0 unchanged.').waitFor();
    await admin.locator('input[type=month]').fill(lastMonth);
    await admin.getByRole('cell', { name: 'paid', exact: true }).waitFor();
    // Every subscription and order, with its process in the Temporal UI.
    await admin.goto('/admin/subscriptions');
    await admin.getByRole('cell', { name: `Premium ${tag}` }).waitFor();
    await expect(admin.getByRole('link', { name: /^subscription-/ }).first().getAttribute('href')).resolves.toMatch(/\/namespaces\/default\/workflows\/subscription-/);
    await visit(admin, 'admin-subscriptions');
    await admin.goto('/admin/shoutouts');
    // The refund went through the order: it shows there too (price and refunded both $25.00).
    await admin.getByRole('row').filter({ hasText: talentName }).getByText('$25.00').nth(1).waitFor();
    await visit(admin, 'admin-shoutouts');
    await admin.goto('/admin/accounts');
    await admin.getByLabel('Email or name').fill(`fan-${tag}`);
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.getByRole('button', { name: `Deactivate fan-${tag}@example.test` }).waitFor();
    await visit(admin, 'admin-accounts');
    for (const section of ['splits', 'starkbank']) {
      await admin.goto(`/admin/${section}`);
      await admin.getByRole('heading', { level: 1 }).waitFor();
      await visit(admin, `admin-${section}`);
    }

    // --- logging out ends the cookie session: a reload stays logged out ---------------------------------
    await fan.getByRole('button', { name: 'Log out' }).click();
    await fan.getByRole('link', { name: 'Log in' }).waitFor();
    await fan.reload();
    await fan.getByRole('link', { name: 'Log in' }).waitFor();

    expect(findings).toEqual([]);
    expect(fs.readdirSync(SHOTS_DIR).length).toBeGreaterThanOrEqual(20);
  }, 420_000);

  it('a channel owner creates a channel and uploads a clip that processes then publishes; a viewer subscribes, watches (HLS), votes and comments; the owner replies', async () => {
    const ctag = Math.random().toString(36).slice(2, 7);
    const handle = `clips-${ctag}`;
    const channelName = `Clips ${ctag}`;
    const title = `Test pattern ${ctag}`;

    // --- the owner creates a channel (a taken handle shows its error under the field) -----------------
    const owner = await newPage();
    await signUpAndLogIn(owner, { name: 'Olga', email: `owner-${ctag}@example.test`, kind: 'fan' });
    await owner.getByRole('link', { name: 'Channels', exact: true }).click();
    await owner.getByRole('heading', { name: 'Create a channel' }).waitFor();
    await visit(owner, 'channels');
    await owner.getByLabel('Name', { exact: true }).fill(channelName);
    await owner.getByLabel('Handle').fill(handle);
    await owner.getByLabel('Description').fill('Short clips, made by ffmpeg.');
    await owner.getByRole('button', { name: 'Create channel' }).click();
    await owner.waitForURL(new RegExp(`/channels/${handle}$`));
    await owner.getByRole('heading', { name: channelName, level: 1 }).waitFor();
    await owner.goto('/channels');
    await owner.getByLabel('Name', { exact: true }).fill('Another');
    await owner.getByLabel('Handle').fill(handle.toUpperCase());
    await owner.getByRole('button', { name: 'Create channel' }).click();
    const handleField = owner.locator('.field', { has: owner.getByLabel('Handle') });
    await expect(handleField.locator('.field-error').textContent({ timeout: 10_000 })).resolves.toMatch(/taken/);
    await visit(owner, 'channels-handle-taken');

    // --- a video: the draft, then its file through the file input, processing, published -------------
    await owner.getByRole('link', { name: channelName }).first().click();
    await owner.getByRole('link', { name: 'Add a video or track' }).click();
    await owner.getByLabel('Title').fill(title);
    await owner.getByLabel('Description').fill('Two seconds of colour bars and a tone.');
    await visit(owner, 'content-new');
    await owner.getByRole('button', { name: 'Create the video' }).click();
    await owner.waitForURL(/\/watch\/cnt_/);
    const contentPath = new URL(owner.url()).pathname;
    await owner.getByTestId('content-status').filter({ hasText: 'draft' }).waitFor();
    await owner.getByLabel(/^Video file/).setInputFiles(clip);
    await visit(owner, 'content-draft');
    await owner.getByRole('button', { name: 'Upload', exact: true }).click();
    await owner.getByTestId('content-status').filter({ hasText: 'processing' }).waitFor({ timeout: 30_000 });
    await shots.take(owner, 'content-processing');
    await owner.getByTestId('content-status').filter({ hasText: 'published' }).waitFor({ timeout: 120_000 });
    await owner.getByTestId('content-video').waitFor();
    await visit(owner, 'content-published-owner');

    // --- a viewer finds it on Discover, subscribes, watches it through HLS ------------------------------
    const viewer = await newPage();
    await signUpAndLogIn(viewer, { name: 'Vic', email: `viewer-${ctag}@example.test`, kind: 'fan' });
    await viewer.getByRole('link', { name: 'Discover' }).click();
    await viewer.getByRole('link', { name: 'Newest' }).click();
    await viewer.getByRole('link', { name: title }).waitFor();
    await visit(viewer, 'discover');
    // hls.js fetches the playlist as soon as the player mounts.
    const playlist = viewer.waitForResponse((r) => /\.m3u8(\?|$)/.test(r.url()) && r.status() === 200);
    await viewer.getByRole('link', { name: title }).click();
    await viewer.waitForURL(new RegExp(`${contentPath}$`));
    await viewer.getByText('Email me about new uploads').click();
    await viewer.getByRole('button', { name: 'Subscribe' }).click();
    await viewer.getByText('Subscribed, with upload emails.').waitFor();

    const viewReport = viewer.waitForResponse((r) => r.url().endsWith('/views') && r.request().method() === 'POST');
    const video = viewer.getByTestId('content-video');
    await video.waitFor();
    await playlist;
    type Media = { muted: boolean; currentTime: number; readyState: number; play(): Promise<void> };
    await video.evaluate((el: Media) => {
      el.muted = true; // headless autoplay needs a muted element
      return el.play();
    });
    await viewer.waitForFunction((el: Media) => el.currentTime > 0.5, await video.elementHandle(), { timeout: 30_000 });
    expect(await video.evaluate((el: Media) => el.readyState)).toBeGreaterThanOrEqual(2);
    expect((await viewReport).status()).toBe(202);

    // Keyboard alone: Tab to the up vote, Space presses it.
    const up = viewer.getByRole('button', { name: /^Up \d+$/ });
    await tabTo(viewer, up, 80);
    await viewer.keyboard.press('Space');
    await viewer.getByRole('button', { name: /^Up \d+$/, pressed: true }).waitFor();
    await viewer.getByLabel('Add a comment').fill(`Lovely bars ${ctag}!`);
    await viewer.getByRole('button', { name: 'Comment', exact: true }).click();
    await viewer.getByText(`Lovely bars ${ctag}!`).waitFor();
    // The flush applies the vote and the view within seconds; the page polls.
    await viewer.getByRole('button', { name: 'Up 1' }).waitFor({ timeout: 30_000 });
    await viewer.getByText(/1 view\b/).waitFor({ timeout: 30_000 });
    await visit(viewer, 'content-viewer');

    // --- the owner replies to the comment ---------------------------------------------------------------
    await owner.reload();
    const comment = owner.getByRole('listitem').filter({ hasText: `Lovely bars ${ctag}!` });
    await comment.getByRole('button', { name: 'Reply to Vic' }).click();
    await owner.getByLabel('Your reply to Vic').fill(`Thanks ${ctag}!`);
    await owner.getByRole('button', { name: 'Post reply' }).click();
    await owner.getByText(`Thanks ${ctag}!`).waitFor();
    await owner.getByRole('button', { name: 'Hide replies' }).waitFor();
    await visit(owner, 'content-owner-replied');

    // --- the viewer sees the thread and the counts -----------------------------------------------------
    await viewer.reload();
    await viewer.getByRole('button', { name: 'Show 1 reply' }).click();
    const reply = viewer.getByRole('listitem', { name: 'Comment by Olga (channel owner)' });
    await expect(reply.textContent()).resolves.toContain(`Thanks ${ctag}!`);
    await expect(viewer.locator('.comments').first().locator(':scope > li').count()).resolves.toBe(1);
    await viewer.getByRole('button', { name: 'Up 1' }).waitFor();
    await viewer.getByRole('button', { name: 'Down 0' }).waitFor();
    await viewer.getByText(/^@.* · 1 subscriber$/).waitFor({ timeout: 30_000 });
    await visit(viewer, 'content-viewer-thread');
    await viewer.goto(`/channels/${handle}`);
    await viewer.getByRole('link', { name: title }).waitFor();
    await visit(viewer, 'channel-viewer');

    // --- the owner makes the viewer an admin who may moderate comments -----------------------------------
    await owner.goto(`/channels/${handle}`);
    await owner.getByText(/1 subscriber/).waitFor();
    await visit(owner, 'channel-owner');
    await owner.getByRole('link', { name: 'Manage channel' }).click();
    await owner.getByRole('heading', { name: 'Add an admin' }).waitFor();
    await owner.getByText('Moderate comments').click();
    await owner.getByRole('checkbox', { name: 'Moderate comments', checked: true }).waitFor();
    await owner.getByRole('button', { name: 'Make admin' }).click();
    await owner.getByRole('button', { name: 'Remove admin Vic' }).waitFor();
    await visit(owner, 'channel-manage');
    // The new admin sees the team's view of the channel.
    await viewer.goto(`/channels/${handle}/manage`);
    await viewer.getByRole('heading', { name: 'Admins' }).waitFor();
    await viewer.getByRole('listitem', { name: 'Admin Vic' }).waitFor();
    await viewer.getByText(/Moderate comments/).waitFor();

    // --- the viewer edits their comment; the owner turns comments off --------------------------------
    await viewer.goto(contentPath);
    const own = viewer.getByRole('listitem', { name: 'Comment by You' });
    await own.getByRole('button', { name: 'Edit' }).click();
    await viewer.getByLabel('Edit your comment').fill(`Lovely bars ${ctag}, edited!`);
    await viewer.getByRole('button', { name: 'Save comment' }).click();
    await viewer.getByText(`Lovely bars ${ctag}, edited!`).waitFor();
    await own.getByText('edited', { exact: false }).first().waitFor();
    await owner.goto(contentPath);
    await owner.getByRole('button', { name: 'Turn comments off' }).click();
    await owner.getByRole('button', { name: 'Turn comments on' }).waitFor();
    await viewer.reload();
    await viewer.getByText('Comments are turned off for this content.').waitFor();
    await expect(viewer.getByLabel('Add a comment').count()).resolves.toBe(0);
    await visit(viewer, 'content-comments-off');

    // --- a track: the audio player and its waveform ---------------------------------------------------
    await owner.goto(`/channels/${handle}/new`);
    await owner.getByText('Track', { exact: true }).click();
    await owner.getByLabel('Title').fill(`Tone ${ctag}`);
    await owner.getByLabel('Artist').fill('The Oscillators');
    await owner.getByRole('button', { name: 'Create the track' }).click();
    await owner.waitForURL(/\/watch\/cnt_/);
    await owner.getByLabel(/^Audio file/).setInputFiles(tone);
    await owner.getByRole('button', { name: 'Upload', exact: true }).click();
    await owner.getByTestId('content-status').filter({ hasText: 'published' }).waitFor({ timeout: 120_000 });
    await owner.getByTestId('content-audio').waitFor();
    await owner.locator('.waveform rect').first().waitFor();
    await visit(owner, 'content-track');

    expect(findings).toEqual([]);
  }, 360_000);
});
