import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { newId } from '../../domain/ids';
import { isKnownCurrency, type Money } from '../../domain/money';
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/logger';
import {
  isPaymentError,
  PaymentError,
  type AuthorizeInput,
  type CallOptions,
  type OffSessionInput,
  type PaymentGateway,
  type PaymentResult,
  type RefundResult,
  type ReversalResult,
  type TransferInput,
  type TransferResult,
} from './port';

/**
 * The sandbox payment provider: a stateful simulator of the parts of Stripe the platform uses,
 * persisted in PostgreSQL (tables `sandbox_*`, migrations/20261122020000_payments_sandbox.ts), so it
 * behaves the same across the API, every worker and a restart. It is the default adapter when
 * STRIPE_SECRET_KEY is unset.
 *
 * Fidelity notes (what it shares with Stripe, on purpose):
 * - ids look like Stripe's (`cus_`, `pm_`, `pi_`, `re_`, `acct_`, `tr_`, `trr_`, `po_`);
 * - every call is idempotent by key: the same key answers the first answer (a decline too) and the
 *   same key with another request is `idempotency_key_reused`;
 * - a declined confirmation leaves an intent behind in `requires_payment_method` (status `failed`
 *   here) whose id the error carries;
 * - transfers credit the connected account's available balance; payouts and reversals debit it and
 *   it can never go negative, so reversing a transfer whose money was paid out fails with
 *   `balance_insufficient`.
 * Deliberate differences: cards are only judged when charged (Stripe also declines some test cards
 * at attach time), and `pm_card_authenticationRequired` succeeds on-session (Stripe would answer
 * `requires_action` and the customer would pass 3-D Secure in the browser; there is no browser here).
 */

/** How a test payment method behaves when charged. */
type CardBehaviour =
  | { kind: 'succeeds' }
  | { kind: 'declines'; code: string; declineCode: string; message: string }
  /** Succeeds with the customer present; off-session it needs authentication the customer cannot give. */
  | { kind: 'requires_authentication_off_session' };

const declined = (declineCode: string, message: string, code = 'card_declined'): CardBehaviour => ({ kind: 'declines', code, declineCode, message });

