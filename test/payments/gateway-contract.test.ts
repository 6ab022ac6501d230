import { randomUUID } from 'node:crypto';
import { PaymentError, type PaymentGateway } from '../../providers/payments/port';
import { SandboxPaymentGateway } from '../../providers/payments/sandbox';
import { StripePaymentGateway } from '../../providers/payments/stripe';
import { createDb, type Db } from '../../platform/db';
import { StripeMock } from './stripe-mock';

/**
 * One contract, two adapters. The shared cases run against the sandbox (PostgreSQL) and the
 * stripe adapter (the official SDK against stripe-mock, which validates every request against
 * Stripe's API schema). stripe-mock is stateless and always answers its fixtures, so what needs
 * state (capture after authorise, balances), declines and idempotent replay runs on the sandbox only;
 * those tests say so in their names.
 */

const run = randomUUID().slice(0, 8);
let n = 0;
/** A fresh idempotency key, shaped like the platform's `<workflowId>/<step>`. */
const key = (step: string) => `contract-${run}/${step}-${++n}`;
const usd = (amount: number) => ({ amount, currency: 'USD' });

let db: Db;
let mock: StripeMock;
let sandbox: SandboxPaymentGateway;
let stripe: StripePaymentGateway;

beforeAll(async () => {
  db = createDb(process.env.TEST_DATABASE_URL!, 6);
  mock = await StripeMock.start();
  sandbox = new SandboxPaymentGateway(db);
  // No SDK retries: an injected 429 must surface as one mapped error.
  stripe = new StripePaymentGateway({ secretKey: 'sk_test_contract', host: '127.0.0.1', port: mock.port, protocol: 'http', maxNetworkRetries: 0 });
});

afterAll(async () => {
  await mock?.stop();
  await db?.destroy();
});

async function paymentError(promise: Promise<unknown>): Promise<PaymentError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PaymentError);
    return error as PaymentError;
  }
  throw new Error('expected a PaymentError, the call succeeded');
}

