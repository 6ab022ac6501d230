import { randomUUID } from 'node:crypto';
import { SandboxPaymentGateway } from '../../providers/payments/sandbox';
import { PaymentError, type CallOptions, type PaymentGateway } from '../../providers/payments/port';
import { OutboxMailer } from '../../providers/email/outbox';
import type { Mailer, MailMessage } from '../../providers/email/port';
import { createDb, type Db } from '../../platform/db';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import type { TestStack } from '../harness/stack';

type Method = 'authorize' | 'capture' | 'transfer' | 'reverseTransfer' | 'refund';

/**
 * A test double around the REAL sandbox gateway: every call goes to the sandbox, and a test can
 * add a hook that runs before or after one call (to refuse it, to pay a recipient out, or to
 * "kill the worker" right after the provider did its work). It also remembers the ids the
 * provider answered, so a test can count charges and transfers.
 */
export class ControlledGateway implements PaymentGateway {
  readonly provider = 'sandbox' as const;
  readonly sandbox: SandboxPaymentGateway;
  readonly db: Db;
  hooks: { method: Method; when: 'before' | 'after'; match?: (input: Record<string, unknown>, options: CallOptions) => boolean; run: (input: Record<string, unknown>, options: CallOptions) => Promise<void> | void; once?: boolean }[] = [];

  constructor() {
    this.db = createDb(process.env.TEST_DATABASE_URL!, 5);
    this.sandbox = new SandboxPaymentGateway(this.db);
  }

  private async call<T>(method: Method, input: Record<string, unknown>, options: CallOptions, real: () => Promise<T>): Promise<T> {
    for (const h of this.hooks.filter((x) => x.method === method && x.when === 'before' && (!x.match || x.match(input, options)))) {
      if (h.once) this.hooks.splice(this.hooks.indexOf(h), 1);
      await h.run(input, options);
    }
    const result = await real();
    for (const h of this.hooks.filter((x) => x.method === method && x.when === 'after' && (!x.match || x.match(input, options)))) {
      if (h.once) this.hooks.splice(this.hooks.indexOf(h), 1);
      await h.run(input, options);
    }
    return result;
  }

  createCustomer: PaymentGateway['createCustomer'] = (i, o) => this.sandbox.createCustomer(i, o);
  attachPaymentMethod: PaymentGateway['attachPaymentMethod'] = (i, o) => this.sandbox.attachPaymentMethod(i, o);
  authorize: PaymentGateway['authorize'] = (i, o) => this.call('authorize', i as never, o, () => this.sandbox.authorize(i, o));
  capture: PaymentGateway['capture'] = (i, o) => this.call('capture', i as never, o, () => this.sandbox.capture(i, o));
  cancel: PaymentGateway['cancel'] = (i, o) => this.sandbox.cancel(i, o);
  refund: PaymentGateway['refund'] = (i, o) => this.call('refund', i as never, o, () => this.sandbox.refund(i, o));
  chargeOffSession: PaymentGateway['chargeOffSession'] = (i, o) => this.sandbox.chargeOffSession(i, o);
  createRecipientAccount: PaymentGateway['createRecipientAccount'] = (i, o) => this.sandbox.createRecipientAccount(i, o);
  transfer: PaymentGateway['transfer'] = (i, o) => this.call('transfer', i as never, o, () => this.sandbox.transfer(i, o));
  reverseTransfer: PaymentGateway['reverseTransfer'] = (i, o) => this.call('reverseTransfer', i as never, o, () => this.sandbox.reverseTransfer(i, o));
  ping: PaymentGateway['ping'] = () => this.sandbox.ping();

  close(): Promise<void> {
    return this.db.destroy();
  }
}

/**
 * The REAL outbox mailer with a hook after a send (to "kill the worker" once an email went out),
 * counting the calls per idempotency key: a retried email reaches the mailer again with its key.
 */
export class ControlledMailer implements Mailer {
  readonly db: Db;
  private readonly outbox: OutboxMailer;
  readonly calls = new Map<string, number>();
  after: ((message: MailMessage, options: { idempotencyKey: string }) => Promise<void> | void) | undefined;

  constructor() {
    this.db = createDb(process.env.TEST_DATABASE_URL!, 3);
    this.outbox = new OutboxMailer(this.db);
  }

  async send(message: MailMessage, options: { idempotencyKey: string }): Promise<{ messageId: string }> {
    this.calls.set(options.idempotencyKey, (this.calls.get(options.idempotencyKey) ?? 0) + 1);
    const sent = await this.outbox.send(message, options);
    await this.after?.(message, options);
    return sent;
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

export const transferRefused = () => new PaymentError('account_invalid', 'The destination account cannot receive transfers (injected by the test).', false);

export interface Recipient {
  account: TestAccount;
  payoutAccountId: string;
  providerAccountId: string;
}

export async function createRecipients(stack: TestStack, n: number): Promise<Recipient[]> {
  const out: Recipient[] = [];
  for (let i = 0; i < n; i++) {
    const account = await createActiveAccount(stack.deps, { kind: 'talent' });
    const res = await stack.http.post('/v1/payout-accounts', { accountId: account.id, provider: 'sandbox' }, { token: account.token });
    if (res.status !== 201) throw new Error(`payout account: ${res.status} ${res.text}`);
    out.push({ account, payoutAccountId: res.body.id, providerAccountId: res.body.providerAccountId });
  }
  return out;
}

export const usd = (amount: number) => ({ amount, currency: 'USD' });

export function threeWaySplit(recipients: Recipient[], paymentMethod = 'pm_card_visa') {
  return {
    total: usd(10_000),
    paymentMethod,
    platformFee: { percent: 7.5 },
    recipients: [
      { payoutAccountId: recipients[0].payoutAccountId, share: { percent: 33.3333 } },
      { payoutAccountId: recipients[1].payoutAccountId, share: { percent: 33.3333 } },
      { payoutAccountId: recipients[2].payoutAccountId, share: { percent: 33.3334 } },
    ],
    description: 'Three-way collab',
  };
}

export const key = () => `test-${randomUUID()}`;

/** Polls the split until it is no longer running. */
export async function settled(stack: TestStack, id: string, token: string, timeoutMs = 45_000): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await stack.http.get(`/v1/split-payments/${id}`, { token });
    if (res.status === 200 && ['succeeded', 'failed'].includes(res.body.status) && res.body.step === null) return res.body;
    if (Date.now() > deadline) throw new Error(`split ${id} did not settle: ${res.text}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
