import { randomUUID } from 'node:crypto';
import { startTestStack, type TestStack } from '../harness/stack';

/** Finding 8 of the hardening issue: signups are throttled per client address and per email domain, like login. */
describe('hardening: signup is rate limited', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // TRUST_PROXY: each test speaks from an address of its own (the run's other suites share 127.0.0.1).
    stack = await startTestStack({ worker: false, env: { TRUST_PROXY: 'true', SIGNUP_MAX_PER_IP: '5', SIGNUP_MAX_PER_EMAIL_DOMAIN: '3', SIGNUP_RATE_WINDOW: '1h' } });
  });
  afterAll(() => stack.stop());

  const signup = (email: string, ip: string) =>
    stack.http.post('/v1/accounts', { email, password: 'correct horse battery staple', name: 'Ana', kind: 'fan' }, { headers: { 'X-Forwarded-For': ip } });
  const ip = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${randomUUID().slice(0, 4)}`;

  it('20 rapid signups from one address: 5 accepted, then 429 with Retry-After, no account or hash for the rest', async () => {
    const from = ip();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await signup(`ana-${randomUUID().slice(0, 8)}@d${i}-${randomUUID().slice(0, 6)}.example`, from);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('many addresses, one email domain: 3 accepted, then 429', async () => {
    const domain = `spam-${randomUUID().slice(0, 8)}.example`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signup(`user${i}@${domain}`, ip())).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
    expect(await stack.deps.db('accounts').where('email', 'like', `%@${domain}`)).toHaveLength(3);
  });
});