describe.each([
  ['sandbox', () => sandbox as PaymentGateway],
  ['stripe (stripe-mock)', () => stripe as PaymentGateway],
])('payment gateway contract: %s', (name, gateway) => {
  it('creates a customer and attaches a test card, answering provider ids', async () => {
    const { customerId } = await gateway().createCustomer({ email: 'fan@example.com', name: 'Fan' }, { idempotencyKey: key('customer') });
    expect(customerId).toMatch(/^cus_/);
    const { paymentMethodId } = await gateway().attachPaymentMethod({ customerId, paymentMethod: 'pm_card_visa' }, { idempotencyKey: key('attach') });
    expect(paymentMethodId).toMatch(/^pm_/);
  });

  it('authorises with manual capture, echoing the amount in minor units and the upper-case currency', async () => {
    const result = await gateway().authorize({ amount: usd(1234), paymentMethod: 'pm_card_visa', metadata: { workflowId: 'shoutout-contract' } }, { idempotencyKey: key('authorize') });
    expect(result.providerPaymentId).toMatch(/^pi_/);
    expect(result.amount).toEqual(usd(1234));
    expect(Number.isInteger(result.amountCaptured)).toBe(true);
  });

  it('captures (partially), voids and refunds by provider payment id', async () => {
    const auth = await gateway().authorize({ amount: usd(5000), paymentMethod: 'pm_card_visa' }, { idempotencyKey: key('authorize') });
    const captured = await gateway().capture({ providerPaymentId: auth.providerPaymentId, amount: 3000 }, { idempotencyKey: key('capture') });
    expect(captured.providerPaymentId).toBe(auth.providerPaymentId);
    const refund = await gateway().refund({ providerPaymentId: auth.providerPaymentId, amount: 1000, reason: 'requested_by_customer' }, { idempotencyKey: key('refund') });
    expect(refund.providerRefundId).toMatch(/^re_/);
    expect(refund.amount.currency).toBe('USD');
    expect(['succeeded', 'pending']).toContain(refund.status);

    const other = await gateway().authorize({ amount: usd(700), paymentMethod: 'pm_card_visa' }, { idempotencyKey: key('authorize') });
    const voided = await gateway().cancel({ providerPaymentId: other.providerPaymentId, reason: 'abandoned' }, { idempotencyKey: key('cancel') });
    expect(voided.providerPaymentId).toBe(other.providerPaymentId);
  });

  it('charges a saved payment method off-session', async () => {
    const { customerId } = await gateway().createCustomer({ email: 'renewal@example.com' }, { idempotencyKey: key('customer') });
    const { paymentMethodId } = await gateway().attachPaymentMethod({ customerId, paymentMethod: 'pm_card_visa' }, { idempotencyKey: key('attach') });
    const charge = await gateway().chargeOffSession({ amount: usd(999), customerId, paymentMethodId, metadata: { workflowId: 'subscription-x' } }, { idempotencyKey: key('renew') });
    expect(charge.providerPaymentId).toMatch(/^pi_/);
    expect(charge.amount).toEqual(usd(999));
  });

  it('transfers to a connected account tied to the source charge, then reverses part of it', async () => {
    const { accountId } = await gateway().createRecipientAccount({ email: 'talent@example.com', name: 'Talent' }, { idempotencyKey: key('account') });
    expect(accountId).toMatch(/^acct_/);
    const auth = await gateway().authorize({ amount: usd(10_000), paymentMethod: 'pm_card_visa' }, { idempotencyKey: key('authorize') });
    await gateway().capture({ providerPaymentId: auth.providerPaymentId }, { idempotencyKey: key('capture') });
    const transfer = await gateway().transfer(
      { amount: usd(8000), destination: accountId, sourcePaymentId: auth.providerPaymentId, transferGroup: 'split-contract' },
      { idempotencyKey: key('transfer') },
    );
    expect(transfer.providerTransferId).toMatch(/^tr_/);
    expect(transfer.amount).toEqual(usd(8000));
    const reversal = await gateway().reverseTransfer({ providerTransferId: transfer.providerTransferId, amount: 500 }, { idempotencyKey: key('reverse') });
    expect(reversal.providerReversalId).toMatch(/^trr_/);
    expect(reversal.amount.currency).toBe('USD');
  });

  it('refuses a call without an idempotency key before reaching the provider', async () => {
    const error = await paymentError(gateway().authorize({ amount: usd(100), paymentMethod: 'pm_card_visa' }, { idempotencyKey: '' }));
    expect(error.code).toBe('idempotency_key_invalid');
    expect(error.retryable).toBe(false);
  });

  it('answers ping', async () => {
    await expect(gateway().ping()).resolves.toBeUndefined();
    expect(gateway().provider).toBe(name.startsWith('stripe') ? 'stripe' : 'sandbox');
  });
});

