import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack, type HttpResponse } from '../harness/stack';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Finding 2 of the hardening issue: ordinary bad input that reached PostgreSQL and came back as
 * 500s. Each must be a 400 problem naming the field.
 */
describe('hardening: text and cursors PostgreSQL cannot take are 400s naming the field', () => {
  let stack: TestStack;
  let fan: TestAccount;
  let talent: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    stack = await startTestStack({ worker: false });
    fan = await createActiveAccount(stack.deps, { kind: 'fan' });
    talent = await createActiveAccount(stack.deps, { kind: 'talent' });
    admin = await createActiveAccount(stack.deps, { roles: ['admin'] });
  });
  afterAll(() => stack.stop());

  function expect400(res: HttpResponse, field: string) {
    expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({ status: 400, type: 'application/problem+json' });
    expect(res.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
  }

  it('NUL bytes in JSON bodies: signup and login emails, order instructions', async () => {
    expect400(await stack.http.post('/v1/accounts', { email: 'ana\u0000@example.com', password: 'correct horse battery', name: 'Ana', kind: 'fan' }), 'email');
    expect400(await stack.http.post('/v1/accounts', { email: 'ana@example.com', password: 'correct horse battery', name: 'A\u0000na', kind: 'fan' }), 'name');
    expect400(await stack.http.post('/v1/auth/token', { email: 'ana\u0000@example.com', password: 'x' }), 'email');
    expect400(await stack.http.post('/v1/auth/token', { email: 'ana@example.com', password: 'pass\u0000word' }), 'password');
    expect400(await stack.http.post('/v1/shoutouts', { talentId: talent.id, recipientName: 'Ana', occasion: 'birthday', instructions: 'hi\u0000', paymentMethod: 'pm_card_visa' }, { token: fan.token }), 'instructions');
  });

  it('lone UTF-16 surrogates in text fields', async () => {
    const profile = { displayName: 'Star', bio: 'I sing \ud800', category: 'music', price: { amount: 5000, currency: 'USD' }, turnaroundDays: 7 };
    expect400(await stack.http.put('/v1/talents/me', profile, { token: talent.token }), 'bio');
    expect400(await stack.http.put('/v1/talents/me', { ...profile, bio: 'ok', displayName: '\udc00Star' }, { token: talent.token }), 'displayName');
  });

  it('NUL bytes in path ids and query strings, before authentication and idempotency', async () => {
    expect400(await stack.http.get('/v1/products/%00'), 'id');
    expect400(await stack.http.get('/v1/talents/a%00b'), 'id');
    expect400(await stack.http.get('/v1/talents?q=%00'), 'q');
    expect400(await stack.http.post('/v1/admin/payments/%00/refund', {}, { token: admin.token, headers: { 'Idempotency-Key': 'k-nul-path' } }), 'id');
    expect400(await stack.http.post('/v1/products/%00', {}, { headers: { 'Idempotency-Key': 'k-nul-anon' } }), 'id');
    expect400(await stack.http.get('/v1/no-such-route/%00'), 'path');
  });

  it('well-formed but foreign cursors on every list', async () => {
    const doc = (await stack.http.get('/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
    const lists = Object.entries(doc.paths).flatMap(([path, item]) => (item.get?.parameters?.some((p) => p.in === 'query' && p.name === 'cursor') ? [path] : []));
    expect(lists.length).toBeGreaterThanOrEqual(12);
    const cursors = [b64(['abc', 'x']), b64(['0000-01-01T00:00:00.000Z', 'x']), b64(['2026-01-01T00:00:00.000Z', 'a\u0000']), b64(['2026-01-01T00:00:00.000Z']), '9223372036854775808', '%00'];
    for (const list of lists) {
      const path = list.replace(/\{[^}]+\}/g, 'nope_1');
      for (const cursor of cursors) {
        const res = await stack.http.get(`${path}?cursor=${cursor}`, { token: admin.token });
        // A list under a resource that does not exist may say so first; never anything but a 4xx problem.
        if (path !== list && res.status === 404) continue;
        expect({ list, cursor, status: res.status }).toEqual({ list, cursor, status: 400 });
        expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      }
    }
  });

  it('docs assets are looked up by own name only: __proto__, constructor and toString are 400 problems naming the file, an unknown file a 404', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await stack.http.get(`/docs/assets/${name}`);
      expect({ name, status: res.status, type: res.headers.get('content-type'), fields: (res.body as { errors?: { field: string }[] }).errors?.map((e) => e.field) }).toEqual({ name, status: 400, type: 'application/problem+json', fields: ['file'] });
    }
    const missing = await stack.http.get('/docs/assets/nothing-here.css');
    expect({ status: missing.status, type: missing.headers.get('content-type') }).toEqual({ status: 404, type: 'application/problem+json' });
    expect((await stack.http.get('/docs/assets/swagger-ui.css')).status).toBe(200);
  });
});