/** Stripe's test payment methods (https://docs.stripe.com/testing#cards), the ones the platform's tests need. */
export const SANDBOX_TEST_CARDS: Readonly<Record<string, CardBehaviour>> = Object.freeze({
  pm_card_visa: { kind: 'succeeds' },
  pm_card_visa_debit: { kind: 'succeeds' },
  pm_card_mastercard: { kind: 'succeeds' },
  pm_card_amex: { kind: 'succeeds' },
  pm_card_chargeDeclined: declined('generic_decline', 'Your card was declined.'),
  pm_card_visa_chargeDeclined: declined('generic_decline', 'Your card was declined.'),
  pm_card_chargeDeclinedInsufficientFunds: declined('insufficient_funds', 'Your card has insufficient funds.'),
  pm_card_chargeDeclinedFraudulent: declined('fraudulent', 'Your card was declined.'),
  pm_card_chargeDeclinedExpiredCard: declined('expired_card', 'Your card has expired.', 'expired_card'),
  pm_card_chargeDeclinedIncorrectCvc: declined('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  pm_card_authenticationRequired: { kind: 'requires_authentication_off_session' },
});

/** Stripe's limit on an amount: eight digits. */
const MAX_AMOUNT = 99_999_999;

type Trx = Knex.Transaction;
type StoredError = ReturnType<PaymentError['toJSON']>;
type StoredResponse = { result: unknown } | { error: StoredError };

/**
 * Returned (not thrown) by an operation whose failure must still be committed: a decline leaves
 * its failed intent behind, and the idempotency key remembers the decline.
 */
class CommittedFailure {
  constructor(readonly error: PaymentError) {}
}

interface IntentRow {
  [column: string]: unknown;
  id: string;
  customer_id: string | null;
  payment_method: string;
  card: string;
  amount: number;
  currency: string;
  status: 'requires_capture' | 'succeeded' | 'canceled' | 'requires_payment_method';
  capture_method: 'manual' | 'automatic';
  off_session: boolean;
  amount_captured: number;
  amount_refunded: number;
  failure_code: string | null;
  decline_code: string | null;
  metadata: Record<string, string>;
}

interface TransferRow {
  id: string;
  destination: string;
  amount: number;
  currency: string;
  source_payment_id: string | null;
  transfer_group: string | null;
  amount_reversed: number;
}

const invalid = (code: string, message: string) => new PaymentError(code, message, false);
const missing = (what: string, id: string) => invalid('resource_missing', `No such ${what}: '${id}'`);

/** Serialises with sorted keys and without undefined members, so equal requests hash equally. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

function checkAmount(amount: unknown, field = 'amount'): number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    throw invalid('parameter_invalid_integer', `${field} must be a positive integer number of minor units, got ${String(amount)}`);
  }
  if (amount > MAX_AMOUNT) throw invalid('amount_too_large', `${field} must be at most ${MAX_AMOUNT}`);
  return amount;
}

function checkMoney(money: Money): Money {
  checkAmount(money?.amount);
  if (!isKnownCurrency(money.currency)) throw invalid('parameter_invalid', `Invalid currency: ${money.currency}`);
  return money;
}

function toResult(row: IntentRow): PaymentResult {
  return {
    providerPaymentId: row.id,
    status: row.status === 'requires_payment_method' ? 'failed' : row.status,
    amount: { amount: Number(row.amount), currency: row.currency },
    amountCaptured: Number(row.amount_captured),
    amountRefunded: Number(row.amount_refunded),
  };
}

export interface SandboxBalance {
  accountId: string;
  available: Money;
}

export class SandboxPaymentGateway implements PaymentGateway {
  readonly provider = 'sandbox' as const;

  constructor(
    private readonly db: Db,
    private readonly logger?: Logger,
  ) {}

  async createCustomer(input: { email: string; name?: string }, options: CallOptions): Promise<{ customerId: string }> {
    return this.idempotent('customers.create', input, options, async (trx) => {
      if (!input.email) throw invalid('parameter_missing', 'email is required');
      const id = newId('cus');
      await trx('sandbox_customers').insert({ id, email: input.email, name: input.name ?? null });
      return { customerId: id };
    });
  }

  async attachPaymentMethod(input: { customerId: string; paymentMethod: string }, options: CallOptions): Promise<{ paymentMethodId: string }> {
    return this.idempotent('payment_methods.attach', input, options, async (trx) => {
      const customer = await trx('sandbox_customers').where({ id: input.customerId }).first();
      if (!customer) throw missing('customer', input.customerId);
      const existing = await trx('sandbox_payment_methods').where({ id: input.paymentMethod }).first();
      if (existing) {
        if (existing.customer_id !== input.customerId) throw invalid('payment_method_unexpected_state', 'The payment method you provided has already been attached to a customer.');
        return { paymentMethodId: existing.id as string };
      }
      if (!SANDBOX_TEST_CARDS[input.paymentMethod]) throw missing('PaymentMethod', input.paymentMethod);
      // Like Stripe, attaching a test card makes a new payment method owned by the customer.
      const id = newId('pm');
      await trx('sandbox_payment_methods').insert({ id, customer_id: input.customerId, card: input.paymentMethod });
      return { paymentMethodId: id };
    });
  }

  async authorize(input: AuthorizeInput, options: CallOptions): Promise<PaymentResult> {
    return this.idempotent('payment_intents.authorize', input, options, async (trx) => {
      const amount = checkMoney(input.amount);
      if (input.customerId) await this.requireCustomer(trx, input.customerId);
      const card = await this.resolveCard(trx, input.paymentMethod, input.customerId);
      const behaviour = SANDBOX_TEST_CARDS[card];
      // On-session the customer is present: cards needing authentication pass (see the note at the top).
      return this.confirmIntent(trx, { amount, card, paymentMethod: input.paymentMethod, customerId: input.customerId, description: input.description, metadata: input.metadata, capture: 'manual', offSession: false }, behaviour);
    });
  }

  async capture(input: { providerPaymentId: string; amount?: number }, options: CallOptions): Promise<PaymentResult> {
    return this.idempotent('payment_intents.capture', input, options, async (trx) => {
      const intent = await this.lockIntent(trx, input.providerPaymentId);
      if (intent.status !== 'requires_capture') {
        throw invalid('payment_intent_unexpected_state', `This PaymentIntent could not be captured because it has a status of ${intent.status}.`);
      }
      const amount = input.amount === undefined ? Number(intent.amount) : checkAmount(input.amount, 'amount_to_capture');
      if (amount > Number(intent.amount)) throw invalid('amount_too_large', `amount_to_capture (${amount}) exceeds the authorised amount (${intent.amount}).`);
      // A partial capture releases the rest of the authorisation: the intent is done either way.
      const [row] = await trx<IntentRow>('sandbox_payment_intents')
        .where({ id: intent.id })
        .update({ status: 'succeeded', amount_captured: amount, updated_at: trx.fn.now() })
        .returning('*');
      return toResult(row);
    });
  }

  async cancel(input: { providerPaymentId: string; reason?: string }, options: CallOptions): Promise<PaymentResult> {
    return this.idempotent('payment_intents.cancel', input, options, async (trx) => {
      const intent = await this.lockIntent(trx, input.providerPaymentId);
      if (intent.status !== 'requires_capture' && intent.status !== 'requires_payment_method') {
        throw invalid('payment_intent_unexpected_state', `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`);
      }
      const [row] = await trx<IntentRow>('sandbox_payment_intents')
        .where({ id: intent.id })
        .update({ status: 'canceled', cancellation_reason: input.reason ?? null, updated_at: trx.fn.now() })
        .returning('*');
      return toResult(row);
    });
  }

  async refund(input: { providerPaymentId: string; amount?: number; reason?: string }, options: CallOptions): Promise<RefundResult> {
    return this.idempotent('refunds.create', input, options, async (trx) => {
      const intent = await this.lockIntent(trx, input.providerPaymentId);
      if (intent.status !== 'succeeded') {
        throw invalid('payment_intent_unexpected_state', `This PaymentIntent has no captured charge to refund (status ${intent.status}).`);
      }
      const refundable = Number(intent.amount_captured) - Number(intent.amount_refunded);
      if (refundable <= 0) throw invalid('charge_already_refunded', `Charge for ${intent.id} has already been refunded.`);
      const amount = input.amount === undefined ? refundable : checkAmount(input.amount);
      if (amount > refundable) throw invalid('amount_too_large', `Refund amount (${amount}) is greater than the unrefunded amount (${refundable}).`);
      const id = newId('re');
      await trx('sandbox_refunds').insert({ id, payment_intent_id: intent.id, amount, currency: intent.currency, reason: input.reason ?? null });
      await trx('sandbox_payment_intents').where({ id: intent.id }).update({ amount_refunded: Number(intent.amount_refunded) + amount, updated_at: trx.fn.now() });
      return { providerRefundId: id, amount: { amount, currency: intent.currency }, status: 'succeeded' as const };
    });
  }

  /** Every renewal calls this: the customer and card checks are one query, and it needs no savepoint (below). */
  async chargeOffSession(input: OffSessionInput, options: CallOptions): Promise<PaymentResult> {
    return this.idempotent(
      'payment_intents.off_session',
      input,
      options,
      async (trx) => {
        const amount = checkMoney(input.amount);
        const card = await this.customerCard(trx, input.customerId, input.paymentMethodId);
        const behaviour = SANDBOX_TEST_CARDS[card];
        return this.confirmIntent(trx, { amount, card, paymentMethod: input.paymentMethodId, customerId: input.customerId, description: input.description, metadata: input.metadata, capture: 'automatic', offSession: true }, behaviour);
      },
      { throwsOnlyBeforeWriting: true },
    );
  }

  async createRecipientAccount(input: { email: string; name?: string }, options: CallOptions): Promise<{ accountId: string }> {
    return this.idempotent('accounts.create', input, options, async (trx) => {
      if (!input.email) throw invalid('parameter_missing', 'email is required');
      const id = newId('acct');
      await trx('sandbox_accounts').insert({ id, email: input.email, name: input.name ?? null });
      return { accountId: id };
    });
  }

  async transfer(input: TransferInput, options: CallOptions): Promise<TransferResult> {
    return this.idempotent('transfers.create', input, options, async (trx) => {
      const money = checkMoney(input.amount);
      const account = await trx('sandbox_accounts').where({ id: input.destination }).first();
      if (!account) throw missing('destination account', input.destination);
      if (input.sourcePaymentId) {
        // Locking the source serialises concurrent transfers from one charge, so together they
        // can never exceed what it brought in (Stripe refuses that too).
        const source = await this.lockIntent(trx, input.sourcePaymentId);
        if (source.status !== 'succeeded') throw invalid('payment_intent_unexpected_state', `The source payment ${source.id} has not been captured (status ${source.status}).`);
        if (source.currency !== money.currency) throw invalid('currency_mismatch', `The transfer currency ${money.currency} differs from the source payment's ${source.currency}.`);
        const [{ transferred }] = await trx('sandbox_transfers')
          .where({ source_payment_id: source.id })
          .select(trx.raw('coalesce(sum(amount - amount_reversed), 0)::bigint as transferred'));
        const available = Number(source.amount_captured) - Number(source.amount_refunded) - Number(transferred);
        if (money.amount > available) throw invalid('amount_too_large', `The transfer (${money.amount}) exceeds what remains of the source payment (${available}).`);
      }
      const id = newId('tr');
      await trx('sandbox_transfers').insert({
        id,
        destination: input.destination,
        amount: money.amount,
        currency: money.currency,
        source_payment_id: input.sourcePaymentId ?? null,
        transfer_group: input.transferGroup ?? null,
        metadata: JSON.stringify(input.metadata ?? {}),
      });
      await this.credit(trx, input.destination, money.currency, money.amount);
      return { providerTransferId: id, amount: { ...money }, destination: input.destination };
    });
  }

  async reverseTransfer(input: { providerTransferId: string; amount?: number }, options: CallOptions): Promise<ReversalResult> {
    return this.idempotent('transfers.reverse', input, options, async (trx) => {
      const transfer = await trx<TransferRow>('sandbox_transfers').where({ id: input.providerTransferId }).forUpdate().first();
      if (!transfer) throw missing('transfer', input.providerTransferId);
      const reversible = Number(transfer.amount) - Number(transfer.amount_reversed);
      if (reversible <= 0) throw invalid('transfer_already_reversed', `Transfer ${transfer.id} has already been fully reversed.`);
      const amount = input.amount === undefined ? reversible : checkAmount(input.amount);
      if (amount > reversible) throw invalid('amount_too_large', `Reversal amount (${amount}) is greater than the unreversed amount (${reversible}).`);
      const balance = await trx('sandbox_balances').where({ account_id: transfer.destination, currency: transfer.currency }).forUpdate().first();
      const available = Number(balance?.available ?? 0);
      if (available < amount) {
        throw invalid('balance_insufficient', `Insufficient funds in the connected account ${transfer.destination} to reverse ${amount} ${transfer.currency} (available ${available}): the money was paid out.`);
      }
      await trx('sandbox_balances').where({ account_id: transfer.destination, currency: transfer.currency }).update({ available: available - amount });
      const id = newId('trr');
      await trx('sandbox_transfer_reversals').insert({ id, transfer_id: transfer.id, amount });
      await trx('sandbox_transfers').where({ id: transfer.id }).update({ amount_reversed: Number(transfer.amount_reversed) + amount });
      return { providerReversalId: id, amount: { amount, currency: transfer.currency } };
    });
  }

  async ping(): Promise<void> {
    // Proves both the connection and that the sandbox's tables are migrated.
    await this.db.raw('select 1 from sandbox_idempotency_keys limit 1');
  }

  // ---- sandbox-only operations (tests and the dev UI drive the simulated world with these) ----

  /**
   * Simulates the connected account paying its balance out to its bank: debits `amount` (default:
   * everything available). Afterwards a transfer reversal larger than what is left fails with
   * `balance_insufficient`, as with Stripe.
   */
  async simulatePayout(input: { accountId: string; currency: string; amount?: number }): Promise<{ payoutId: string; amount: Money }> {
    return this.db.transaction(async (trx) => {
      const balance = await trx('sandbox_balances').where({ account_id: input.accountId, currency: input.currency }).forUpdate().first();
      const available = Number(balance?.available ?? 0);
      const amount = input.amount === undefined ? available : checkAmount(input.amount);
      if (amount > available) throw invalid('balance_insufficient', `The account ${input.accountId} has ${available} ${input.currency} available, less than ${amount}.`);
      if (amount > 0) await trx('sandbox_balances').where({ account_id: input.accountId, currency: input.currency }).update({ available: available - amount });
      const payoutId = newId('po');
      await trx('sandbox_payouts').insert({ id: payoutId, account_id: input.accountId, amount, currency: input.currency });
      return { payoutId, amount: { amount, currency: input.currency } };
    });
  }

  async getBalance(accountId: string, currency: string): Promise<SandboxBalance> {
    const row = await this.db('sandbox_balances').where({ account_id: accountId, currency }).first();
    return { accountId, available: { amount: Number(row?.available ?? 0), currency } };
  }

  /** The current state of a payment intent (the provider's view, for tests and reconciliation). */
  async getPayment(providerPaymentId: string): Promise<PaymentResult & { metadata: Record<string, string> }> {
    const row = await this.db<IntentRow>('sandbox_payment_intents').where({ id: providerPaymentId }).first();
    if (!row) throw missing('payment_intent', providerPaymentId);
    return { ...toResult(row), metadata: row.metadata };
  }

  // ---- internals ----

  /**
   * Runs `operation` at most once per idempotency key, in one database transaction with the key:
   * either the effect and the remembered answer are both committed, or neither is (a crash or an
   * unexpected error leaves nothing, so a retry runs it afresh). A concurrent request with the same
   * key waits on the key's row and then replays the committed answer.
   */
  private async idempotent<T>(operation: string, request: unknown, options: CallOptions, run: (trx: Trx) => Promise<T | CommittedFailure>, how: { throwsOnlyBeforeWriting?: boolean } = {}): Promise<T> {
    const key = options?.idempotencyKey;
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      throw invalid('idempotency_key_invalid', 'An idempotency key of 1 to 255 characters is required on every call.');
    }
    const requestHash = createHash('sha256').update(canonical({ operation, request })).digest('hex');
    const response = await this.db.transaction(async (trx): Promise<StoredResponse> => {
      const inserted = await trx('sandbox_idempotency_keys').insert({ key, operation, request_hash: requestHash }).onConflict('key').ignore().returning('key');
      if (inserted.length === 0) {
        const previous = await trx('sandbox_idempotency_keys').where({ key }).first();
        if (previous.request_hash !== requestHash) {
          return { error: { code: 'idempotency_key_reused', message: `Keys for idempotent requests can only be used with the same parameters they were first used with (key '${key}' was used for ${previous.operation}).`, retryable: false } };
        }
        this.logger?.debug({ key, operation }, 'sandbox payments: replaying an idempotent answer');
        return previous.response as StoredResponse;
      }
      let stored: StoredResponse;
      try {
        // A savepoint: a thrown PaymentError undoes the operation's writes but keeps the key and its answer.
        // An operation that throws only before its first write has nothing to undo, and skips its two round trips.
        const outcome = how.throwsOnlyBeforeWriting ? await run(trx) : await trx.transaction((inner) => run(inner));
        stored = outcome instanceof CommittedFailure ? { error: outcome.error.toJSON() } : { result: outcome };
      } catch (error) {
        if (!isPaymentError(error)) throw error;
        stored = { error: error.toJSON() };
      }
      await trx('sandbox_idempotency_keys').where({ key }).update({ response: JSON.stringify(stored) });
      return stored;
    });
    if ('error' in response) {
      const e = response.error;
      throw new PaymentError(e.code, e.message, e.retryable, e.declineCode, e.providerPaymentId);
    }
    return response.result as T;
  }

  private async requireCustomer(trx: Trx, customerId: string): Promise<void> {
    const customer = await trx('sandbox_customers').where({ id: customerId }).first();
    if (!customer) throw missing('customer', customerId);
  }

  /** requireCustomer then resolveCard (same errors, same order), in one query. */
  private async customerCard(trx: Trx, customerId: string, paymentMethod: string): Promise<string> {
    const { rows } = await trx.raw<{ rows: { customer: boolean; card: string | null; owner: string | null }[] }>(
      `select exists (select 1 from sandbox_customers where id = ?) as customer, pm.card, pm.customer_id as owner
       from (select 1) one left join sandbox_payment_methods pm on pm.id = ?`,
      [customerId, paymentMethod],
    );
    const [row] = rows;
    if (!row.customer) throw missing('customer', customerId);
    if (SANDBOX_TEST_CARDS[paymentMethod]) return paymentMethod;
    if (row.card === null) throw missing('PaymentMethod', paymentMethod);
    if (row.owner !== customerId) throw invalid('payment_method_unexpected_state', `The PaymentMethod ${paymentMethod} does not belong to the customer ${customerId}.`);
    return row.card;
  }

  /** A test card name, or a payment method attached earlier (which must belong to the customer). */
  private async resolveCard(trx: Trx, paymentMethod: string, customerId?: string): Promise<string> {
    if (SANDBOX_TEST_CARDS[paymentMethod]) return paymentMethod;
    const row = await trx('sandbox_payment_methods').where({ id: paymentMethod }).first();
    if (!row) throw missing('PaymentMethod', paymentMethod);
    if (customerId && row.customer_id !== customerId) {
      throw invalid('payment_method_unexpected_state', `The PaymentMethod ${paymentMethod} does not belong to the customer ${customerId}.`);
    }
    if (!customerId) throw invalid('parameter_missing', `The PaymentMethod ${paymentMethod} is attached to a customer: pass customerId.`);
    return row.card as string;
  }

  private async confirmIntent(
    trx: Trx,
    intent: { amount: Money; card: string; paymentMethod: string; customerId?: string; description?: string; metadata?: Record<string, string>; capture: 'manual' | 'automatic'; offSession: boolean },
    behaviour: CardBehaviour,
  ): Promise<PaymentResult | CommittedFailure> {
    const id = newId('pi');
    let failure: PaymentError | undefined;
    if (behaviour.kind === 'declines') {
      failure = new PaymentError(behaviour.code, behaviour.message, false, behaviour.declineCode, id);
    } else if (behaviour.kind === 'requires_authentication_off_session' && intent.offSession) {
      failure = new PaymentError('authentication_required', 'Your card was declined. This transaction requires authentication.', false, 'authentication_required', id);
    }
    const status = failure ? 'requires_payment_method' : intent.capture === 'manual' ? 'requires_capture' : 'succeeded';
    const [row] = await trx<IntentRow>('sandbox_payment_intents')
      .insert({
        id,
        customer_id: intent.customerId ?? null,
        payment_method: intent.paymentMethod,
        card: intent.card,
        amount: intent.amount.amount,
        currency: intent.amount.currency,
        status,
        capture_method: intent.capture,
        off_session: intent.offSession,
        amount_captured: status === 'succeeded' ? intent.amount.amount : 0,
        failure_code: failure?.code ?? null,
        decline_code: failure?.declineCode ?? null,
        description: intent.description ?? null,
        metadata: JSON.stringify(intent.metadata ?? {}) as unknown as Record<string, string>,
      })
      .returning('*');
    return failure ? new CommittedFailure(failure) : toResult(row);
  }

  private async lockIntent(trx: Trx, id: string): Promise<IntentRow> {
    const row = await trx<IntentRow>('sandbox_payment_intents').where({ id }).forUpdate().first();
    if (!row) throw missing('payment_intent', id);
    return row as IntentRow;
  }

  private async credit(trx: Trx, accountId: string, currency: string, amount: number): Promise<void> {
    // Upsert with an increment: one statement, so concurrent transfers to one account add up exactly.
    await trx.raw(
      `insert into sandbox_balances (account_id, currency, available) values (?, ?, ?)
       on conflict (account_id, currency) do update set available = sandbox_balances.available + excluded.available`,
      [accountId, currency, amount],
    );
  }
}

/** True when the gateway is the sandbox (tests reach its simulation helpers through this). */
export function isSandboxGateway(gateway: unknown): gateway is SandboxPaymentGateway {
  // Duck-typed as well: jest may load this module twice, and instanceof would then say no.
  return gateway instanceof SandboxPaymentGateway || (typeof gateway === 'object' && gateway !== null && (gateway as { provider?: string }).provider === 'sandbox' && typeof (gateway as SandboxPaymentGateway).simulatePayout === 'function');
}
