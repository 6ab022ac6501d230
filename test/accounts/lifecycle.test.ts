import { purgeWorkflowId } from '../../api/routes/accounts/admin';
import { signupWorkflowId } from '../../api/routes/accounts/signup';
import { createActiveAccount } from '../harness/accounts';
import { eventually, startTestStack, type TestStack } from '../harness/stack';
import { accountWithPassword, PASSWORD, signUp, uniqueEmail, waitForCode } from './helpers';

describe('account lifecycle deadlines (short configured durations)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { SIGNUP_DEADLINE: '5s', VERIFICATION_CODE_TTL: '1s', DEACTIVATED_RETENTION: '2s' } });
  });
  afterAll(() => stack.stop());

  it('deletes an account left unverified past the signup deadline, freeing its email', async () => {
    const email = uniqueEmail('expire');
    const { id } = await signUp(stack, email);
    const result = await stack.deps.temporal.workflow.getHandle(signupWorkflowId(id)).result();
    expect(result).toEqual({ status: 'expired' });
    expect(await stack.deps.db('accounts').where({ id }).first()).toBeUndefined();
    // Closed signups answer as such rather than failing.
    expect((await stack.http.post('/v1/accounts/verify', { email, code: '123456' })).status).toBe(404);
    const again = await stack.http.post('/v1/accounts', { email, password: PASSWORD, name: 'Again', kind: 'fan' });
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(id);
  });

  it('refuses a code after its time to live', async () => {
    const { email } = await signUp(stack);
    const code = await waitForCode(stack, email);
    await new Promise((r) => setTimeout(r, 1500));
    const late = await stack.http.post('/v1/accounts/verify', { email, code });
    expect(late.status).toBe(422);
    expect(late.body.type).toContain('code-expired');
  });

  it('deactivates an account (no login, sessions revoked) and purges it after the retention', async () => {
    const admin = await createActiveAccount(stack.deps, { roles: ['admin'] });
    const target = await accountWithPassword(stack.deps);
    const tokens = (await stack.http.post('/v1/auth/token', { email: target.email, password: PASSWORD })).body;
    expect(tokens.refreshToken).toBeDefined();

    const res = await stack.http.post(`/v1/admin/accounts/${target.id}/deactivate`, undefined, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: target.id, status: 'deactivated', deactivatedAt: expect.any(String), purgeAfter: expect.any(String) });
    expect(new Date(res.body.purgeAfter).getTime() - new Date(res.body.deactivatedAt).getTime()).toBe(2000);

    const login = await stack.http.post('/v1/auth/token', { email: target.email, password: PASSWORD });
    expect(login.status).toBe(403);
    expect(login.body.reason).toBe('deactivated');
    expect((await stack.http.post('/v1/auth/refresh', { refreshToken: tokens.refreshToken })).status).toBe(401);
    expect((await stack.http.get('/v1/me', { token: tokens.accessToken })).status).toBe(403);
    // Deactivating again is harmless: same purge workflow, same date.
    const again = await stack.http.post(`/v1/admin/accounts/${target.id}/deactivate`, undefined, { token: admin.token });
    expect(again.status).toBe(200);
    expect(again.body.purgeAfter).toBe(res.body.purgeAfter);
    expect((await stack.http.post(`/v1/admin/accounts/${admin.id}/deactivate`, undefined, { token: admin.token })).status).toBe(422);

    const purged = await stack.deps.temporal.workflow.getHandle(purgeWorkflowId(target.id)).result();
    expect(purged).toEqual({ purged: true, mode: 'deleted' });
    expect(await stack.deps.db('accounts').where({ id: target.id }).first()).toBeUndefined();
    expect(await stack.deps.db('refresh_tokens').where({ account_id: target.id })).toEqual([]);
    await eventually(async () => (await stack.http.post('/v1/accounts', { email: target.email, password: PASSWORD, name: 'Back', kind: 'fan' })).status === 202, { what: 'email free again' });
  });

  it('anonymises instead of deleting when business records still reference the account', async () => {
    // Stands for orders or subscriptions, which must outlive the account (a plain foreign key, no cascade).
    await stack.deps.db.raw('create table if not exists test_account_refs (id serial primary key, account_id text not null references accounts(id))');
    const admin = await createActiveAccount(stack.deps, { roles: ['admin'] });
    const target = await accountWithPassword(stack.deps);
    await stack.deps.db('test_account_refs').insert({ account_id: target.id });
    expect((await stack.http.post(`/v1/admin/accounts/${target.id}/deactivate`, undefined, { token: admin.token })).status).toBe(200);
    expect(await stack.deps.temporal.workflow.getHandle(purgeWorkflowId(target.id)).result()).toEqual({ purged: true, mode: 'anonymized' });
    const row = await stack.deps.db('accounts').where({ id: target.id }).first();
    expect(row).toMatchObject({ status: 'deactivated', name: 'Deleted account', password_hash: null, email: `purged+${target.id}@purged.invalid` });
    expect((await stack.http.post('/v1/accounts', { email: target.email, password: PASSWORD, name: 'Back', kind: 'fan' })).status).toBe(202);
  });
});
