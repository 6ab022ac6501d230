import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually } from '../harness/stack';
import { createRecipients, key, settled, threeWaySplit, usd } from '../splits/helpers';
import { createPlan, emailsTo, startBillingStack, subscribe, waitForSubscription, type BillingFixture } from '../billing/helpers';

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * Every charge and every refund is emailed, greeting the person by name, signed, with money and
 * dates written for people; a film refunded in full ends its purchase workflow at the refund.
 */
describe('money messages, as a new customer gets them', () => {
  let f: BillingFixture;
  let user: TestAccount;

  beforeAll(async () => {
    f = await startBillingStack();
    user = await createActiveAccount(f.stack.deps, { kind: 'fan' });
  }, 60_000);
  afterAll(async () => {
    await f?.stack.stop();
  });

  const expectForPeople = (mail: { text: string; html: string }, name: string) => {
    expect(mail.text).toMatch(new RegExp(`^Hi ${name},`));
    expect(mail.text.trimEnd()).toMatch(/— The Limelight team$/);
    expect(mail.html).toContain('The Limelight team');
    expect(mail.text).not.toMatch(ISO);
    expect(mail.text).not.toMatch(/\d+\.\d{2} USD/);
    expect(mail.text).not.toContain('per period');
  };

  it('sends a receipt for every renewal, and the welcome names the interval', async () => {
    const plan = await createPlan(f, { name: 'Gold', price: { amount: 1250, currency: 'USD' }, interval: 'second', intervalCount: 3 });
    const id = await subscribe(f, user, plan.id);
    await waitForSubscription(f, user, id, (s) => s.period >= 2, 40_000);
    const welcome = (await eventually(async () => (await emailsTo(f, user.email, 'billing-subscription-started'))[0]))!;
    expectForPeople(welcome, user.name);
    expect(welcome.text).toContain('It costs $12.50 every 3 seconds.');
    const receipts = await eventually(async () => {
      const rows = await emailsTo(f, user.email, 'billing-renewal-receipt');
      return rows.length >= 1 ? rows : undefined;
    });
    expectForPeople(receipts[0], user.name);
    expect(receipts[0].subject).toBe('Your receipt: Gold, $12.50');
    expect(receipts[0].text).toContain('We charged $12.50 for the renewal of Gold.');
    expect(receipts[0].text).toMatch(/It covers \d{1,2} \w+ \d{4}, \d{2}:\d{2} UTC to \d{1,2} \w+ \d{4}, \d{2}:\d{2} UTC/);
    await f.stack.http.post(`/v1/subscriptions/${id}/cancel`, { atPeriodEnd: false }, { token: user.token });
    await waitForSubscription(f, user, id, (s) => s.status === 'cancelled');
  }, 90_000);

  it('emails a film refund, and a full refund ends the purchase workflow there and then', async () => {
    const buyer = await createActiveAccount(f.stack.deps, { kind: 'fan' });
    const film = await f.stack.http.post('/v1/products', { kind: 'film', name: 'Arrival', price: { amount: 1500, currency: 'USD' }, accessDays: 30 }, { token: f.admin.token });
    expect(film.status).toBe(201);
    const bought = await f.stack.http.post('/v1/purchases', { productId: film.body.id, paymentMethod: 'pm_card_visa' }, { token: buyer.token });
    expect(bought.status).toBe(202);
    const receipt = await eventually(async () => (await emailsTo(f, buyer.email, 'billing-purchase-receipt'))[0]);
    expectForPeople(receipt, buyer.name);
    expect(receipt.text).toContain('Paid: $15.00');
    const paymentId = `pay_${bought.body.id}`;

    const partial = await f.stack.http.post(`/v1/admin/payments/${paymentId}/refund`, { amount: 500, reason: 'bad audio' }, { token: f.admin.token });
    expect(partial.status).toBe(201);
    const first = await eventually(async () => (await emailsTo(f, buyer.email, 'billing-refund'))[0]);
    expectForPeople(first, buyer.name);
    expect(first.subject).toBe('Refund of $5.00: the film Arrival');
    expect(first.text).toContain('In all, $5.00 of the $15.00 you paid has been refunded.');
    // A partial refund leaves the film owned: the workflow still waits for the expiry.
    const handle = f.stack.deps.temporal.workflow.getHandle(`purchase-${bought.body.id}`);
    expect((await handle.describe()).status.name).toBe('RUNNING');

    const rest = await f.stack.http.post(`/v1/admin/payments/${paymentId}/refund`, { reason: 'goodwill' }, { token: f.admin.token });
    expect(rest.status).toBe(201);
    const ended = await eventually(async () => {
      const d = await handle.describe();
      return d.status.name === 'COMPLETED' ? d : undefined;
    }, { timeoutMs: 15_000, what: 'the purchase workflow to end at the full refund' });
    expect(ended.closeTime!.getTime()).toBeLessThan(Date.now() + 1);
    expect(await handle.result()).toMatchObject({ status: 'refunded' });
    const second = await eventually(async () => (await emailsTo(f, buyer.email, 'billing-refund'))[1]);
    expect(second.text).toContain('We refunded $10.00 for the film Arrival');
    expect(second.text).toContain('In all, $15.00 of the $15.00 you paid has been refunded.');
  }, 60_000);

  it("emails each split recipient whose share a refund took back", async () => {
    const recipients = await createRecipients(f.stack, 3);
    const payer = await createActiveAccount(f.stack.deps, { kind: 'fan' });
    const created = await f.stack.http.post('/v1/split-payments', threeWaySplit(recipients), { token: payer.token, headers: { 'Idempotency-Key': key() } });
    expect(created.status).toBe(201);
    expect((await settled(f.stack, created.body.id, payer.token)).status).toBe('succeeded');
    const received = await eventually(async () => (await emailsTo(f, recipients[0].account.email, 'split-received'))[0]);
    expectForPeople(received, recipients[0].account.name);
    expect(received.text).toContain('$30.83 from the split payment');

    const refund = await f.stack.http.post(`/v1/split-payments/${created.body.id}/refund`, { amount: usd(2500) }, { token: payer.token });
    expect(refund.status).toBe(202);
    for (const r of recipients) {
      const mail = await eventually(async () => (await emailsTo(f, r.account.email, 'split-clawback'))[0], { what: `the clawback email to ${r.account.email}` });
      expectForPeople(mail, r.account.name);
      expect(mail.subject).toBe('$7.71 of a split payment was taken back');
    }
    const last = (await emailsTo(f, recipients[2].account.email, 'split-clawback'))[0];
    expect(last.text).toContain('You keep $23.13 of your $30.84 share.');
  }, 90_000);
});
