import { createActiveAccount } from '../harness/accounts';
import { eventually } from '../harness/stack';
import { createPlan, emailsTo, startBillingStack, subscribe, waitForSubscription, type BillingFixture } from './helpers';

describe('plan price changes', () => {
  let f: BillingFixture;
  beforeAll(async () => {
    f = await startBillingStack({ BILLING_PRICE_CHANGE_NOTICE: '4s' });
  });
  afterAll(() => f.stack.stop());

  it('applies to new purchases at once and to subscribers from their first period starting the notice after; subscribers are emailed', async () => {
    const plan = await createPlan(f, { intervalCount: 2, price: { amount: 1000, currency: 'USD' } });
    const user = await createActiveAccount(f.stack.deps);
    const id = await subscribe(f, user, plan.id);
    await waitForSubscription(f, user, id, (s) => s.status === 'active');
    const changedAt = Date.now();
    const patched = await f.stack.http.patch(`/v1/products/${plan.id}`, { price: { amount: 1500, currency: 'USD' } }, { token: f.admin.token });
    expect(patched.status).toBe(200);
    expect(patched.body.price.amount).toBe(1500);
    const notice = await eventually(async () => (await emailsTo(f, user.email, 'billing-price-change'))[0]);
    expect(notice.text).toContain('1500'.slice(0, 2));
    const reported = await f.stack.deps.db('billing_events').where({ type: 'product.price_changed', subject_id: plan.id }).first();
    expect(reported.data).toMatchObject({ productId: plan.id, oldPrice: { amount: 1000, currency: 'USD' }, newPrice: { amount: 1500, currency: 'USD' } });

    // A new subscriber pays the new price at once.
    const late = await createActiveAccount(f.stack.deps);
    const lateId = await subscribe(f, late, plan.id);
    expect((await waitForSubscription(f, late, lateId, (s) => s.status === 'active')).price.amount).toBe(1500);
    expect((await emailsTo(f, late.email, 'billing-price-change')).length).toBe(0);

    await waitForSubscription(f, user, id, (s) => s.period >= 5, 20_000);
    const paid = await f.stack.deps.db('billing_events').where({ subject_id: id }).whereIn('type', ['subscription.started', 'subscription.renewed']).orderBy('created_at');
    expect(paid.length).toBeGreaterThanOrEqual(5);
    const change = await f.stack.deps.db('product_price_changes').where({ product_id: plan.id }).first();
    const effective = change.subscribers_from.getTime();
    expect(Math.abs(effective - (changedAt + 4000))).toBeLessThan(1500);
    for (const e of paid) {
      const start = new Date(e.data.periodStart).getTime();
      expect(e.data.amount.amount).toBe(start >= effective ? 1500 : 1000);
    }
    expect(paid.some((e: { data: { amount: { amount: number } } }) => e.data.amount.amount === 1000 && paid.indexOf(e) > 0)).toBe(true);
    expect(paid[paid.length - 1].data.amount.amount).toBe(1500);
    await f.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
    await f.stack.http.post(`/v1/subscriptions/${lateId}/cancel`, { atPeriodEnd: false }, { token: late.token });
  });
});