describe('stripe adapter: what it sends (stripe-mock, recorded)', () => {
  it('sends the caller’s idempotency key on every mutating call (never the SDK’s own)', async () => {
    const from = mock.requests.length;
    const { customerId } = await stripe.createCustomer({ email: 'k@example.com' }, { idempotencyKey: 'wf-1/customer' });
    await stripe.attachPaymentMethod({ customerId, paymentMethod: 'pm_card_visa' }, { idempotencyKey: 'wf-1/attach' });
    const auth = await stripe.authorize({ amount: usd(2500), paymentMethod: 'pm_card_visa' }, { idempotencyKey: 'wf-1/authorize' });
    await stripe.capture({ providerPaymentId: auth.providerPaymentId, amount: 2000 }, { idempotencyKey: 'wf-1/capture' });
    await stripe.cancel({ providerPaymentId: auth.providerPaymentId }, { idempotencyKey: 'wf-1/cancel' });
    await stripe.refund({ providerPaymentId: auth.providerPaymentId }, { idempotencyKey: 'wf-1/refund' });
    await stripe.chargeOffSession({ amount: usd(100), customerId, paymentMethodId: 'pm_1' }, { idempotencyKey: 'wf-1/renew' });
    await stripe.createRecipientAccount({ email: 't@example.com' }, { idempotencyKey: 'wf-1/account' });
    await stripe.transfer({ amount: usd(100), destination: 'acct_1' }, { idempotencyKey: 'wf-1/transfer' });
    await stripe.reverseTransfer({ providerTransferId: 'tr_1' }, { idempotencyKey: 'wf-1/reverse' });
    const posts = mock.since(from).filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.idempotencyKey)).toEqual([
      'wf-1/customer',
      'wf-1/attach',
      'wf-1/authorize',
      'wf-1/capture',
      'wf-1/cancel',
      'wf-1/refund',
      'wf-1/renew',
      'wf-1/account',
      'wf-1/transfer',
      'wf-1/reverse',
    ]);
  });

  it('authorises as a manual-capture PaymentIntent confirmed with the payment method, in lower-case currency', async () => {
    const from = mock.requests.length;
    await stripe.authorize({ amount: usd(4200), paymentMethod: 'pm_card_visa', customerId: 'cus_1', metadata: { workflowId: 'shoutout-o1' } }, { idempotencyKey: key('authorize') });
    const [req] = mock.since(from);
    expect(req.path).toBe('/v1/payment_intents');
    expect(Object.fromEntries(req.params)).toMatchObject({
      amount: '4200',
      currency: 'usd',
      capture_method: 'manual',
      confirm: 'true',
      payment_method: 'pm_card_visa',
      customer: 'cus_1',
      'metadata[workflowId]': 'shoutout-o1',
    });
  });

  it('captures with amount_to_capture, charges off-session with off_session + confirm', async () => {
    const from = mock.requests.length;
    await stripe.capture({ providerPaymentId: 'pi_abc', amount: 1500 }, { idempotencyKey: key('capture') });
    await stripe.chargeOffSession({ amount: usd(990), customerId: 'cus_9', paymentMethodId: 'pm_9' }, { idempotencyKey: key('renew') });
    const [capture, offSession] = mock.since(from);
    expect(capture.path).toBe('/v1/payment_intents/pi_abc/capture');
    expect(capture.params.get('amount_to_capture')).toBe('1500');
    expect(offSession.path).toBe('/v1/payment_intents');
    expect(Object.fromEntries(offSession.params)).toMatchObject({ off_session: 'true', confirm: 'true', customer: 'cus_9', payment_method: 'pm_9', amount: '990' });
  });

  it('ties a transfer to the PaymentIntent’s charge (source_transaction) and its transfer_group; reverses by amount', async () => {
    const from = mock.requests.length;
    await stripe.transfer({ amount: usd(800), destination: 'acct_talent', sourcePaymentId: 'pi_source', transferGroup: 'split-9' }, { idempotencyKey: key('transfer') });
    await stripe.reverseTransfer({ providerTransferId: 'tr_9', amount: 300 }, { idempotencyKey: key('reverse') });
    const [lookup, transfer, reversal] = mock.since(from);
    expect(lookup).toMatchObject({ method: 'GET', path: '/v1/payment_intents/pi_source' });
    expect(Object.fromEntries(transfer.params)).toMatchObject({ amount: '800', currency: 'usd', destination: 'acct_talent', source_transaction: mock.latestCharge, transfer_group: 'split-9' });
    expect(reversal.path).toBe('/v1/transfers/tr_9/reversals');
    expect(reversal.params.get('amount')).toBe('300');
  });
});

