/**
 * What the Stripe webhook sends to a workflow (api/routes/payments/stripe-routing.ts). This file
 * has no imports, so workflow code may import it (types and the signal name) without pulling
 * node modules into the deterministic bundle.
 */
export const PAYMENT_PROVIDER_EVENT_SIGNAL = 'paymentProviderEvent';

export interface PaymentProviderEventSignal {
  /** The provider's event id (`evt_…`): a workflow may see the same event twice, dedup on it. */
  eventId: string;
  /** e.g. `payment_intent.succeeded`, `charge.refunded`, `transfer.reversed`. */
  type: string;
  provider: 'stripe';
  /** The id of the object the event is about (`pi_…`, `ch_…`, `tr_…`). */
  objectId: string;
  /** The PaymentIntent id when the object is or belongs to one. */
  providerPaymentId?: string;
  /** The object's status, amount and currency when it has them (minor units, upper-case ISO currency). */
  status?: string;
  amount?: { amount: number; currency: string };
  metadata: Record<string, string>;
  /** When the provider created the event (ISO 8601). */
  createdAt: string;
}
