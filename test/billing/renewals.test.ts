import { createActiveAccount } from '../harness/accounts';
import { eventually } from '../harness/stack';
import { capturedCharges, createPlan, emailsTo, rolesOf, startBillingStack, subscribe, subscriptionState, waitForSubscription, type BillingFixture } from './helpers';

/** The runs of a subscription's workflow, from Temporal's visibility (eventually consistent). */
async function runsOf(f: BillingFixture, id: string): Promise<{ total: number; continuedAsNew: number }> {
  let total = 0;
  let continuedAsNew = 0;
  for await (const run of f.stack.deps.temporal.workflow.list({ query: `WorkflowId = 'subscription-${id}'` })) {
    total += 1;
    if (run.status.name === 'CONTINUED_AS_NEW') continuedAsNew += 1;
  }
  return { total, continuedAsNew };
}

describe('subscriptions: first charge and renewals', () => {
  let f: BillingFixture;
  beforeAll(async () => {
    f = await startBillingStack();
  });
  afterAll(() => f.stack.stop());

  it('charges once per period, exactly, with period idempotency keys, and keeps the role', async () => {
    const plan = await createPlan(f, { intervalCount: 2 });
    const user = await createActiveAccount(f.stack.deps);
    const id = await subscribe(f, user, plan.id);
    const first = await waitForSubscription(f, user, id, (s) => s.status === 'active' && s.period === 1);
    expect(first.workflowId).toBe(`subscription-${id}`);
    expect(await rolesOf(f, user.id)).toContain('premium');
    // The welcome email is sent just after the first charge shows in the workflow's state.
    await eventually(async () => (await emailsTo(f, user.email, 'billing-subscription-started')).length > 0, { what: 'the welcome email' });
    expect((await emailsTo(f, user.email, 'billing-subscription-started')).length).toBe(1);

    const renewed = await waitForSubscription(f, user, id, (s) => s.period >= 4, 20_000);
    const charges = await capturedCharges(f, id);
    // Charges equal the periods started, exactly (the current period is paid; the next is not yet due).
    const now = await subscriptionState(f, user, id);
    expect(charges.length).toBe(now.period);
    expect(renewed.status).toBe('active');
    const keys = await f.stack.deps.db('sandbox_payment_intents').whereIn('id', charges.map((c: { provider_payment_id: string }) => c.provider_payment_id)).select('id');
    expect(keys.length).toBe(charges.length);
    expect(charges.map((c: { id: string }) => c.id)).toEqual(Array.from({ length: charges.length }, (_, i) => `pay_${id}_p${i + 1}`));

    // The listing copy follows, and one run per period (continue-as-new) keeps the history small.
    const mine = await f.stack.http.get('/v1/me/subscriptions', { token: user.token });
    expect(mine.body.items[0]).toMatchObject({ id, status: 'active' });
    const desc = await f.stack.deps.temporal.workflow.getHandle(`subscription-${id}`).describe();
    expect(desc.historyLength).toBeLessThan(30);
    await eventually(async () => (await runsOf(f, id)).continuedAsNew >= 3);
    await eventually(async () => (await f.stack.deps.db('billing_events').where({ subject_id: id, type: 'subscription.renewed' })).length >= 3);

    // Each renewal's receipt goes out with its charge (one local activity): one receipt per renewal,
    // and a renewal run schedules no activity task at all (timer → local activity → continue-as-new).
    await eventually(async () => (await emailsTo(f, user.email, 'billing-renewal-receipt')).length >= 3, { what: 'three renewal receipts' });
    const receipts = (await emailsTo(f, user.email, 'billing-renewal-receipt')) as { text: string }[];
    const paid = receipts.map((r) => /Payment: (\S+)/.exec(r.text)?.[1]);
    expect(new Set(paid).size).toBe(receipts.length);
    for (const p of paid) expect(p).toMatch(new RegExp(`^pay_${id}_p([2-9]|\\d\\d+)$`));
    const history = await f.stack.deps.temporal.workflow.getHandle(`subscription-${id}`).fetchHistory();
    const types = (history.events ?? []).map((e) => String(e.eventType));
    expect(types.filter((t) => t.includes('ACTIVITY_TASK'))).toEqual([]);
  });

  it('rejects an unknown plan and a second-interval plan is still a plan', async () => {
    const user = await createActiveAccount(f.stack.deps);
    const res = await f.stack.http.post('/v1/subscriptions', { planId: 'pln_nope', paymentMethod: 'pm_card_visa' }, { token: user.token });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe('planId');
  });
});

describe('subscriptions with several renewals per workflow run (BILLING_RENEWALS_PER_RUN=3)', () => {
  let f: BillingFixture;
  beforeAll(async () => {
    f = await startBillingStack({ BILLING_RENEWALS_PER_RUN: '3' });
  });
  afterAll(() => f.stack.stop());

  it('still charges once per period, and continues as new after every third renewal', async () => {
    const plan = await createPlan(f, { intervalCount: 1 });
    const user = await createActiveAccount(f.stack.deps);
    const id = await subscribe(f, user, plan.id);
    await waitForSubscription(f, user, id, (s) => s.period >= 5, 20_000);
    await f.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
    const ended = await waitForSubscription(f, user, id, (s) => s.status === 'cancelled');
    const charges = await capturedCharges(f, id);
    expect(charges.map((c: { id: string }) => c.id)).toEqual(Array.from({ length: ended.period }, (_, i) => `pay_${id}_p${i + 1}`));
    // Periods 2..n were renewals; a run continues as new right after its third.
    const renewals = ended.period - 1;
    await eventually(async () => {
      const runs = await runsOf(f, id);
      return runs.continuedAsNew === Math.floor(renewals / 3) && runs.total === runs.continuedAsNew + 1;
    });
  });
});
