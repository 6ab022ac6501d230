import type { Money } from '../../domain/money';

/**
 * The provider-agnostic payment port. Every method takes an idempotency key derived from the
 * workflow id and the step (`<workflowId>/capture`), so a retried activity never moves money twice.
 * Adapters: `sandbox.ts` (stateful simulator in PostgreSQL, the default) and `stripe.ts`.
 */
export interface CallOptions {
  idempotencyKey: string;
}

/** Normalised payment status, whatever the provider calls it. */
export type PaymentStatus = 'requires_capture' | 'succeeded' | 'canceled' | 'requires_action' | 'processing' | 'failed';

export interface PaymentResult {
  providerPaymentId: string;
  status: PaymentStatus;
  /** What was authorised (or charged), in minor units. */
  amount: Money;
  amountCaptured: number;
  amountRefunded: number;
}

export interface RefundResult {
  providerRefundId: string;
  amount: Money;
  status: 'succeeded' | 'pending' | 'failed';
}

export interface TransferResult {
  providerTransferId: string;
  amount: Money;
  destination: string;
}

export interface ReversalResult {
  providerReversalId: string;
  amount: Money;
}

/**
 * `metadata.workflowId` (the workflow that owns the payment) lets the provider's webhooks be routed
 * back to that workflow as signals (see api/routes/payments/stripe-routing.ts): pass it.
 */
export interface AuthorizeInput {
  amount: Money;
  paymentMethod: string;
  customerId?: string;
  description?: string;
  metadata?: Record<string, string>;
}

export interface OffSessionInput {
  amount: Money;
  customerId: string;
  paymentMethodId: string;
  description?: string;
  metadata?: Record<string, string>;
}

export interface TransferInput {
  amount: Money;
  /** The recipient's connected account id at the provider. */
  destination: string;
  /** Ties the transfer to the charge that funds it (Stripe `source_transaction`). */
  sourcePaymentId?: string;
  transferGroup?: string;
  metadata?: Record<string, string>;
}

export interface PaymentGateway {
  readonly provider: 'sandbox' | 'stripe';
  createCustomer(input: { email: string; name?: string }, options: CallOptions): Promise<{ customerId: string }>;
  attachPaymentMethod(input: { customerId: string; paymentMethod: string }, options: CallOptions): Promise<{ paymentMethodId: string }>;
  /** Authorises without capturing (manual capture). */
  authorize(input: AuthorizeInput, options: CallOptions): Promise<PaymentResult>;
  /** Captures all of an authorisation, or `amount` of it. */
  capture(input: { providerPaymentId: string; amount?: number }, options: CallOptions): Promise<PaymentResult>;
  /** Voids an uncaptured authorisation. */
  cancel(input: { providerPaymentId: string; reason?: string }, options: CallOptions): Promise<PaymentResult>;
  refund(input: { providerPaymentId: string; amount?: number; reason?: string }, options: CallOptions): Promise<RefundResult>;
  /** Charges a saved payment method with the customer absent (renewals). */
  chargeOffSession(input: OffSessionInput, options: CallOptions): Promise<PaymentResult>;
  /** Creates a connected account able to receive transfers (sandbox; Stripe accounts are registered by id). */
  createRecipientAccount(input: { email: string; name?: string }, options: CallOptions): Promise<{ accountId: string }>;
  transfer(input: TransferInput, options: CallOptions): Promise<TransferResult>;
  reverseTransfer(input: { providerTransferId: string; amount?: number }, options: CallOptions): Promise<ReversalResult>;
  /** Cheap reachability check for /readyz. */
  ping(): Promise<void>;
}

/**
 * Codes both adapters use (Stripe's own error codes, so the two agree):
 * - `card_declined` (with `declineCode` e.g. `generic_decline`, `insufficient_funds`), `expired_card`, `incorrect_cvc`
 * - `authentication_required`: an off-session charge needs the customer (3-D Secure); `providerPaymentId` names the failed intent
 * - `idempotency_key_reused`: the same key was used with a different request
 * - `payment_intent_unexpected_state`: e.g. capturing a voided authorisation
 * - `amount_too_large`, `charge_already_refunded`, `resource_missing`, `balance_insufficient` (a transfer reversal
 *   after the recipient was paid out), `parameter_invalid_integer`, `currency_mismatch`
 * - `rate_limit`, `api_connection_error`, `api_error`, `idempotency_conflict` (same key still in flight), `lock_timeout` (retryable)
 */
export type PaymentErrorCode = string;

/**
 * A business failure from the provider: a decline, an invalid request, a refusal. `retryable`
 * says whether trying the same call again could succeed (rate limits, provider outages).
 * Declines are never retryable: the provider replays the same answer for the same idempotency key.
 */
export class PaymentError extends Error {
  constructor(
    readonly code: PaymentErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly declineCode?: string,
    /** The provider's payment left behind by a failed confirmation (e.g. off-session `authentication_required`). */
    readonly providerPaymentId?: string,
  ) {
    super(message);
    this.name = 'PaymentError';
  }

  /** Plain data, for storing an answer to replay and for Temporal failure details. */
  toJSON(): { code: string; message: string; retryable: boolean; declineCode?: string; providerPaymentId?: string } {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.declineCode ? { declineCode: this.declineCode } : {}),
      ...(this.providerPaymentId ? { providerPaymentId: this.providerPaymentId } : {}),
    };
  }
}

/** True for a PaymentError, also one that crossed a module boundary (jest, bundles) and lost its prototype. */
export function isPaymentError(error: unknown): error is PaymentError {
  return error instanceof PaymentError || (error instanceof Error && error.name === 'PaymentError' && typeof (error as PaymentError).code === 'string');
}
