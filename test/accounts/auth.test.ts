import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { decode } from 'hono/jwt';
import { createActiveAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { accountWithPassword, PASSWORD, uniqueEmail } from './helpers';

describe('auth: tokens, refresh rotation, roles', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Logins need no workflow: API only.
    stack = await startTestStack({ worker: false });
  });
  afterAll(() => stack.stop());

  const login = (email: string, password = PASSWORD) => stack.http.post('/v1/auth/token', { email, password });

  it('issues an HS256 access token with sub, roles and kind, and an opaque refresh token stored hashed', async () => {
    const account = await accountWithPassword(stack.deps, { kind: 'talent' });
    const res = await login(account.email.toUpperCase());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.stringMatching(/^rt_/), expiresIn: 900, tokenType: 'Bearer' });
    const { header, payload } = decode(res.body.accessToken);
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: account.id, roles: ['normal'], kind: 'talent' });
    expect((payload.exp as number) - (payload.iat as number)).toBe(900);
    const stored = await stack.deps.db('refresh_tokens').where({ account_id: account.id });
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(res.body.refreshToken);
  });

  it('answers 401 for a wrong password or an unknown email, and 403 with a reason for unverified or deactivated accounts', async () => {
    const account = await accountWithPassword(stack.deps);
    expect((await login(account.email, 'wrong password!!')).status).toBe(401);
    const unknown = await login(uniqueEmail('nobody'));
    expect(unknown.status).toBe(401);
    expect(unknown.body.type).toContain('invalid-credentials');

    const pending = await accountWithPassword(stack.deps, { status: 'pending_verification' });
    const p = await login(pending.email);
    expect(p.status).toBe(403);
    expect(p.body).toMatchObject({ type: expect.stringContaining('account-not-verified'), reason: 'pending_verification' });
    // The status is only told to whoever knows the password.
    expect((await login(pending.email, 'wrong password!!')).status).toBe(401);

    const gone = await accountWithPassword(stack.deps, { status: 'deactivated' });
    const d = await login(gone.email);
    expect(d.status).toBe(403);
    expect(d.body).toMatchObject({ type: expect.stringContaining('account-deactivated'), reason: 'deactivated' });
  });

  it('rotates the refresh token on each use; reusing a rotated one revokes the whole family', async () => {
    const account = await accountWithPassword(stack.deps);
    const first = (await login(account.email)).body;
    const second = await stack.http.post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect(decode(second.body.accessToken).payload.sub).toBe(account.id);
    const third = await stack.http.post('/v1/auth/refresh', { refreshToken: second.body.refreshToken });
    expect(third.status).toBe(200);

    // A second session of the same account is another family and survives.
    const other = (await login(account.email)).body;

    // The first token was already rotated: presenting it again is theft or a replay.
    const reuse = await stack.http.post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.type).toContain('refresh-token-reused');
    // …and the newest token of that family is dead too.
    const afterReuse = await stack.http.post('/v1/auth/refresh', { refreshToken: third.body.refreshToken });
    expect(afterReuse.status).toBe(401);
    expect(afterReuse.body.type).toContain('invalid-refresh-token');
    const familyRows = await stack.deps.db('refresh_tokens').where({ account_id: account.id }).whereNotNull('revoked_at');
    expect(familyRows.map((r) => r.revoke_reason)).toEqual(['reuse-detected', 'reuse-detected', 'reuse-detected']);

    expect((await stack.http.post('/v1/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(200);
    expect((await stack.http.post('/v1/auth/refresh', { refreshToken: 'rt_made_up' })).status).toBe(401);
  });

  it('logs out by revoking the session; refresh then fails', async () => {
    const account = await accountWithPassword(stack.deps);
    const tokens = (await login(account.email)).body;
    const out = await stack.http.post('/v1/auth/logout', { refreshToken: tokens.refreshToken });
    expect(out.status).toBe(204);
    expect((await stack.http.post('/v1/auth/refresh', { refreshToken: tokens.refreshToken })).status).toBe(401);
    expect((await stack.http.post('/v1/auth/logout', { refreshToken: 'rt_unknown' })).status).toBe(204);
  });

  it('GET /v1/me needs a valid token', async () => {
    expect((await stack.http.get('/v1/me')).status).toBe(401);
    const bad = await stack.http.get('/v1/me', { token: 'not.a.jwt' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer');
    const fan = await createActiveAccount(stack.deps);
    const me = await stack.http.get('/v1/me', { token: fan.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: fan.id, email: fan.email, roles: ['normal'], status: 'active' });
    expect(me.body.passwordHash).toBeUndefined();
  });

  it('protects admin routes: 401 without a token, 403 with the wrong role, 200 for an admin', async () => {
    const fan = await createActiveAccount(stack.deps);
    const target = await accountWithPassword(stack.deps);
    const body = { role: 'premium', action: 'grant', reason: 'support gesture' };
    const anonymous = await stack.http.post(`/v1/admin/accounts/${target.id}/roles`, body);
    expect(anonymous.status).toBe(401);
    const forbidden = await stack.http.post(`/v1/admin/accounts/${target.id}/roles`, body, { token: fan.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.detail).toContain('admin');
    expect((await stack.http.post(`/v1/admin/accounts/${target.id}/deactivate`, undefined, { token: fan.token })).status).toBe(403);
    expect((await stack.deps.db('accounts').where({ id: target.id }).first()).roles).toEqual(['normal']);

    const admin = await createActiveAccount(stack.deps, { roles: ['admin'] });
    const granted = await stack.http.post(`/v1/admin/accounts/${target.id}/roles`, body, { token: admin.token });
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({ id: target.id, roles: ['premium'] });

    // A refresh picks up the new role (roles are read again at each rotation).
    const tokens = (await login(target.email)).body;
    expect(decode(tokens.accessToken).payload.roles).toEqual(['premium']);
    const revoked = await stack.http.post(`/v1/admin/accounts/${target.id}/roles`, { role: 'premium', action: 'revoke', reason: 'gesture over' }, { token: admin.token });
    expect(revoked.body.roles).toEqual(['normal']);
    const refreshed = await stack.http.post('/v1/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(decode(refreshed.body.accessToken).payload.roles).toEqual(['normal']);

    const history = await stack.http.get(`/v1/admin/accounts/${target.id}/roles`, { token: admin.token });
    expect(history.body.grants).toEqual([
      expect.objectContaining({ role: 'premium', source: `admin:${admin.id}`, reason: 'support gesture', revokedAt: expect.any(String), revokeReason: `gesture over (by admin:${admin.id})` }),
    ]);
    expect((await stack.http.post(`/v1/admin/accounts/acc_missing/roles`, body, { token: admin.token })).status).toBe(404);
    const badRole = await stack.http.post(`/v1/admin/accounts/${target.id}/roles`, { ...body, role: 'normal' }, { token: admin.token });
    expect(badRole.status).toBe(400);
    expect(badRole.body.errors[0].field).toBe('role');
  });
});

describe('npm run admin:create', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
  });
  afterAll(() => stack.stop());

  const run = (args: string[], env: Record<string, string>) =>
    promisify(execFile)(path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'), [path.resolve(__dirname, '..', '..', 'scripts', 'admin-create.ts'), ...args], {
      env: { ...process.env, DATABASE_URL: stack.config.DATABASE_URL, LOG_LEVEL: 'silent', ...env },
    });

  it('creates an active admin from ADMIN_PASSWORD who can log in and use admin routes', async () => {
    const email = uniqueEmail('root');
    const { stdout } = await run(['--email', email.toUpperCase(), '--name', 'Root Admin'], { ADMIN_PASSWORD: 'a long admin password' });
    const out = JSON.parse(stdout.trim());
    expect(out).toMatchObject({ email, status: 'active', roles: ['admin'], created: true });
    const grant = await stack.deps.db('role_grants').where({ account_id: out.id }).first();
    expect(grant).toMatchObject({ role: 'admin', source: 'cli:admin-create' });
    const login = await stack.http.post('/v1/auth/token', { email, password: 'a long admin password' });
    expect(login.status).toBe(200);
    expect(decode(login.body.accessToken).payload.roles).toEqual(['admin']);
    const target = await createActiveAccount(stack.deps);
    expect((await stack.http.get(`/v1/admin/accounts/${target.id}/roles`, { token: login.body.accessToken })).status).toBe(200);

    const short = await run(['--email', uniqueEmail('weak'), '--name', 'Weak'], { ADMIN_PASSWORD: 'short' }).catch((e: { code: number; stderr: string }) => e);
    expect(short).toMatchObject({ code: 2, stderr: expect.stringContaining('at least 10') });
  }, 90_000);
});

