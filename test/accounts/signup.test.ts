import { signupWorkflowId } from '../../api/routes/accounts/signup';
import { eventually, startTestStack, type TestStack } from '../harness/stack';
import { mailbox, otherCode, PASSWORD, signUp, uniqueEmail, waitForCode } from './helpers';

describe('signup: email code verification as a workflow update', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { VERIFICATION_RESEND_INTERVAL: '2s' } });
  });
  afterAll(() => stack.stop());

  it('signs up, emails a code, verifies it with an update, and then logs in', async () => {
    const email = uniqueEmail('happy');
    const res = await stack.http.post('/v1/accounts', { email: email.toUpperCase(), password: PASSWORD, name: 'Ana <b>Happy</b>', kind: 'talent' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.stringMatching(/^acc_/), status: 'pending_verification' });
    const id = res.body.id as string;

    const code = await waitForCode(stack, email);
    const [mail] = await mailbox(stack, email);
    expect(mail.to).toBe(email);
    expect(mail.subject).toBe(`Your Limelight verification code: ${code}`);
    expect(mail.text).toContain('Hi Ana <b>Happy</b>,');
    expect(mail.text).toContain('valid for 15 minutes');
    expect(mail.html).toContain('Ana &lt;b&gt;Happy&lt;/b&gt;'); // escaped in HTML

    // Before verification: the password is right but the account may not log in.
    const early = await stack.http.post('/v1/auth/token', { email, password: PASSWORD });
    expect(early.status).toBe(403);
    expect(early.body).toMatchObject({ type: expect.stringContaining('account-not-verified'), reason: 'pending_verification' });

    const verified = await stack.http.post('/v1/accounts/verify', { email, code });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ id, status: 'active' });
    const row = await stack.deps.db('accounts').where({ id }).first();
    expect(row).toMatchObject({ status: 'active', kind: 'talent', email, roles: ['normal'] });
    expect(row.verified_at).toBeInstanceOf(Date);
    expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);

    const handle = stack.deps.temporal.workflow.getHandle(signupWorkflowId(id));
    expect(await handle.result()).toEqual({ status: 'active' });
    // The code never enters workflow history in plain text (only its HMAC does).
    const history = JSON.stringify(await handle.fetchHistory());
    const payloads = [...history.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8')).join('\n');
    expect(payloads).toContain(id);
    expect(payloads).not.toContain(code);

    const login = await stack.http.post('/v1/auth/token', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    const me = await stack.http.get('/v1/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id, email, status: 'active', kind: 'talent', roles: ['normal'] });

    // Verifying again is a conflict, not a second activation.
    const again = await stack.http.post('/v1/accounts/verify', { email, code });
    expect(again.status).toBe(409);
  });

  it('refuses a duplicate email (whatever its case) with 409 naming the field', async () => {
    const { email } = await signUp(stack);
    const dup = await stack.http.post('/v1/accounts', { email: ` ${email.toUpperCase()} `, password: PASSWORD, name: 'Dup', kind: 'fan' });
    expect(dup.status).toBe(409);
    expect(dup.headers.get('content-type')).toContain('application/problem+json');
    expect(dup.body.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
    expect(await stack.deps.db('accounts').where({ email }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('rejects bad input without writing anything: short password 422, malformed fields 400', async () => {
    const email = uniqueEmail('bad');
    const short = await stack.http.post('/v1/accounts', { email, password: 'short', name: 'X', kind: 'fan' });
    expect(short.status).toBe(422);
    expect(short.body.errors).toEqual([{ field: 'password', message: 'must be at least 10 characters' }]);
    const malformed = await stack.http.post('/v1/accounts', { email: 'not-an-email', password: PASSWORD, name: 'X', kind: 'admin' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'kind']);
    const badCode = await stack.http.post('/v1/accounts/verify', { email, code: '12ab' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.errors[0].field).toBe('code');
    expect(await stack.deps.db('accounts').where({ email }).first()).toBeUndefined();
    const unknown = await stack.http.post('/v1/accounts/verify', { email, code: '123456' });
    expect(unknown.status).toBe(404);
  });

  it('answers a wrong code with 422 and the attempts left, then accepts the right one', async () => {
    const { id, email } = await signUp(stack);
    const code = await waitForCode(stack, email);
    const wrong = await stack.http.post('/v1/accounts/verify', { email, code: otherCode(code) });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toMatchObject({ attemptsLeft: 4, errors: [{ field: 'code', message: 'is wrong' }] });
    const right = await stack.http.post('/v1/accounts/verify', { email, code });
    expect(right.status).toBe(200);
    expect((await stack.deps.db('accounts').where({ id }).first()).status).toBe('active');
  });

  it('locks the code after 5 wrong attempts; only a new code (which replaces the old) verifies', async () => {
    const { id, email } = await signUp(stack);
    const code = await waitForCode(stack, email);
    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await stack.http.post('/v1/accounts/verify', { email, code: otherCode(code) });
      expect(res.status).toBe(422);
      left.push(res.body.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    const locked = await stack.http.post('/v1/accounts/verify', { email, code });
    expect(locked.status).toBe(422);
    expect(locked.body).toMatchObject({ type: expect.stringContaining('code-locked'), attemptsLeft: 0 });
    expect((await stack.deps.db('accounts').where({ id }).first()).status).toBe('pending_verification');

    const resent = await eventually(async () => {
      const res = await stack.http.post('/v1/accounts/resend-code', { email });
      return res.status === 202 ? res : undefined;
    }, { what: 'resend allowed' });
    expect(resent.body).toMatchObject({ id, status: 'pending_verification', codeExpiresAt: expect.any(String) });
    const fresh = await waitForCode(stack, email, 2);
    expect(fresh).not.toBe(code);
    const old = await stack.http.post('/v1/accounts/verify', { email, code });
    expect(old.status).toBe(422);
    const ok = await stack.http.post('/v1/accounts/verify', { email, code: fresh });
    expect(ok.status).toBe(200);
  });

  it('limits resends to one per interval (429 with Retry-After) and a new code invalidates the old', async () => {
    const { email } = await signUp(stack);
    const first = await waitForCode(stack, email);
    const tooSoon = await stack.http.post('/v1/accounts/resend-code', { email });
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(tooSoon.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    expect(await mailbox(stack, email)).toHaveLength(1);

    await new Promise((r) => setTimeout(r, Number(tooSoon.headers.get('retry-after')) * 1000));
    const resent = await stack.http.post('/v1/accounts/resend-code', { email });
    expect(resent.status).toBe(202);
    const second = await waitForCode(stack, email, 2);
    expect(second).not.toBe(first);
    const immediate = await stack.http.post('/v1/accounts/resend-code', { email });
    expect(immediate.status).toBe(429);

    const old = await stack.http.post('/v1/accounts/verify', { email, code: first });
    expect(old.status).toBe(422);
    expect((await stack.http.post('/v1/accounts/verify', { email, code: second })).status).toBe(200);
  });

  it('lists the dev mailbox newest last, filtered by recipient, and documents the routes in OpenAPI', async () => {
    const { email } = await signUp(stack);
    await waitForCode(stack, email);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await stack.http.post('/v1/accounts/resend-code', { email })).status).toBe(202);
    const items = await eventually(async () => {
      const all = await mailbox(stack, email);
      return all.length === 2 ? all : undefined;
    });
    expect(items.every((m) => m.to === email)).toBe(true);
    expect(new Date(items[0].sentAt).getTime()).toBeLessThanOrEqual(new Date(items[1].sentAt).getTime());
    expect(Object.keys(items[0]).sort()).toEqual(['html', 'id', 'sentAt', 'subject', 'text', 'to']);
    const spec = await stack.http.get('/openapi.json');
    expect(spec.status).toBe(200);
    for (const path of ['/v1/accounts', '/v1/accounts/verify', '/v1/accounts/resend-code', '/v1/auth/token', '/v1/auth/refresh', '/v1/auth/logout', '/v1/me', '/v1/admin/accounts/{id}/deactivate', '/dev/mailbox']) {
      expect(spec.body.paths[path]).toBeDefined();
    }
  });
});

describe('the dev mailbox in production', () => {
  it('is not served', async () => {
    const stack = await startTestStack({ worker: false, env: { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-characters', STRIPE_WEBHOOK_SECRET: 'whsec_production_test', PUBLIC_BASE_URL: 'https://api.limelight.example', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'false' } });
    try {
      expect((await stack.http.get('/dev/mailbox?to=a@example.test')).status).toBe(404);
    } finally {
      await stack.stop();
    }
  });
});
