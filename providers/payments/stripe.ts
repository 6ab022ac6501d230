import Stripe from 'stripe';
import {
  PaymentError,
  type AuthorizeInput,
  type CallOptions,
  type OffSessionInput,
  type PaymentGateway,
  type PaymentResult,
  type PaymentStatus,
  type RefundResult,
  type ReversalResult,
  type TransferInput,
  type TransferResult,
} from './port';

export interface StripeGatewayOptions {
  secretKey: string;
  /** stripe-mock in tests: host/port/protocol of the API. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

const CANCELLATION_REASONS = new Set(['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer']);
const REFUND_REASONS = new Set(['duplicate', 'fraudulent', 'requested_by_customer']);

/** Stripe wants lower-case currencies; the platform speaks upper-case ISO 4217. */
const toStripeCurrency = (currency: string) => currency.toLowerCase();
const fromStripeCurrency = (currency: string) => currency.toUpperCase();

function toStatus(status: Stripe.PaymentIntent.Status): PaymentStatus {
  switch (status as string) {
    case 'requires_capture':
    case 'succeeded':
    case 'canceled':
    case 'requires_action':
    case 'processing':
      return status as PaymentStatus;
    case 'requires_confirmation':
      // Never left there by this adapter (it always confirms); treat as not yet settled.
      return 'processing';
    default:
      // requires_payment_method: the confirmation failed and the intent waits for another method.
      return 'failed';
  }
}

function toResult(intent: Stripe.PaymentIntent): PaymentResult {
  const refunded = (intent.latest_charge && typeof intent.latest_charge === 'object' ? intent.latest_charge.amount_refunded : 0) ?? 0;
  return {
    providerPaymentId: intent.id,
    status: toStatus(intent.status),
    amount: { amount: intent.amount, currency: fromStripeCurrency(intent.currency) },
    amountCaptured: intent.amount_received ?? 0,
    amountRefunded: refunded,
  };
}

/** Keeps only string values: Stripe metadata is string → string. */
function metadataOf(metadata?: Record<string, string>): Record<string, string> | undefined {
  return metadata && Object.keys(metadata).length > 0 ? metadata : undefined;
}

function requireKey(options: CallOptions): string {
  const key = options?.idempotencyKey;
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
    throw new PaymentError('idempotency_key_invalid', 'An idempotency key of 1 to 255 characters is required on every call.', false);
  }
  return key;
}

/**
 * Maps the SDK's errors to PaymentError: card declines and invalid requests are business failures
 * (not retryable: Stripe replays the same answer for the same idempotency key anyway); rate limits,
 * lock timeouts, connection failures and Stripe's own 5xx are retryable. Anything that is not a
 * Stripe error is rethrown untouched (the activity's retry policy decides).
 */
export function toPaymentError(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const providerPaymentId = error.payment_intent?.id;
  if (error instanceof Stripe.errors.StripeCardError) {
    return new PaymentError(error.code ?? 'card_declined', error.message, false, error.decline_code ?? error.code, providerPaymentId);
  }
  // 409: another request with this key is still executing, or an object lock timed out. Stripe saves no
  // answer for it, so retrying the same key later gets the real one.
  if (error.statusCode === 409 || error.code === 'lock_timeout') return new PaymentError(error.code === 'lock_timeout' ? 'lock_timeout' : 'idempotency_conflict', error.message, true);
  if (error instanceof Stripe.errors.StripeRateLimitError) return new PaymentError('rate_limit', error.message, true);
  if (error instanceof Stripe.errors.StripeConnectionError) return new PaymentError('api_connection_error', error.message, true);
  if (error instanceof Stripe.errors.StripeAPIError) return new PaymentError('api_error', error.message, true);
  // An invalid key is an operator's fix, not the customer's: retrying lets the activity resume once it is fixed.
  if (error instanceof Stripe.errors.StripeAuthenticationError) return new PaymentError('authentication_error', error.message, true);
  // 400 idempotency_error: the key was first used with other parameters — a bug, never fixed by retrying.
  if (error instanceof Stripe.errors.StripeIdempotencyError) return new PaymentError('idempotency_key_reused', error.message, false);
  // Off-session confirmations that need 3-D Secure arrive as card errors, but keep the mapping explicit.
  if (error.code === 'authentication_required') return new PaymentError('authentication_required', error.message, false, error.decline_code ?? 'authentication_required', providerPaymentId);
  return new PaymentError(error.code ?? error.type ?? 'invalid_request_error', error.message, false, error.decline_code, providerPaymentId);
}

