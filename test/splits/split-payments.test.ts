import { rebuild, type SplitEventRecord } from '../../domain/splits/fold';
import { listSplitEvents } from '../../stores/splits/events';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually, startTestStack, type TestStack } from '../harness/stack';
import { ControlledGateway, createRecipients, key, settled, threeWaySplit, transferRefused, usd, type Recipient } from './helpers';

describe('split payments (saga on the real stack, sandbox gateway)', () => {
  let stack: TestStack;
  let gateway: ControlledGateway;
  let payer: TestAccount;
  let admin: TestAccount;
  let recipients: Recipient[];

  beforeAll(async () => {
    gateway = new ControlledGateway();
    stack = await startTestStack({ ports: { payments: gateway }, env: { SPLIT_COMPENSATION_MAX_INTERVAL: '1s' } });
    payer = await createActiveAccount(stack.deps);
    admin = await createActiveAccount(stack.deps, { roles: ['admin'] });
    recipients = await createRecipients(stack, 3);
  });
  afterEach(() => {
    gateway.hooks = [];
  });
  afterAll(async () => {
    await stack.stop();
    await gateway.close();
  });

  const create = (body: unknown, idempotencyKey: string | null = key(), token = payer.token) =>
    stack.http.post('/v1/split-payments', body, { token, headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} });
  const balance = async (r: Recipient) => (await gateway.sandbox.getBalance(r.providerAccountId, 'USD')).available.amount;

  it('registers payout accounts and lists them', async () => {
    const own = await stack.http.get('/v1/payout-accounts', { token: recipients[0].account.token });
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([expect.objectContaining({ id: recipients[0].payoutAccountId, accountId: recipients[0].account.id, provider: 'sandbox' })]);
    const other = await stack.http.post('/v1/payout-accounts', { accountId: recipients[1].account.id, provider: 'sandbox' }, { token: payer.token });
    expect(other.status).toBe(403);
    const stripe = await stack.http.post('/v1/payout-accounts', { accountId: payer.id, provider: 'stripe', providerAccountId: 'acct_123' }, { token: payer.token });
    expect(stripe.status).toBe(422);
    expect(stripe.body.errors[0].field).toBe('provider');
  });

  it('splits 100.00 three ways after a 7.5 % fee exactly to the cent, transfers, records and notifies', async () => {
    const before = await Promise.all(recipients.map(balance));
    const res = await create(threeWaySplit(recipients));
    expect(res.status).toBe(201);
    expect(res.body.workflowId).toBe(`split-${res.body.id}`);
    expect(res.body.allocation).toEqual([
      { party: recipients[0].payoutAccountId, amount: usd(3083) },
      { party: recipients[1].payoutAccountId, amount: usd(3083) },
      { party: recipients[2].payoutAccountId, amount: usd(3084) },
      { party: 'platform', amount: usd(750) },
    ]);
    const done = await settled(stack, res.body.id, payer.token);
    expect(done.status).toBe('succeeded');
    expect(done.recipients.map((r: { transfer: { status: string } }) => r.transfer.status)).toEqual(['transferred', 'transferred', 'transferred']);
    expect(done.recipients.every((r: { notified: boolean }) => r.notified)).toBe(true);
    const after = await Promise.all(recipients.map(balance));
    expect(after.map((a, i) => a - before[i])).toEqual([3083, 3083, 3084]);

    const charge = await gateway.sandbox.getPayment(done.charge.providerPaymentId);
    expect(charge).toMatchObject({ status: 'succeeded', amountCaptured: 10_000, amountRefunded: 0 });
    const transfers = await stack.deps.db('sandbox_transfers').where({ transfer_group: res.body.workflowId });
    expect(transfers.every((t: { source_payment_id: string }) => t.source_payment_id === done.charge.providerPaymentId)).toBe(true);
    const entries = await stack.deps.db('ledger_entries').where({ transaction_id: `${res.body.workflowId}/ledger` });
    expect(entries.reduce((a: number, e: { amount: number }) => a + Number(e.amount), 0)).toBe(0);
    expect(entries.find((e: { account: string }) => e.account === 'platform:fees').amount).toBe(-750);
    const mails = await stack.deps.db('email_messages').whereIn('to', recipients.map((r) => r.account.email)).andWhere({ kind: 'split-received' }).andWhere('idempotency_key', 'like', `${res.body.workflowId}/%`);
    expect(mails).toHaveLength(3);

    const events = await stack.http.get(`/v1/split-payments/${res.body.id}/events`, { token: payer.token });
    expect(events.status).toBe(200);
    const types = events.body.items.map((e: SplitEventRecord) => e.type);
    // The money result (ledger posted, succeeded) is recorded before the emails, which come after it.
    expect(types).toEqual(['split.created', 'split.charge_succeeded', 'split.transfer_succeeded', 'split.transfer_succeeded', 'split.transfer_succeeded', 'split.ledger_posted', 'split.succeeded', 'split.recipient_notified', 'split.recipient_notified', 'split.recipient_notified']);
    expect(events.body.items.map((e: SplitEventRecord) => e.sequence)).toEqual(types.map((_: string, i: number) => i + 1));
    expect(events.body.items.every((e: SplitEventRecord) => e.correlationId === res.body.workflowId)).toBe(true);
    expect(events.body.items[1].causationId).toBe(events.body.items[0].id);
  });

  it('requires an Idempotency-Key, and the same key twice starts one saga', async () => {
    const missing = await create(threeWaySplit(recipients), null);
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'required' }]);

    const k = key();
    const [first, second] = await Promise.all([create(threeWaySplit(recipients), k), create(threeWaySplit(recipients), k)]);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const third = await create(threeWaySplit(recipients), k);
    expect(third.body.id).toBe(first.body.id);
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    await settled(stack, first.body.id, payer.token);
    const rows = await stack.deps.db('split_payments').where({ created_by: payer.id }).andWhere('created_at', '>=', stack.deps.db('split_payments').where({ id: first.body.id }).select('created_at'));
    expect(rows).toHaveLength(1);
    expect(await stack.deps.db('sandbox_payment_intents').whereRaw(`metadata->>'splitId' = ?`, [first.body.id])).toHaveLength(1);
  });

  it.each([
    ['percent shares that do not sum to 100', (r: Recipient[]) => ({ ...threeWaySplit(r), recipients: threeWaySplit(r).recipients.map((x, i) => (i === 2 ? { ...x, share: { percent: 30 } } : x)) }), 'recipients[2].share.percent'],
    ['fixed shares that do not sum to the total less the fee', (r: Recipient[]) => ({ ...threeWaySplit(r), platformFee: { fixed: usd(1000) }, recipients: r.map((x) => ({ payoutAccountId: x.payoutAccountId, share: { fixed: usd(2900) } })) }), 'recipients[2].share.fixed.amount'],
    ['a duplicate recipient', (r: Recipient[]) => ({ ...threeWaySplit(r), recipients: [threeWaySplit(r).recipients[0], threeWaySplit(r).recipients[0]] }), 'recipients[1].payoutAccountId'],
    ['an unknown currency', (r: Recipient[]) => ({ ...threeWaySplit(r), total: { amount: 10_000, currency: 'XYZ' } }), 'total.currency'],
    ['an unknown payout account', (r: Recipient[]) => ({ ...threeWaySplit(r), recipients: [{ payoutAccountId: 'pa_nope', share: { percent: 100 } }] }), 'recipients[0].payoutAccountId'],
    ['a negative amount', (r: Recipient[]) => ({ ...threeWaySplit(r), total: usd(-5) }), 'total.amount'],
  ])('rejects %s with a 422 naming the field', async (_what, body, field) => {
    const res = await create(body(recipients));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors[0].field).toBe(field);
  });

  it('a failure at the second transfer reverses the transfers made beside it and refunds the charge', async () => {
    gateway.hooks.push({ method: 'transfer', when: 'before', match: (i) => i.destination === recipients[1].providerAccountId, run: () => { throw transferRefused(); } });
    const before = await Promise.all(recipients.map(balance));
    const res = await create(threeWaySplit(recipients));
    expect(res.status).toBe(201);
    const done = await settled(stack, res.body.id, payer.token);
    expect(done).toMatchObject({ status: 'failed', compensated: true });
    expect(done.failureReason).toMatch(/account_invalid/);
    // The transfers run at once: the third was made beside the refused second, so it is reversed too.
    expect(done.recipients.map((r: { transfer: { status: string } | null }) => r.transfer?.status ?? null)).toEqual(['reversed', null, 'reversed']);
    expect(done.charge.status).toBe('refunded');
    expect(await Promise.all(recipients.map(balance))).toEqual(before);
    expect(await gateway.sandbox.getPayment(done.charge.providerPaymentId)).toMatchObject({ amountCaptured: 10_000, amountRefunded: 10_000 });
    const events = (await listSplitEvents(stack.deps.db, res.body.id)).map((e) => e.type);
    // The three transfers' events come in the order they finished; the compensation starts after all three.
    expect(events.slice(0, 2)).toEqual(['split.created', 'split.charge_succeeded']);
    expect(events.slice(2, 5).sort()).toEqual(['split.transfer_failed', 'split.transfer_succeeded', 'split.transfer_succeeded']);
    expect(events.slice(5)).toEqual(['split.compensation_started', 'split.transfer_reversed', 'split.transfer_reversed', 'split.charge_refunded', 'split.failed']);
    expect(await stack.deps.db('ledger_transactions').where({ reference: res.body.id })).toHaveLength(0);
  });

  it('a declined card fails the split with the reason and nothing to compensate', async () => {
    const res = await create(threeWaySplit(recipients, 'pm_card_chargeDeclined'));
    const done = await settled(stack, res.body.id, payer.token);
    expect(done).toMatchObject({ status: 'failed', compensated: true, charge: null });
    expect(done.failureReason).toMatch(/card_declined/);
  });

  it('a reversal the provider refuses (recipient paid out) is recorded, alerted to the admins and never dropped', async () => {
    // The first recipient pays its balance out as soon as its transfer lands; the second transfer is
    // refused. The compensation starts once every transfer has finished, so after the payout.
    gateway.hooks.push({ method: 'transfer', when: 'after', match: (i) => i.destination === recipients[0].providerAccountId, run: () => gateway.sandbox.simulatePayout({ accountId: recipients[0].providerAccountId, currency: 'USD' }).then(() => undefined) });
    gateway.hooks.push({ method: 'transfer', when: 'before', match: (i) => i.destination === recipients[1].providerAccountId, run: () => { throw transferRefused(); } });
    const res = await create(threeWaySplit(recipients));
    const done = await settled(stack, res.body.id, payer.token);
    expect(done).toMatchObject({ status: 'failed', compensated: false });
    expect(done.recipients[0].transfer.status).toBe('reversal_refused');
    expect(done.charge.status).toBe('refunded');
    expect(done.alerts).toHaveLength(1);
    const alert = await stack.deps.db('admin_alerts').where({ id: done.alerts[0] }).first();
    expect(alert).toMatchObject({ aggregate_id: res.body.id, kind: 'split.compensation_refused' });
    expect(alert.detail.code).toBe('balance_insufficient');
    const events = (await listSplitEvents(stack.deps.db, res.body.id)).map((e) => e.type);
    expect(events).toContain('split.transfer_reversal_refused');
    await eventually(async () => (await stack.deps.db('email_messages').where({ to: admin.email, kind: 'split-admin-alert' })).length > 0, { what: 'the admin alert email' });
  });

  it('a partial refund is taken back pro rata, exact to the cent, then the rest', async () => {
    const res = await create(threeWaySplit(recipients));
    const done = await settled(stack, res.body.id, payer.token);
    expect(done.status).toBe('succeeded');
    const before = await Promise.all(recipients.map(balance));

    const wrong = await stack.http.post(`/v1/split-payments/${res.body.id}/refund`, { amount: { amount: 2500, currency: 'EUR' } }, { token: payer.token });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].field).toBe('amount.currency');
    const tooMuch = await stack.http.post(`/v1/split-payments/${res.body.id}/refund`, { amount: usd(10_001) }, { token: payer.token });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors[0].field).toBe('amount.amount');

    const refund = await stack.http.post(`/v1/split-payments/${res.body.id}/refund`, { amount: usd(2500) }, { token: payer.token });
    expect(refund.status).toBe(202);
    expect(refund.body.allocation.map((l: { amount: { amount: number } }) => l.amount.amount)).toEqual([771, 771, 771, 187]);
    const partial = await eventually(async () => {
      const r = await stack.http.get(`/v1/split-payments/${res.body.id}`, { token: payer.token });
      return r.body.refunds[0]?.status === 'succeeded' ? r.body : undefined;
    });
    expect(partial.status).toBe('partially_refunded');
    expect(partial.refunded).toEqual(usd(2500));
    expect((await Promise.all(recipients.map(balance))).map((b, i) => before[i] - b)).toEqual([771, 771, 771]);
    expect(await gateway.sandbox.getPayment(done.charge.providerPaymentId)).toMatchObject({ amountRefunded: 2500 });

    const rest = await stack.http.post(`/v1/split-payments/${res.body.id}/refund`, {}, { token: payer.token });
    expect(rest.status).toBe(202);
    expect(rest.body.amount).toEqual(usd(7500));
    const full = await eventually(async () => {
      const r = await stack.http.get(`/v1/split-payments/${res.body.id}`, { token: payer.token });
      return r.body.refunds[1]?.status === 'succeeded' ? r.body : undefined;
    });
    expect(full.status).toBe('refunded');
    // Both refunds together took back each party's allocation exactly.
    expect((await Promise.all(recipients.map(balance))).map((b, i) => before[i] - b)).toEqual([3083, 3083, 3084]);
    const sums = [0, 1, 2, 3].map((i) => full.refunds[0].allocation[i].amount.amount + full.refunds[1].allocation[i].amount.amount);
    expect(sums).toEqual([3083, 3083, 3084, 750]);
    const again = await stack.http.post(`/v1/split-payments/${res.body.id}/refund`, {}, { token: payer.token });
    expect(again.status).toBe(409);
    const imbalance = await stack.deps.db('ledger_entries').whereLike('transaction_id', `${res.body.workflowId}%`).sum({ total: 'amount' }).first();
    expect(Number(imbalance?.total)).toBe(0);
  });

  it('shows another payer’s split as not found, and exposes the saga metrics', async () => {
    const [any] = await stack.deps.db('split_payments').where({ created_by: payer.id }).limit(1);
    const other = await createActiveAccount(stack.deps);
    expect((await stack.http.get(`/v1/split-payments/${any.id}`, { token: other.token })).status).toBe(404);
    expect((await stack.http.get(`/v1/split-payments/${any.id}`, { token: admin.token })).status).toBe(200);
    const metrics = await stack.http.get('/metrics');
    for (const name of ['split_payments_succeeded_total', 'split_payments_failed_total{reason="account_invalid"}', 'split_payments_success_rate', 'split_compensations_run_total', 'split_compensations_failed_total{step="reverse_transfer"}', 'split_step_duration_seconds_bucket', 'split_payments_recorded{status="succeeded"}']) {
      expect(metrics.text).toContain(name);
    }
  });

  it('the event log is append-only in the database', async () => {
    await expect(stack.deps.db('split_events').update({ type: 'x' }).limit(1)).rejects.toThrow(/append-only/);
    await expect(stack.deps.db('split_events').delete()).rejects.toThrow(/append-only/);
  });

  it('rebuilds every split payment from its events alone, equal to the stored projection', async () => {
    const rows = await stack.deps.db('split_payments').select('id', 'state', 'version', 'status');
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const rebuilt = rebuild(await listSplitEvents(stack.deps.db, row.id));
      expect(rebuilt).toEqual(row.state);
      expect(rebuilt!.version).toBe(row.version);
      expect(rebuilt!.status).toBe(row.status);
    }
  });
});
