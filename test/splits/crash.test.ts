import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { ControlledGateway, ControlledMailer, createRecipients, key, settled, threeWaySplit, transferRefused, type Recipient } from './helpers';

/**
 * The worker is killed at each step in turn: right after the provider did the step's work and
 * before the result reached Temporal (the dangerous moment), the worker stops and a fresh one
 * starts; Temporal retries the step on it with the same idempotency key. Every run must end with
 * exactly one charge, at most one transfer per recipient, and `succeeded` or `failed`-and-compensated.
 */
describe('split payments survive the worker being killed at each step', () => {
  let stack: TestStack;
  let gateway: ControlledGateway;
  let mailer: ControlledMailer;
  let payer: TestAccount;
  let recipients: Recipient[];

  beforeAll(async () => {
    gateway = new ControlledGateway();
    mailer = new ControlledMailer();
    stack = await startTestStack({ ports: { payments: gateway, mailer }, env: { SPLIT_COMPENSATION_MAX_INTERVAL: '1s' } });
    payer = await createActiveAccount(stack.deps);
    recipients = await createRecipients(stack, 3);
  });
  afterEach(() => {
    gateway.hooks = [];
    mailer.after = undefined;
  });
  afterAll(async () => {
    await stack.stop();
    await gateway.close();
    await mailer.close();
  });

  const dest = (i: number) => (input: Record<string, unknown>) => input.destination === recipients[i].providerAccountId;
  const points: [string, 'authorize' | 'capture' | 'transfer' | 'reverseTransfer' | 'refund', ((input: Record<string, unknown>) => boolean) | undefined, boolean][] = [
    ['charge (authorise)', 'authorize', undefined, false],
    ['charge (capture)', 'capture', undefined, false],
    ['transfer to the first recipient', 'transfer', dest(0), false],
    ['transfer to the second recipient', 'transfer', dest(1), false],
    ['transfer to the third recipient', 'transfer', dest(2), false],
    ['compensation: reversing the first transfer', 'reverseTransfer', undefined, true],
    ['compensation: refunding the charge', 'refund', undefined, true],
  ];

  it.each(points)('killed after the provider call of: %s', async (_name, method, match, failSecondTransfer) => {
    if (failSecondTransfer) gateway.hooks.push({ method: 'transfer', when: 'before', match: dest(1), run: () => { throw transferRefused(); } });
    let killed = false;
    gateway.hooks.push({
      method,
      when: 'after',
      match,
      once: true,
      run: () => {
        killed = true;
        void stack.stopWorker().then(() => stack.startWorker());
        throw new Error('worker killed after the provider call');
      },
    });
    const res = await stack.http.post('/v1/split-payments', threeWaySplit(recipients), { token: payer.token, headers: { 'Idempotency-Key': key() } });
    expect(res.status).toBe(201);
    const done = await settled(stack, res.body.id, payer.token, 55_000);
    expect(killed).toBe(true);

    const charges = await stack.deps.db('sandbox_payment_intents').whereRaw(`metadata->>'splitId' = ?`, [res.body.id]);
    expect(charges).toHaveLength(1);
    const transfers = await stack.deps.db('sandbox_transfers').where({ transfer_group: res.body.workflowId }).select('destination', 'id', 'amount', 'amount_reversed');
    const perRecipient = new Map<string, number>();
    for (const t of transfers) perRecipient.set(t.destination, (perRecipient.get(t.destination) ?? 0) + 1);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);

    if (failSecondTransfer) {
      expect(done).toMatchObject({ status: 'failed', compensated: true });
      expect(transfers.every((t: { amount: number; amount_reversed: number }) => Number(t.amount_reversed) === Number(t.amount))).toBe(true);
      expect(Number(charges[0].amount_refunded)).toBe(10_000);
      expect(await stack.deps.db('sandbox_refunds').where({ payment_intent_id: charges[0].id })).toHaveLength(1);
    } else {
      expect(done.status).toBe('succeeded');
      expect(transfers).toHaveLength(3);
      expect(Number(charges[0].amount_captured)).toBe(10_000);
    }
  });

  it('killed after the first email went out: the money stays once, every recipient is emailed exactly once', async () => {
    let killed = false;
    mailer.after = (message) => {
      if (killed || message.kind !== 'split-received') return;
      killed = true;
      void stack.stopWorker().then(() => stack.startWorker());
      throw new Error('worker killed after the email was sent');
    };
    const res = await stack.http.post('/v1/split-payments', threeWaySplit(recipients), { token: payer.token, headers: { 'Idempotency-Key': key() } });
    expect(res.status).toBe(201);
    const done = await settled(stack, res.body.id, payer.token, 55_000);
    expect(killed).toBe(true);
    expect(done.status).toBe('succeeded');
    expect(done.recipients.every((r: { notified: boolean }) => r.notified)).toBe(true);

    expect(await stack.deps.db('sandbox_payment_intents').whereRaw(`metadata->>'splitId' = ?`, [res.body.id])).toHaveLength(1);
    expect(await stack.deps.db('sandbox_transfers').where({ transfer_group: res.body.workflowId })).toHaveLength(3);
    const mails = await stack.deps.db('email_messages').where({ kind: 'split-received' }).andWhere('idempotency_key', 'like', `${res.body.workflowId}/%`);
    expect(mails.map((m: { to: string }) => m.to).sort()).toEqual(recipients.map((r) => r.account.email).sort());
    expect(mails.every((m: { status: string }) => m.status === 'sent')).toBe(true);
    // The killed email was tried again with its key (and found already sent), not sent twice.
    const keys = [...mailer.calls.keys()].filter((k) => k.startsWith(`${res.body.workflowId}/email/`));
    expect(keys).toHaveLength(3);
    expect(Math.max(...keys.map((k) => mailer.calls.get(k)!))).toBeGreaterThanOrEqual(2);
  });
});
