import { createActiveAccount } from '../harness/accounts';
import { eventually } from '../harness/stack';
import { capturedCharges, createPlan, emailsTo, rolesOf, sleep, startBillingStack, subscribe, waitForSubscription, type BillingFixture } from './helpers';

describe('subscriptions: dunning, cancel, resume, change plan, several subscriptions', () => {
  let f: BillingFixture;
  beforeAll(async () => {
    f = await startBillingStack();
  });
  afterAll(() => f.stack.stop());

  it('a declined renewal goes past_due, emails, and recovers at once after a payment-method update', async () => {
    const plan = await createPlan(f, { intervalCount: 2 });
    const user = await createActiveAccount(f.stack.deps);
    // Succeeds with the customer present (the first charge), needs authentication off-session (renewals).
    const id = await subscribe(f, user, plan.id, 'pm_card_authenticationRequired');
    await waitForSubscription(f, user, id, (s) => s.status === 'active' && s.period === 1);
    // Slow dunning for this subscription is not configurable per plan: the 1 s schedule means the
    // update must land quickly, so it is sent as soon as the subscription is past due.
    const pastDue = await waitForSubscription(f, user, id, (s) => s.status === 'past_due');
    expect(pastDue.failedAttempts).toBeGreaterThanOrEqual(1);
    expect(await rolesOf(f, user.id)).toContain('premium');
    const put = await f.stack.http.put(`/v1/subscriptions/${id}/payment-method`, { paymentMethod: 'pm_card_visa' }, { token: user.token });
    expect(put.status).toBe(202);
    const recovered = await waitForSubscription(f, user, id, (s) => s.status === 'active' && s.period === 2);
    expect(recovered.failedAttempts).toBe(0);
    expect((await emailsTo(f, user.email, 'billing-payment-failed')).length).toBeGreaterThanOrEqual(1);
    const failed = await f.stack.deps.db('payments').where({ reference: id, status: 'failed' });
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0].id).toBe(`pay_${id}_p2`);
    await f.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
  });

  it('dunning exhausted: cancelled and the role revoked', async () => {
    const plan = await createPlan(f, { intervalCount: 2 });
    const user = await createActiveAccount(f.stack.deps);
    const id = await subscribe(f, user, plan.id, 'pm_card_authenticationRequired');
    await waitForSubscription(f, user, id, (s) => s.status === 'active' || s.status === 'past_due');
    expect(await rolesOf(f, user.id)).toEqual(['premium']);
    const cancelled = await waitForSubscription(f, user, id, (s) => s.status === 'cancelled');
    expect(cancelled.cancelReason).toBe('payment_failed');
    expect(await rolesOf(f, user.id)).toEqual(['normal']);
    // One email per failed attempt before the last, then the cancellation.
    expect((await emailsTo(f, user.email, 'billing-payment-failed')).length).toBe(2);
    expect((await emailsTo(f, user.email, 'billing-subscription-cancelled')).length).toBe(1);
    expect((await capturedCharges(f, id)).length).toBe(1);
    expect((await f.stack.deps.db('payments').where({ reference: id, status: 'failed' })).length).toBe(3);
  });

  it('cancel at period end keeps access to the end, then stops renewing', async () => {
    const plan = await createPlan(f, { intervalCount: 3 });
    const user = await createActiveAccount(f.stack.deps);
    const id = await subscribe(f, user, plan.id);
    await waitForSubscription(f, user, id, (s) => s.status === 'active');
    // JSON content type with an empty body: no body, so the default (at period end).
    const res = await f.stack.http.request('POST', `/v1/subscriptions/${id}/cancel`, { raw: '', headers: { 'content-type': 'application/json' }, token: user.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });
    const malformed = await f.stack.http.request('POST', `/v1/subscriptions/${id}/cancel`, { raw: '{"atPeriodEnd":', headers: { 'content-type': 'application/json' }, token: user.token });
    expect(malformed.status).toBe(400);
    expect(await rolesOf(f, user.id)).toContain('premium');
    const done = await waitForSubscription(f, user, id, (s) => s.status === 'cancelled');
    expect(done.cancelReason).toBe('cancelled_at_period_end');
    expect(new Date(done.cancelledAt).getTime()).toBeGreaterThanOrEqual(new Date(done.currentPeriodEnd).getTime());
    expect((await capturedCharges(f, id)).length).toBe(1);
    expect(await rolesOf(f, user.id)).toEqual(['normal']);
    const again = await f.stack.http.post(`/v1/subscriptions/${id}/resume`, {}, { token: user.token });
    expect(again.status).toBe(409);
  });

  it('cancel now revokes the role and refunds the unused time pro rata', async () => {
    const plan = await createPlan(f, { intervalCount: 10, price: { amount: 10_000, currency: 'USD' } });
    const user = await createActiveAccount(f.stack.deps);
    const id = await subscribe(f, user, plan.id);
    const active = await waitForSubscription(f, user, id, (s) => s.status === 'active');
    await sleep(2000);
    const before = Date.now();
    const res = await f.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
    const after = Date.now();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    const start = new Date(active.currentPeriodStart).getTime();
    const end = new Date(active.currentPeriodEnd).getTime();
    // refund = floor(paid × (periodEnd − cancelledAt) / (periodEnd − periodStart))
    const cancelledAt = new Date(res.body.cancelledAt).getTime();
    expect(cancelledAt).toBeGreaterThanOrEqual(before - 1000);
    expect(cancelledAt).toBeLessThanOrEqual(after);
    expect(res.body.refunded).toEqual({ amount: Math.floor((10_000 * (end - cancelledAt)) / (end - start)), currency: 'USD' });
    expect(res.body.refunded.amount).toBeGreaterThan(5000);
    expect(res.body.refunded.amount).toBeLessThan(8500);
    const payment = await f.stack.deps.db('payments').where({ id: `pay_${id}_p1` }).first();
    expect(Number(payment.amount_refunded)).toBe(res.body.refunded.amount);
    expect(payment.status).toBe('partially_refunded');
    expect(await rolesOf(f, user.id)).toEqual(['normal']);
    const intents = await f.stack.deps.db('sandbox_refunds').where({ payment_intent_id: payment.provider_payment_id });
    expect(intents.length).toBe(1);
  });

  it('resume undoes a pending cancel and renewals go on', async () => {
    const plan = await createPlan(f, { intervalCount: 3 });
    const user = await createActiveAccount(f.stack.deps);
    const id = await subscribe(f, user, plan.id);
    await waitForSubscription(f, user, id, (s) => s.status === 'active');
    expect((await f.stack.http.post(`/v1/subscriptions/${id}/resume`, {}, { token: user.token })).status).toBe(409);
    await f.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: true }, { token: user.token });
    const resumed = await f.stack.http.post(`/v1/subscriptions/${id}/resume`, {}, { token: user.token });
    expect(resumed.status).toBe(200);
    expect(resumed.body.cancelAtPeriodEnd).toBe(false);
    await waitForSubscription(f, user, id, (s) => s.status === 'active' && s.period === 2);
    expect((await capturedCharges(f, id)).length).toBe(2);
    await f.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
  });

  it('upgrades now with a prorated charge and downgrades at the period end', async () => {
    const basic = await createPlan(f, { intervalCount: 6, price: { amount: 1000, currency: 'USD' } });
    const pro = await createPlan(f, { intervalCount: 6, price: { amount: 4000, currency: 'USD' } });
    const user = await createActiveAccount(f.stack.deps);
    const id = await subscribe(f, user, basic.id);
    const active = await waitForSubscription(f, user, id, (s) => s.status === 'active');
    const up = await f.stack.http.post(`/v1/subscriptions/${id}/change-plan`, { planId: pro.id }, { token: user.token });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ planId: pro.id, price: { amount: 4000, currency: 'USD' }, period: 1 });
    const upgrade = await f.stack.deps.db('payments').where({ id: `pay_${id}_p1_up_${pro.id}` }).first();
    expect(upgrade.status).toBe('captured');
    // (4000 − 1000) for the remaining share of a 6 s period: between 0 and 3000.
    const periodMs = new Date(active.currentPeriodEnd).getTime() - new Date(active.currentPeriodStart).getTime();
    expect(Number(upgrade.amount)).toBeGreaterThan(0);
    expect(Number(upgrade.amount)).toBeLessThanOrEqual(3000);
    expect(periodMs).toBe(6000);
    expect(up.body.currentPeriodEnd).toBe(active.currentPeriodEnd);

    const down = await f.stack.http.post(`/v1/subscriptions/${id}/change-plan`, { planId: basic.id }, { token: user.token });
    expect(down.status).toBe(200);
    expect(down.body).toMatchObject({ planId: pro.id, pendingPlanId: basic.id });
    const next = await waitForSubscription(f, user, id, (s) => s.period === 2);
    expect(next).toMatchObject({ planId: basic.id, pendingPlanId: null, price: { amount: 1000, currency: 'USD' } });
    const p2 = await f.stack.deps.db('payments').where({ id: `pay_${id}_p2` }).first();
    expect(Number(p2.amount)).toBe(1000);
    const same = await f.stack.http.post(`/v1/subscriptions/${id}/change-plan`, { planId: basic.id }, { token: user.token });
    expect(same.status).toBe(409);
    await f.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
  });

  it('two subscriptions granting premium: ending one keeps premium, ending both removes it', async () => {
    const a = await createPlan(f, { intervalCount: 30 });
    const b = await createPlan(f, { intervalCount: 30 });
    const user = await createActiveAccount(f.stack.deps);
    const s1 = await subscribe(f, user, a.id);
    const s2 = await subscribe(f, user, b.id);
    await waitForSubscription(f, user, s1, (s) => s.status === 'active');
    await waitForSubscription(f, user, s2, (s) => s.status === 'active');
    expect(await rolesOf(f, user.id)).toEqual(['premium']);
    expect((await f.stack.http.post(`/v1/subscriptions/${s1}/cancel`, { atPeriodEnd: false }, { token: user.token })).status).toBe(200);
    expect(await rolesOf(f, user.id)).toEqual(['premium']);
    expect((await f.stack.http.post(`/v1/subscriptions/${s2}/cancel`, { atPeriodEnd: false }, { token: user.token })).status).toBe(200);
    expect(await rolesOf(f, user.id)).toEqual(['normal']);
    const events = await eventually(async () => {
      const rows = await f.stack.deps.db('billing_events').where({ account_id: user.id }).whereIn('type', ['role.granted', 'role.revoked']);
      return rows.length === 4 ? rows : undefined;
    });
    expect(events.length).toBe(4);
  });
});

describe('subscriptions: trials', () => {
  let f: BillingFixture;
  beforeAll(async () => {
    f = await startBillingStack({ BILLING_DAY_LENGTH: '2s' });
  });
  afterAll(() => f.stack.stop());

  it('grants the role during the trial and charges when it ends', async () => {
    const plan = await createPlan(f, { intervalCount: 30, trialDays: 1 });
    const user = await createActiveAccount(f.stack.deps);
    const id = await subscribe(f, user, plan.id);
    const trialing = await waitForSubscription(f, user, id, (s) => s.status === 'trialing');
    expect(trialing.period).toBe(0);
    expect(await rolesOf(f, user.id)).toEqual(['premium']);
    expect((await capturedCharges(f, id)).length).toBe(0);
    const active = await waitForSubscription(f, user, id, (s) => s.status === 'active' && s.period === 1, 10_000);
    expect(active.currentPeriodStart).toBe(trialing.currentPeriodEnd);
    expect((await capturedCharges(f, id)).length).toBe(1);
    await f.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
  });
});
