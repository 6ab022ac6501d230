import type { Counter, Gauge } from 'prom-client';
import { recordBillingEvent } from '../../activities/billing/events';
import { countPayment } from '../../platform/metrics/business';
import { createPayment, recordPaymentChange } from '../../stores/payments/payments';
import { createActiveAccount } from '../harness/accounts';
import { eventually } from '../harness/stack';
import { createPlan, startBillingStack, subscribe, waitForSubscription, type BillingFixture } from '../billing/helpers';

/** Business metrics on a real stack: counted once per business event (not per retry), served at /metrics. */
describe('business metrics', () => {
  let f: BillingFixture;

  beforeAll(async () => {
    f = await startBillingStack({ ALERT_DUNNING_SPIKE: '1', ALERT_EMAIL_ADMINS: 'false' });
  });
  afterAll(() => f.stack.stop());

  const value = async (name: string, labels: Record<string, string>) => {
    const metric = f.stack.deps.metrics.getSingleMetric(name) as Counter<string> | Gauge<string> | undefined;
    if (!metric) return 0;
    const found = (await metric.get()).values.filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
    return found.reduce((sum, v) => sum + v.value, 0);
  };

  it('counts a payment outcome once, however often the step is retried', async () => {
    const id = `pay_metrics_${Date.now()}`;
    await createPayment(f.stack.deps.db, { id, kind: 'metrics-check', reference: 'r1', provider: 'sandbox', amount: { amount: 1250, currency: 'EUR' } });
    const before = await value('payments_total', { kind: 'metrics-check', outcome: 'captured' });
    for (let attempt = 0; attempt < 3; attempt++) {
      // The same event id each time: what a retried activity writes.
      const changed = await recordPaymentChange(f.stack.deps.db, id, { status: 'captured', amountCaptured: 1250 }, { id: `${id}/captured`, type: 'payment.captured' });
      expect(changed.applied).toBe(attempt === 0);
      countPayment(f.stack.deps, changed, 1250);
    }
    expect((await value('payments_total', { kind: 'metrics-check', outcome: 'captured' })) - before).toBe(1);
    expect(await value('payment_amount_minor_total', { kind: 'metrics-check', currency: 'EUR', outcome: 'captured' })).toBe(1250);
  });

  it('counts a billing event once when it is recorded twice', async () => {
    const event = { id: `metrics-sub/period-2/paid-${Date.now()}`, type: 'subscription.renewed' as const, data: { period: 2, attempt: 1, latenessMs: 1500 } };
    const renewed = await value('subscription_renewals_total', { outcome: 'renewed' });
    const recovered = await value('subscription_dunning_total', { outcome: 'recovered' });
    await recordBillingEvent(f.stack.deps, event);
    await recordBillingEvent(f.stack.deps, event);
    expect((await value('subscription_renewals_total', { outcome: 'renewed' })) - renewed).toBe(1);
    expect((await value('subscription_dunning_total', { outcome: 'recovered' })) - recovered).toBe(1);
  });

  it('follows a subscription through its first charge, declined renewals and dunning, to /metrics', async () => {
    const plan = await createPlan(f, { intervalCount: 2 });
    const user = await createActiveAccount(f.stack.deps);
    const keeper = await createActiveAccount(f.stack.deps);
    const id = await subscribe(f, user, plan.id, 'pm_card_authenticationRequired');
    const kept = await subscribe(f, keeper, plan.id, 'pm_card_visa');
    await waitForSubscription(f, keeper, kept, (s) => s.status === 'active');
    await eventually(async () => (await value('subscriptions_active', { plan: plan.id, status: 'active' })) >= 1, { what: 'the active-subscriptions gauge' });

    await waitForSubscription(f, user, id, (s) => s.status === 'cancelled', 40_000);
    const declines = await f.stack.deps.db('payments').where({ reference: id, status: 'failed' }).select('failure_code');
    expect(declines).toHaveLength(3);
    const code = declines[0].failure_code as string;
    expect(await value('payments_total', { kind: 'subscription', outcome: 'declined', decline_code: code })).toBeGreaterThanOrEqual(3);
    expect(await value('subscription_events_total', { event: 'cancelled' })).toBeGreaterThanOrEqual(1);
    expect(await value('subscription_dunning_total', { outcome: 'cancelled' })).toBe(1);
    expect(await value('subscription_renewals_total', { outcome: 'failed' })).toBe(3);
    expect(await value('emails_total', { kind: 'billing-payment-failed', outcome: 'sent' })).toBe(2);

    // One cancellation for non-payment reaches this stack's spike threshold (ALERT_DUNNING_SPIKE=1): an alert.
    await f.stack.deps.ports.alerts.flush();
    const alert = await f.stack.deps.db('admin_alerts').where({ kind: 'billing.dunning_cancellation_spike' }).first();
    expect(alert).toMatchObject({ severity: 'error', occurrences: 1 });

    const scraped = await f.stack.http.get('/metrics');
    expect(scraped.status).toBe(200);
    for (const name of ['payments_total{', 'payment_amount_minor_total{', 'subscription_renewals_total{', 'subscription_dunning_total{', 'subscriptions_active{', 'emails_total{', 'alerts_raised_total{']) expect(scraped.text).toContain(name);
    await f.stack.http.post(`/v1/subscriptions/${kept}/cancel`, { atPeriodEnd: false }, { token: keeper.token });
  }, 90_000);
});