describe('auth: login rate limits (counters in PostgreSQL)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ worker: false, env: { TRUST_PROXY: 'true', LOGIN_MAX_ATTEMPTS_PER_EMAIL: '3', LOGIN_MAX_ATTEMPTS_PER_IP: '5', LOGIN_RATE_WINDOW: '1m' } });
  });
  afterAll(() => stack.stop());

  const loginFrom = (ip: string, email: string, password: string) => stack.http.post('/v1/auth/token', { email, password }, { headers: { 'x-forwarded-for': ip } });

  it('limits attempts per email (from any address) with 429 and Retry-After; a success resets the count', async () => {
    const account = await accountWithPassword(stack.deps);
    expect((await loginFrom('10.0.0.1', account.email, 'wrong password!!')).status).toBe(401);
    expect((await loginFrom('10.0.0.2', account.email, 'wrong password!!')).status).toBe(401);
    expect((await loginFrom('10.0.0.3', account.email, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await loginFrom(`10.0.1.${i}`, account.email, 'wrong password!!')).status).toBe(401);
    const limited = await loginFrom('10.0.2.1', account.email, PASSWORD);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({ status: 429, retryAfter });
  });

  it('limits attempts per client address across emails', async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < 5; i++) expect((await loginFrom(ip, uniqueEmail('spray'), 'wrong password!!')).status).toBe(401);
    const account = await accountWithPassword(stack.deps);
    expect((await loginFrom(ip, account.email, PASSWORD)).status).toBe(429);
    // Another address is not affected, and the counters are shared rows every API instance reads.
    expect((await loginFrom('192.0.2.78', account.email, PASSWORD)).status).toBe(200);
    const row = await stack.deps.db('auth_rate_limits').where({ key: `login:ip:${ip}` }).first();
    expect(row.hits).toBe(6);
  });
});