/**
 * The real Stripe API through the official SDK. Every mutating call carries the caller's
 * idempotency key: the SDK's automatic key is new on each call, so it would not protect an
 * activity retried after a crash. Reads (GET) take no key: Stripe ignores keys on GET.
 */
export class StripePaymentGateway implements PaymentGateway {
  readonly provider = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(options: StripeGatewayOptions) {
    this.stripe = new Stripe(options.secretKey, {
      host: options.host,
      port: options.port,
      protocol: options.protocol,
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: options.timeoutMs,
      telemetry: false,
      appInfo: { name: 'limelight' },
    });
  }

  async createCustomer(input: { email: string; name?: string }, options: CallOptions): Promise<{ customerId: string }> {
    const customer = await this.call(options, (idempotencyKey) => this.stripe.customers.create({ email: input.email, name: input.name }, { idempotencyKey }));
    return { customerId: customer.id };
  }

  async attachPaymentMethod(input: { customerId: string; paymentMethod: string }, options: CallOptions): Promise<{ paymentMethodId: string }> {
    // Attaching a test token such as pm_card_visa yields a new payment method id owned by the customer.
    const method = await this.call(options, (idempotencyKey) => this.stripe.paymentMethods.attach(input.paymentMethod, { customer: input.customerId }, { idempotencyKey }));
    return { paymentMethodId: method.id };
  }

  async authorize(input: AuthorizeInput, options: CallOptions): Promise<PaymentResult> {
    const intent = await this.call(options, (idempotencyKey) =>
      this.stripe.paymentIntents.create(
        {
          amount: input.amount.amount,
          currency: toStripeCurrency(input.amount.currency),
          payment_method: input.paymentMethod,
          customer: input.customerId,
          capture_method: 'manual',
          confirm: true,
          // No redirect-based method could complete inside a workflow (and confirm would then need a return_url).
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          description: input.description,
          metadata: metadataOf(input.metadata),
        },
        { idempotencyKey },
      ),
    );
    return toResult(intent);
  }

  async capture(input: { providerPaymentId: string; amount?: number }, options: CallOptions): Promise<PaymentResult> {
    const intent = await this.call(options, (idempotencyKey) =>
      this.stripe.paymentIntents.capture(input.providerPaymentId, input.amount === undefined ? {} : { amount_to_capture: input.amount }, { idempotencyKey }),
    );
    return toResult(intent);
  }

  async cancel(input: { providerPaymentId: string; reason?: string }, options: CallOptions): Promise<PaymentResult> {
    // Stripe takes only its own reasons; free text stays with the caller's records.
    const reason = input.reason && CANCELLATION_REASONS.has(input.reason) ? (input.reason as Stripe.PaymentIntentCancelParams.CancellationReason) : undefined;
    const intent = await this.call(options, (idempotencyKey) => this.stripe.paymentIntents.cancel(input.providerPaymentId, reason ? { cancellation_reason: reason } : {}, { idempotencyKey }));
    return toResult(intent);
  }

  async refund(input: { providerPaymentId: string; amount?: number; reason?: string }, options: CallOptions): Promise<RefundResult> {
    const known = input.reason && REFUND_REASONS.has(input.reason) ? (input.reason as Stripe.RefundCreateParams.Reason) : undefined;
    const refund = await this.call(options, (idempotencyKey) =>
      this.stripe.refunds.create(
        {
          payment_intent: input.providerPaymentId,
          amount: input.amount,
          reason: known,
          metadata: input.reason && !known ? { reason: input.reason.slice(0, 500) } : undefined,
        },
        { idempotencyKey },
      ),
    );
    const status: RefundResult['status'] = refund.status === 'succeeded' ? 'succeeded' : refund.status === 'failed' || refund.status === 'canceled' ? 'failed' : 'pending';
    return { providerRefundId: refund.id, amount: { amount: refund.amount, currency: fromStripeCurrency(refund.currency) }, status };
  }

