import type Stripe from 'stripe';
import { PAYMENT_PROVIDER_EVENT_SIGNAL, type PaymentProviderEventSignal } from '../../../domain/payments/signals';
import type { Db } from '../../../platform/db';
import { workflowIdOfProviderPayment } from '../../../stores/payments/payments';

/**
 * Which Stripe events reach which workflow, as which signal. The webhook (./stripe-webhook.ts)
 * stores every verified event; those whose type has a route here are signalled to the workflow the
 * route finds. Capabilities add rows as they start caring about an event type; an event without a
 * route is stored and acknowledged, nothing more.
 *
 * By default the workflow is found from the object's `metadata.workflowId` (the adapters' callers
 * put it there), falling back to the `payments` row whose `provider_payment_id` is the event's
 * PaymentIntent (charges, refunds and disputes name theirs), so events about payments the
 * platform recorded reach their workflow even without metadata.
 */
export interface StripeEventRoute {
  /** The signal name the workflow defines (default: PAYMENT_PROVIDER_EVENT_SIGNAL). */
  signal: string;
  /** Finds the target workflow; `undefined` means none (the event is stored as `no_workflow`). */
  workflowId?: (event: Stripe.Event, db: Db) => Promise<string | undefined>;
  /** The signal's single argument (default: `toSignalPayload(event)`). */
  payload?: (event: Stripe.Event) => unknown;
}

type StripeObject = { id?: string; object?: string; status?: string; amount?: number; currency?: string; metadata?: Record<string, string> | null; payment_intent?: string | { id: string } | null };

const objectOf = (event: Stripe.Event): StripeObject => event.data.object as unknown as StripeObject;

/** The PaymentIntent an event's object is or belongs to. */
export function paymentIntentIdOf(event: Stripe.Event): string | undefined {
  const object = objectOf(event);
  if (object.object === 'payment_intent') return object.id;
  const pi = object.payment_intent;
  return typeof pi === 'string' ? pi : (pi?.id ?? undefined);
}

/** metadata.workflowId, else the workflow of the recorded payment with this PaymentIntent. */
export async function defaultWorkflowId(event: Stripe.Event, db: Db): Promise<string | undefined> {
  const fromMetadata = objectOf(event).metadata?.workflowId;
  if (fromMetadata) return fromMetadata;
  const paymentIntentId = paymentIntentIdOf(event);
  if (!paymentIntentId) return undefined;
  return workflowIdOfProviderPayment(db, paymentIntentId);
}

export function toSignalPayload(event: Stripe.Event): PaymentProviderEventSignal {
  const object = objectOf(event);
  const hasMoney = typeof object.amount === 'number' && typeof object.currency === 'string';
  return {
    eventId: event.id,
    type: event.type,
    provider: 'stripe',
    objectId: object.id ?? '',
    ...(paymentIntentIdOf(event) ? { providerPaymentId: paymentIntentIdOf(event) } : {}),
    ...(object.status ? { status: object.status } : {}),
    ...(hasMoney ? { amount: { amount: object.amount!, currency: object.currency!.toUpperCase() } } : {}),
    metadata: { ...(object.metadata ?? {}) },
    createdAt: new Date(event.created * 1000).toISOString(),
  };
}

const toWorkflow: StripeEventRoute = { signal: PAYMENT_PROVIDER_EVENT_SIGNAL };

/** The routing table: event type → route. Add a row when a workflow starts listening to an event. */
export const stripeEventRoutes: Readonly<Record<string, StripeEventRoute>> = {
  // Payments (shoutouts, film purchases, split payments): asynchronous outcomes of an intent.
  'payment_intent.succeeded': toWorkflow,
  'payment_intent.payment_failed': toWorkflow,
  'payment_intent.canceled': toWorkflow,
  'payment_intent.amount_capturable_updated': toWorkflow,
  'payment_intent.requires_action': toWorkflow,
  // Money coming back: refunds done outside the workflow (dashboard) and disputes.
  'charge.refunded': toWorkflow,
  'charge.dispute.created': toWorkflow,
  'charge.dispute.closed': toWorkflow,
  // Split payments: a reversal done outside the saga.
  'transfer.reversed': toWorkflow,
};

export function routeFor(type: string): StripeEventRoute | undefined {
  return Object.prototype.hasOwnProperty.call(stripeEventRoutes, type) ? stripeEventRoutes[type] : undefined;
}