describe('stripe adapter: error mapping (errors injected in front of stripe-mock)', () => {
  const cardError = (code: string, declineCode: string | undefined, message: string) => ({
    status: 402,
    body: { error: { type: 'card_error', code, decline_code: declineCode, message, payment_intent: { id: 'pi_declined', object: 'payment_intent', status: 'requires_payment_method' } } },
  });

  it('maps a card decline to a non-retryable PaymentError with its decline code and intent', async () => {
    mock.inject('POST', '/v1/payment_intents', cardError('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'));
    const error = await paymentError(stripe.authorize({ amount: usd(100), paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds' }, { idempotencyKey: key('authorize') }));
    expect(error).toMatchObject({ code: 'card_declined', declineCode: 'insufficient_funds', retryable: false, providerPaymentId: 'pi_declined' });
  });

  it('maps off-session authentication_required to a non-retryable PaymentError', async () => {
    mock.inject('POST', '/v1/payment_intents', cardError('authentication_required', 'authentication_required', 'This transaction requires authentication.'));
    const error = await paymentError(stripe.chargeOffSession({ amount: usd(100), customerId: 'cus_1', paymentMethodId: 'pm_1' }, { idempotencyKey: key('renew') }));
    expect(error).toMatchObject({ code: 'authentication_required', retryable: false, providerPaymentId: 'pi_declined' });
  });

  it('maps balance_insufficient on a reversal, and idempotency conflicts, to non-retryable errors', async () => {
    mock.inject('POST', '/v1/transfers/', { status: 400, body: { error: { type: 'invalid_request_error', code: 'balance_insufficient', message: 'Insufficient funds in Stripe account.' } } });
    expect(await paymentError(stripe.reverseTransfer({ providerTransferId: 'tr_1' }, { idempotencyKey: key('reverse') }))).toMatchObject({ code: 'balance_insufficient', retryable: false });
    mock.inject('POST', '/v1/refunds', { status: 400, body: { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } } });
    expect(await paymentError(stripe.refund({ providerPaymentId: 'pi_1' }, { idempotencyKey: key('refund') }))).toMatchObject({ code: 'idempotency_key_reused', retryable: false });
  });

  it('maps a concurrent request with the same key (409) to a retryable idempotency_conflict', async () => {
    mock.inject('POST', '/v1/payment_intents/', { status: 409, body: { error: { type: 'idempotency_error', message: 'There is currently another in-progress request using this Idempotent Key.' } } });
    expect(await paymentError(stripe.capture({ providerPaymentId: 'pi_1' }, { idempotencyKey: key('capture') }))).toMatchObject({ code: 'idempotency_conflict', retryable: true });
  });

  it('maps rate limits and Stripe outages to retryable errors', async () => {
    mock.inject('POST', '/v1/payment_intents/', { status: 429, body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests.' } } });
    expect(await paymentError(stripe.capture({ providerPaymentId: 'pi_1' }, { idempotencyKey: key('capture') }))).toMatchObject({ code: 'rate_limit', retryable: true });
    mock.inject('POST', '/v1/payment_intents/', { status: 500, body: { error: { type: 'api_error', message: 'Something went wrong on Stripe’s end.' } } });
    expect(await paymentError(stripe.cancel({ providerPaymentId: 'pi_1' }, { idempotencyKey: key('cancel') }))).toMatchObject({ code: 'api_error', retryable: true });
  });

  it('maps an unreachable API to a retryable api_connection_error', async () => {
    const unreachable = new StripePaymentGateway({ secretKey: 'sk_test_x', host: '127.0.0.1', port: 1, protocol: 'http', maxNetworkRetries: 0, timeoutMs: 2000 });
    expect(await paymentError(unreachable.createCustomer({ email: 'a@example.com' }, { idempotencyKey: key('customer') }))).toMatchObject({ code: 'api_connection_error', retryable: true });
    await expect(unreachable.ping()).rejects.toThrow();
  });
});

describe('sandbox only: state, declines, idempotent replay, balances', () => {
  const authorize = (amount: number, paymentMethod = 'pm_card_visa', k = key('authorize')) => sandbox.authorize({ amount: usd(amount), paymentMethod }, { idempotencyKey: k });

  it('walks an authorisation through partial capture and partial then full refunds', async () => {
    const auth = await authorize(5000);
    expect(auth).toEqual({ providerPaymentId: auth.providerPaymentId, status: 'requires_capture', amount: usd(5000), amountCaptured: 0, amountRefunded: 0 });
    const captured = await sandbox.capture({ providerPaymentId: auth.providerPaymentId, amount: 4000 }, { idempotencyKey: key('capture') });
    expect(captured).toMatchObject({ status: 'succeeded', amountCaptured: 4000, amountRefunded: 0 });
    await sandbox.refund({ providerPaymentId: auth.providerPaymentId, amount: 1500 }, { idempotencyKey: key('refund') });
    const rest = await sandbox.refund({ providerPaymentId: auth.providerPaymentId }, { idempotencyKey: key('refund') });
    expect(rest.amount).toEqual(usd(2500));
    expect(await sandbox.getPayment(auth.providerPaymentId)).toMatchObject({ amountCaptured: 4000, amountRefunded: 4000 });
    expect((await paymentError(sandbox.refund({ providerPaymentId: auth.providerPaymentId, amount: 1 }, { idempotencyKey: key('refund') }))).code).toBe('charge_already_refunded');
  });

  it('refuses to capture more than authorised, to capture twice, to capture a voided authorisation, to refund more than captured', async () => {
    const auth = await authorize(1000);
    expect((await paymentError(sandbox.capture({ providerPaymentId: auth.providerPaymentId, amount: 1001 }, { idempotencyKey: key('capture') }))).code).toBe('amount_too_large');
    await sandbox.capture({ providerPaymentId: auth.providerPaymentId, amount: 600 }, { idempotencyKey: key('capture') });
    expect((await paymentError(sandbox.capture({ providerPaymentId: auth.providerPaymentId }, { idempotencyKey: key('capture') }))).code).toBe('payment_intent_unexpected_state');
    expect((await paymentError(sandbox.cancel({ providerPaymentId: auth.providerPaymentId }, { idempotencyKey: key('cancel') }))).code).toBe('payment_intent_unexpected_state');
    expect((await paymentError(sandbox.refund({ providerPaymentId: auth.providerPaymentId, amount: 601 }, { idempotencyKey: key('refund') }))).code).toBe('amount_too_large');

    const other = await authorize(1000);
    const voided = await sandbox.cancel({ providerPaymentId: other.providerPaymentId }, { idempotencyKey: key('cancel') });
    expect(voided).toMatchObject({ status: 'canceled', amountCaptured: 0 });
    expect((await paymentError(sandbox.capture({ providerPaymentId: other.providerPaymentId }, { idempotencyKey: key('capture') }))).code).toBe('payment_intent_unexpected_state');
    expect((await paymentError(sandbox.refund({ providerPaymentId: other.providerPaymentId }, { idempotencyKey: key('refund') }))).code).toBe('payment_intent_unexpected_state');
    expect((await paymentError(sandbox.capture({ providerPaymentId: 'pi_nope' }, { idempotencyKey: key('capture') }))).code).toBe('resource_missing');
  });

  it('rejects amounts that are not positive integers of minor units, and unknown currencies', async () => {
    expect((await paymentError(sandbox.authorize({ amount: usd(12.5), paymentMethod: 'pm_card_visa' }, { idempotencyKey: key('authorize') }))).code).toBe('parameter_invalid_integer');
    expect((await paymentError(sandbox.authorize({ amount: usd(0), paymentMethod: 'pm_card_visa' }, { idempotencyKey: key('authorize') }))).code).toBe('parameter_invalid_integer');
    expect((await paymentError(sandbox.authorize({ amount: { amount: 100, currency: 'XXX' }, paymentMethod: 'pm_card_visa' }, { idempotencyKey: key('authorize') }))).code).toBe('parameter_invalid');
  });

  it.each([
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
  ])('declines %s on authorise with code %s / %s, not retryable, leaving a failed intent', async (card, code, declineCode) => {
    const error = await paymentError(authorize(2000, card));
    expect(error).toMatchObject({ code, declineCode, retryable: false });
    expect(error.providerPaymentId).toMatch(/^pi_/);
    expect(await sandbox.getPayment(error.providerPaymentId!)).toMatchObject({ status: 'failed', amountCaptured: 0 });
  });

  it('pm_card_authenticationRequired: authorises on-session, fails off-session with authentication_required', async () => {
    const onSession = await authorize(1500, 'pm_card_authenticationRequired');
    expect(onSession.status).toBe('requires_capture');
    const { customerId } = await sandbox.createCustomer({ email: 'sca@example.com' }, { idempotencyKey: key('customer') });
    const { paymentMethodId } = await sandbox.attachPaymentMethod({ customerId, paymentMethod: 'pm_card_authenticationRequired' }, { idempotencyKey: key('attach') });
    const error = await paymentError(sandbox.chargeOffSession({ amount: usd(1500), customerId, paymentMethodId }, { idempotencyKey: key('renew') }));
    expect(error).toMatchObject({ code: 'authentication_required', retryable: false });
    expect((await sandbox.getPayment(error.providerPaymentId!)).status).toBe('failed');
  });

  it('off-session: succeeds with a saved visa (captured at once), declines with a saved declining card, refuses another customer’s method', async () => {
    const { customerId } = await sandbox.createCustomer({ email: 'sub@example.com' }, { idempotencyKey: key('customer') });
    const visa = await sandbox.attachPaymentMethod({ customerId, paymentMethod: 'pm_card_visa' }, { idempotencyKey: key('attach') });
    const charge = await sandbox.chargeOffSession({ amount: usd(1999), customerId, paymentMethodId: visa.paymentMethodId }, { idempotencyKey: key('renew') });
    expect(charge).toMatchObject({ status: 'succeeded', amountCaptured: 1999 });
    const broke = await sandbox.attachPaymentMethod({ customerId, paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds' }, { idempotencyKey: key('attach') });
    expect(await paymentError(sandbox.chargeOffSession({ amount: usd(1999), customerId, paymentMethodId: broke.paymentMethodId }, { idempotencyKey: key('renew') }))).toMatchObject({
      code: 'card_declined',
      declineCode: 'insufficient_funds',
    });
    const stranger = await sandbox.createCustomer({ email: 'other@example.com' }, { idempotencyKey: key('customer') });
    expect((await paymentError(sandbox.chargeOffSession({ amount: usd(1), customerId: stranger.customerId, paymentMethodId: visa.paymentMethodId }, { idempotencyKey: key('renew') }))).code).toBe('payment_method_unexpected_state');
  });

  it('idempotent replay: the same key answers the same result and moves money once', async () => {
    const k = key('authorize');
    const first = await authorize(3300, 'pm_card_visa', k);
    const again = await authorize(3300, 'pm_card_visa', k);
    expect(again).toEqual(first);
    const captureKey = key('capture');
    await sandbox.capture({ providerPaymentId: first.providerPaymentId, amount: 1000 }, { idempotencyKey: captureKey });
    // A retried capture (e.g. after a worker crash) replays instead of failing on the new state.
    const replayed = await sandbox.capture({ providerPaymentId: first.providerPaymentId, amount: 1000 }, { idempotencyKey: captureKey });
    expect(replayed).toMatchObject({ status: 'succeeded', amountCaptured: 1000 });
    expect(await db('sandbox_idempotency_keys').where({ key: k })).toHaveLength(1);
  });

  it('idempotent replay of a decline: the same key answers the same decline and the same failed intent', async () => {
    const k = key('authorize');
    const first = await paymentError(authorize(700, 'pm_card_chargeDeclined', k));
    const second = await paymentError(authorize(700, 'pm_card_chargeDeclined', k));
    expect(second.toJSON()).toEqual(first.toJSON());
  });

  it('the same key with a different request is idempotency_key_reused (not retryable), whatever the operation', async () => {
    const k = key('authorize');
    await authorize(1000, 'pm_card_visa', k);
    expect(await paymentError(authorize(1001, 'pm_card_visa', k))).toMatchObject({ code: 'idempotency_key_reused', retryable: false });
    expect(await paymentError(sandbox.createCustomer({ email: 'x@example.com' }, { idempotencyKey: k }))).toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('concurrent calls with one key create one payment', async () => {
    const k = key('authorize');
    const results = await Promise.all(Array.from({ length: 5 }, () => authorize(4321, 'pm_card_visa', k)));
    expect(new Set(results.map((r) => r.providerPaymentId)).size).toBe(1);
    expect(await db('sandbox_payment_intents').where({ id: results[0].providerPaymentId })).toHaveLength(1);
  });

  it('a provider answer (resource_missing) is remembered by the key; an infrastructure failure leaves neither effect nor key', async () => {
    const k = key('transfer');
    expect((await paymentError(sandbox.transfer({ amount: usd(100), destination: 'acct_missing' }, { idempotencyKey: k }))).code).toBe('resource_missing');
    expect(await db('sandbox_idempotency_keys').where({ key: k }).first()).toMatchObject({ operation: 'transfers.create', response: { error: { code: 'resource_missing' } } });
    // PostgreSQL refuses a NUL character: an unexpected error inside the transaction rolls everything back,
    // so a retry with the same key runs afresh instead of replaying a failure nobody answered.
    const k2 = key('customer');
    await expect(sandbox.createCustomer({ email: 'nul\u0000@example.com' }, { idempotencyKey: k2 })).rejects.not.toBeInstanceOf(PaymentError);
    expect(await db('sandbox_idempotency_keys').where({ key: k2 }).first()).toBeUndefined();
    expect(await db('sandbox_customers').where('email', 'like', 'nul%')).toHaveLength(0);
  });

  it('a transfer credits the recipient; a payout spends it; a later reversal fails with balance_insufficient and changes nothing', async () => {
    const { accountId } = await sandbox.createRecipientAccount({ email: 'talent2@example.com' }, { idempotencyKey: key('account') });
    const auth = await authorize(10_000);
    await sandbox.capture({ providerPaymentId: auth.providerPaymentId }, { idempotencyKey: key('capture') });
    const transfer = await sandbox.transfer({ amount: usd(7000), destination: accountId, sourcePaymentId: auth.providerPaymentId, transferGroup: 'g' }, { idempotencyKey: key('transfer') });
    expect((await sandbox.getBalance(accountId, 'USD')).available).toEqual(usd(7000));

    const reversal = await sandbox.reverseTransfer({ providerTransferId: transfer.providerTransferId, amount: 1000 }, { idempotencyKey: key('reverse') });
    expect(reversal.amount).toEqual(usd(1000));
    expect((await sandbox.getBalance(accountId, 'USD')).available).toEqual(usd(6000));

    const payout = await sandbox.simulatePayout({ accountId, currency: 'USD', amount: 5500 });
    expect(payout.amount).toEqual(usd(5500));
    const error = await paymentError(sandbox.reverseTransfer({ providerTransferId: transfer.providerTransferId }, { idempotencyKey: key('reverse') }));
    expect(error).toMatchObject({ code: 'balance_insufficient', retryable: false });
    expect((await sandbox.getBalance(accountId, 'USD')).available).toEqual(usd(500));
    expect((await db('sandbox_transfers').where({ id: transfer.providerTransferId }).first()).amount_reversed).toBe(1000);

    // What is left can still be reversed.
    await sandbox.reverseTransfer({ providerTransferId: transfer.providerTransferId, amount: 500 }, { idempotencyKey: key('reverse') });
    expect((await sandbox.getBalance(accountId, 'USD')).available).toEqual(usd(0));
  });

  it('refuses transfers beyond what the source payment brought in, also when they race', async () => {
    const { accountId } = await sandbox.createRecipientAccount({ email: 'talent3@example.com' }, { idempotencyKey: key('account') });
    const auth = await authorize(1000);
    expect((await paymentError(sandbox.transfer({ amount: usd(100), destination: accountId, sourcePaymentId: auth.providerPaymentId }, { idempotencyKey: key('transfer') }))).code).toBe('payment_intent_unexpected_state');
    await sandbox.capture({ providerPaymentId: auth.providerPaymentId }, { idempotencyKey: key('capture') });
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => sandbox.transfer({ amount: usd(300), destination: accountId, sourcePaymentId: auth.providerPaymentId }, { idempotencyKey: key('transfer') })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as PaymentError).code).toBe('amount_too_large');
    expect((await sandbox.getBalance(accountId, 'USD')).available).toEqual(usd(900));
    expect((await paymentError(sandbox.transfer({ amount: { amount: 1, currency: 'EUR' }, destination: accountId, sourcePaymentId: auth.providerPaymentId }, { idempotencyKey: key('transfer') }))).code).toBe('currency_mismatch');
  });

  it('concurrent transfers to one account add up exactly', async () => {
    const { accountId } = await sandbox.createRecipientAccount({ email: 'talent4@example.com' }, { idempotencyKey: key('account') });
    await Promise.all(Array.from({ length: 10 }, (_, i) => sandbox.transfer({ amount: usd(100 + i), destination: accountId }, { idempotencyKey: key('transfer') })));
    expect((await sandbox.getBalance(accountId, 'USD')).available).toEqual(usd(1045));
  });
});
