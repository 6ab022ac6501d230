/**
 * The server side of the web app on the real stack: the browser session (httpOnly cookie, rotation,
 * CSRF guards), the app served at / under a strict CSP, /v1/web/config, and the admin console's
 * endpoints (dashboard aggregates, lists, payouts import) — each against what it must refuse too.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createActiveAccount, type TestAccount } from '../../test/harness/accounts';
import { eventually, startTestStack, type TestStack } from '../../test/harness/stack';
import { buildWeb } from '../../scripts/web-build';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const PASSWORD = 'correct horse battery staple';
const GUARD = { 'x-limelight-session': '1' };

describe('web app server side', () => {
  let stack: TestStack;
  let adminEmail: string;
  let fan: TestAccount;

  const cookieOf = (res: { headers: Headers }) => res.headers.getSetCookie().find((c) => c.startsWith('limelight_refresh='));
  const login = (headers: Record<string, string> = GUARD) => stack.http.post('/v1/auth/session', { email: adminEmail, password: PASSWORD }, { headers });

  beforeAll(async () => {
    buildWeb({ onlyWhenMissing: true });
    stack = await startTestStack();
    adminEmail = `admin-${Date.now()}@example.test`;
    await run('npx', ['tsx', 'scripts/admin-create.ts', '--email', adminEmail, '--name', 'Api Admin'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: stack.config.DATABASE_URL, ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' } });
    fan = await createActiveAccount(stack.deps, { kind: 'fan' });
  }, 120_000);
  afterAll(() => stack?.stop());

  it('logs in with the refresh token only in an httpOnly, SameSite=Strict cookie scoped to the session routes', async () => {
    const res = await login();
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType']);
    const cookie = cookieOf(res)!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/v1\/auth\/session/);
    expect(cookie).not.toMatch(/Secure/); // secure only in production: the dev server is plain http
    const me = await stack.http.get('/v1/me', { token: res.body.accessToken });
    expect(me.body.email).toBe(adminEmail);
  });

  it('rotates the cookie on refresh; a replayed cookie revokes the session; logout clears it', async () => {
    const first = cookieOf(await login())!.split(';')[0];
    const refreshed = await stack.http.post('/v1/auth/session/refresh', undefined, { headers: { ...GUARD, cookie: first } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.accessToken).toEqual(expect.any(String));
    const second = cookieOf(refreshed)!.split(';')[0];
    expect(second).not.toBe(first);
    // The old cookie again: reuse is detected, the whole session dies and the cookie is cleared.
    const replay = await stack.http.post('/v1/auth/session/refresh', undefined, { headers: { ...GUARD, cookie: first } });
    expect(replay.status).toBe(401);
    expect(replay.body.type).toMatch(/refresh-token-reused$/);
    expect(cookieOf(replay)).toMatch(/Max-Age=0/);
    expect((await stack.http.post('/v1/auth/session/refresh', undefined, { headers: { ...GUARD, cookie: second } })).status).toBe(401);

    const third = cookieOf(await login())!.split(';')[0];
    const out = await stack.http.post('/v1/auth/session/logout', undefined, { headers: { ...GUARD, cookie: third } });
    expect(out.status).toBe(204);
    expect(cookieOf(out)).toMatch(/Max-Age=0/);
    expect((await stack.http.post('/v1/auth/session/refresh', undefined, { headers: { ...GUARD, cookie: third } })).status).toBe(401);
  });

  it('refuses session requests without the CSRF header or from another origin, and without a cookie', async () => {
    const noHeader = await login({});
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.errors.map((e: { field: string }) => e.field)).toContain('x-limelight-session');
    expect(cookieOf(noHeader)).toBeUndefined();
    const crossSite = await login({ ...GUARD, origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(cookieOf(crossSite)).toBeUndefined();
    expect((await login({ ...GUARD, origin: stack.api!.url })).status).toBe(200);
    const cookie = cookieOf(await login())!.split(';')[0];
    expect((await stack.http.post('/v1/auth/session/refresh', undefined, { headers: { cookie } })).status).toBe(400);
    expect((await stack.http.post('/v1/auth/session/refresh', undefined, { headers: { ...GUARD, cookie, origin: 'https://evil.example' } })).status).toBe(403);
    expect((await stack.http.post('/v1/auth/session/refresh', undefined, { headers: GUARD })).status).toBe(401);
    const wrong = await stack.http.post('/v1/auth/session', { email: adminEmail, password: 'not the password' }, { headers: GUARD });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
  });

  it('serves the app at / and its client routes, every asset local and gzipped, under a CSP without inline scripts', async () => {
    const res = await fetch(`${stack.api!.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//); // no CDN
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const a = await fetch(`${stack.api!.url}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
      expect({ asset, status: a.status, encoding: a.headers.get('content-encoding'), cache: a.headers.get('cache-control') }).toEqual({ asset, status: 200, encoding: 'gzip', cache: 'public, max-age=31536000, immutable' });
    }
    // Client-side routes get the app; the API's own paths keep their answers.
    expect((await stack.http.get('/orders/sho_123')).text).toBe(html);
    const missingApi = await stack.http.get('/v1/no-such-route');
    expect(missingApi.status).toBe(404);
    expect(missingApi.headers.get('content-type')).toContain('application/problem+json');
    expect((await stack.http.get('/assets/no-such-file.js')).status).toBe(404);
    expect((await stack.http.get('/assets/..%2F..%2Fpackage.json')).status).toBe(404);
  });

  it('tells clients the sandbox test cards, the dev mailbox and the Temporal UI', async () => {
    const res = await stack.http.get('/v1/web/config');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ environment: 'test', devMailbox: true, paymentsProvider: 'sandbox', temporalNamespace: 'default' });
    expect(res.body.testCards.map((c: { paymentMethod: string }) => c.paymentMethod)).toEqual(expect.arrayContaining(['pm_card_visa', 'pm_card_chargeDeclined']));
    expect(res.body.temporalUiUrl).toMatch(/^https?:\/\//);
    expect(res.body.viewCountsAfterSeconds).toBe(stack.config.VIEW_COUNTS_AFTER / 1000); // the player reports a view after this much playing
  });

  it('aggregates the dashboard from real payments, and lists subscriptions, orders and accounts for admins only', async () => {
    const token = (await login()).body.accessToken as string;
    for (const p of ['/v1/admin/dashboard', '/v1/admin/subscriptions', '/v1/admin/shoutouts', '/v1/admin/accounts']) {
      expect({ p, status: (await stack.http.get(p, { token: fan.token })).status }).toEqual({ p, status: 403 });
      expect({ p, status: (await stack.http.get(p)).status }).toEqual({ p, status: 401 });
    }
    const before = (await stack.http.get('/v1/admin/dashboard?days=7', { token })).body;
    // A film bought for real: one captured payment of 1500 USD today.
    const film = await stack.http.post('/v1/products', { kind: 'film', name: 'Dash film', price: { amount: 1500, currency: 'USD' } }, { token });
    expect(film.status).toBe(201);
    expect((await stack.http.post('/v1/purchases', { productId: film.body.id, paymentMethod: 'pm_card_visa' }, { token: fan.token })).status).toBe(202);
    const today = new Date().toISOString().slice(0, 10);
    const capturedToday = (d: { revenue: { day: string; currency: string; captured: number }[] }) => d.revenue.find((r) => r.day === today && r.currency === 'USD')?.captured ?? 0;
    await eventually(async () => {
      const after = (await stack.http.get('/v1/admin/dashboard?days=7', { token })).body;
      return capturedToday(after) - capturedToday(before) === 1500;
    }, { timeoutMs: 30_000, what: 'the film payment on the dashboard' });
    const dash = (await stack.http.get('/v1/admin/dashboard?days=7', { token })).body;
    expect(dash).toMatchObject({ days: 7, subscriptions: { active: expect.any(Number), mrr: expect.any(Array) }, starkbank: { issued: { count: expect.any(Number) } } });
    expect((await stack.http.get('/v1/admin/dashboard?days=0', { token })).status).toBe(400);

    const accounts = await stack.http.get(`/v1/admin/accounts?q=${encodeURIComponent(fan.email)}`, { token });
    expect(accounts.body.items).toEqual([expect.objectContaining({ id: fan.id, email: fan.email, status: 'active', kind: 'fan' })]);
    const page1 = await stack.http.get('/v1/admin/accounts?limit=1', { token });
    expect(page1.body.items).toHaveLength(1);
    const page2 = await stack.http.get(`/v1/admin/accounts?limit=1&cursor=${page1.body.nextCursor}`, { token });
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    expect((await stack.http.get('/v1/admin/accounts?cursor=garbage', { token })).status).toBe(400);
    expect((await stack.http.get('/v1/admin/subscriptions?status=active', { token })).body.items).toEqual(expect.any(Array));
  });

  it('imports the payouts CSV all or nothing, naming every bad line', async () => {
    const token = (await login()).body.accessToken as string;
    const csv = (text: string, type = 'text/csv') => stack.http.request('POST', '/v1/admin/payouts/import', { raw: text, token, headers: { 'content-type': type } });
    expect((await stack.http.request('POST', '/v1/admin/payouts/import', { raw: 'x', token: fan.token, headers: { 'content-type': 'text/csv' } })).status).toBe(403);
    expect((await csv('payout_id,status,paid_at,reference\n', 'application/json')).status).toBe(415);
    const bad = await csv('payout_id,status,paid_at,reference\npo_missing,paid,2026-11-30,R1\npo_other,maybe,,\n');
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['file.line[2]', 'file.line[3]']);
    const empty = await csv('payout_id,status,paid_at,reference\n');
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ applied: 0, unchanged: 0 });
  });
});
