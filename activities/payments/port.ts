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
 * A business failure from the provider: a decline, an invalid request, a refusal. `retryable`
 * says whether trying the same call again could succeed (rate limits, provider outages).
 */
export class PaymentError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly declineCode?: string,
  ) {
    super(message);
    this.name = 'PaymentError';
  }
}