  async chargeOffSession(input: OffSessionInput, options: CallOptions): Promise<PaymentResult> {
    // off_session + confirm: Stripe charges the saved method now, or fails with authentication_required
    // when the bank wants 3-D Secure (mapped to a non-retryable PaymentError carrying the intent id).
    const intent = await this.call(options, (idempotencyKey) =>
      this.stripe.paymentIntents.create(
        {
          amount: input.amount.amount,
          currency: toStripeCurrency(input.amount.currency),
          customer: input.customerId,
          payment_method: input.paymentMethodId,
          off_session: true,
          confirm: true,
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          description: input.description,
          metadata: metadataOf(input.metadata),
        },
        { idempotencyKey },
      ),
    );
    return toResult(intent);
  }

  async createRecipientAccount(input: { email: string; name?: string }, options: CallOptions): Promise<{ accountId: string }> {
    // An Express connected account able to receive transfers; the recipient finishes onboarding with Stripe.
    const account = await this.call(options, (idempotencyKey) =>
      this.stripe.accounts.create(
        {
          type: 'express',
          email: input.email,
          business_profile: input.name ? { name: input.name } : undefined,
          capabilities: { transfers: { requested: true } },
        },
        { idempotencyKey },
      ),
    );
    return { accountId: account.id };
  }

  async transfer(input: TransferInput, options: CallOptions): Promise<TransferResult> {
    const sourceTransaction = input.sourcePaymentId ? await this.chargeOf(input.sourcePaymentId) : undefined;
    const transfer = await this.call(options, (idempotencyKey) =>
      this.stripe.transfers.create(
        {
          amount: input.amount.amount,
          currency: toStripeCurrency(input.amount.currency),
          destination: input.destination,
          // Ties the transfer to the charge: it waits for those funds instead of the platform's balance.
          source_transaction: sourceTransaction,
          transfer_group: input.transferGroup,
          metadata: metadataOf(input.metadata),
        },
        { idempotencyKey },
      ),
    );
    const destination = typeof transfer.destination === 'string' ? transfer.destination : (transfer.destination?.id ?? input.destination);
    return { providerTransferId: transfer.id, amount: { amount: transfer.amount, currency: fromStripeCurrency(transfer.currency) }, destination };
  }

  async reverseTransfer(input: { providerTransferId: string; amount?: number }, options: CallOptions): Promise<ReversalResult> {
    // Fails with balance_insufficient when the connected account has paid the money out.
    const reversal = await this.call(options, (idempotencyKey) =>
      this.stripe.transfers.createReversal(input.providerTransferId, input.amount === undefined ? {} : { amount: input.amount }, { idempotencyKey }),
    );
    return { providerReversalId: reversal.id, amount: { amount: reversal.amount, currency: fromStripeCurrency(reversal.currency) } };
  }

  async ping(): Promise<void> {
    await this.call(undefined, () => this.stripe.balance.retrieve());
  }

  /** The charge behind a payment: `source_transaction` takes a charge id, the platform holds PaymentIntent ids. */
  private async chargeOf(sourcePaymentId: string): Promise<string> {
    if (!sourcePaymentId.startsWith('pi_')) return sourcePaymentId; // already a charge (ch_/py_)
    const intent = await this.call(undefined, () => this.stripe.paymentIntents.retrieve(sourcePaymentId));
    const charge = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge?.id;
    if (!charge) throw new PaymentError('payment_intent_unexpected_state', `The PaymentIntent ${sourcePaymentId} has no charge to fund a transfer (status ${intent.status}).`, false);
    return charge;
  }

  private async call<T>(options: CallOptions | undefined, run: (idempotencyKey: string) => Promise<T>): Promise<T> {
    const key = options === undefined ? '' : requireKey(options);
    try {
      return await run(key);
    } catch (error) {
      throw toPaymentError(error);
    }
  }
}
