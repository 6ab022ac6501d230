import { Counter, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../logger';

/**
 * Business metrics, one set per process registry (the API's and the worker's /metrics). Callers
 * count where a business row changed for the first time (an event id inserted, not "already
 * there"), so a retried activity never counts twice; the same call logs the event once at info.
 */
export interface BusinessMetrics {
  payments: Counter<'provider' | 'kind' | 'outcome' | 'decline_code'>;
  paymentAmount: Counter<'currency' | 'kind' | 'outcome'>;
  shoutouts: Counter<'stage'>;
  subscriptions: Counter<'event'>;
  renewals: Counter<'outcome'>;
  renewalLateness: Histogram<string>;
  dunning: Counter<'outcome'>;
  invoices: Counter<'event'>;
  transfers: Counter<'outcome'>;
  transferAmount: Counter<'currency' | 'outcome'>;
  emails: Counter<'kind' | 'outcome'>;
  alerts: Counter<'kind' | 'severity'>;
  workflowFailures: Counter<'workflow_type'>;
  activityFailures: Counter<'activity_type' | 'final'>;
}

/** The metric `name` of this registry, created on first use (a test stack builds activities more than once per registry). */
export function once<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  return once(registry, name, () => new Counter<L>({ name, help, labelNames, registers: [registry] }));
}

const cache = new WeakMap<Registry, BusinessMetrics>();

export function businessMetrics(registry: Registry): BusinessMetrics {
  const known = cache.get(registry);
  if (known) return known;
  const metrics: BusinessMetrics = {
    payments: counter(registry, 'payments_total', 'Payment outcomes (authorized, captured, voided, refunded, partially_refunded, declined), by provider, kind (shoutout, film, subscription, split) and decline code', ['provider', 'kind', 'outcome', 'decline_code']),
    paymentAmount: counter(registry, 'payment_amount_minor_total', 'Money moved, in minor units of the currency: captured and refunded amounts', ['currency', 'kind', 'outcome']),
    shoutouts: counter(registry, 'shoutout_funnel_total', 'Shoutout orders reaching each stage of the funnel (requested, accepted, video_uploaded, delivered, declined, expired, cancelled, refunded, …)', ['stage']),
    subscriptions: counter(registry, 'subscription_events_total', 'Subscription lifecycle events (started, renewed, renewal_failed, cancelled, plan_changed, …)', ['event']),
    renewals: counter(registry, 'subscription_renewals_total', 'Renewal charges by outcome (renewed, failed)', ['outcome']),
    renewalLateness: once(registry, 'subscription_renewal_lateness_seconds', () => new Histogram({ name: 'subscription_renewal_lateness_seconds', help: 'How long after its period end a renewal was charged (the schedule lag of renewals)', buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600], registers: [registry] })),
    dunning: counter(registry, 'subscription_dunning_total', 'How dunning ended: recovered (a retry paid) or cancelled (retries exhausted)', ['outcome']),
    invoices: counter(registry, 'starkbank_invoices_total', 'Stark Bank invoices issued and credited', ['event']),
    transfers: counter(registry, 'starkbank_transfers_total', 'Stark Bank transfers by outcome (sent, failed)', ['outcome']),
    transferAmount: counter(registry, 'starkbank_transfer_amount_minor_total', 'Stark Bank transfer amounts, in minor units', ['currency', 'outcome']),
    emails: counter(registry, 'emails_total', 'Emails by template and outcome (sent, failed)', ['kind', 'outcome']),
    alerts: counter(registry, 'alerts_raised_total', 'Alert occurrences raised (before dedup), by kind and severity', ['kind', 'severity']),
    workflowFailures: counter(registry, 'workflow_failures_total', 'Workflow executions that failed, by workflow type', ['workflow_type']),
    activityFailures: counter(registry, 'activity_failures_total', 'Activity attempts that failed, by type; final="true" when no retry follows', ['activity_type', 'final']),
  };
  cache.set(registry, metrics);
  return metrics;
}

/** A payment row after a change: what a payment outcome is counted from. */
export interface PaymentOutcome {
  id: string;
  kind: string;
  provider: string;
  status: string;
  amount: { amount: number; currency: string };
  failureCode?: string | null;
  workflowId?: string | null;
  /** False when the change's event id was already recorded (a retried step): nothing is counted. */
  applied?: boolean;
}

const OUTCOMES: Record<string, string> = { failed: 'declined' };

/**
 * Counts (and logs once) a payment outcome; `amount` is the money the change moved (captured or
 * refunded), when it moved any. Answers the payment, so a call site wraps its store call.
 */
export function countPayment<T extends PaymentOutcome>(deps: { metrics: Registry; logger: Logger }, payment: T, amount?: number): T {
  if (payment.applied === false) return payment;
  const m = businessMetrics(deps.metrics);
  const outcome = OUTCOMES[payment.status] ?? payment.status;
  m.payments.inc({ provider: payment.provider, kind: payment.kind, outcome, decline_code: outcome === 'declined' ? (payment.failureCode ?? 'unknown') : '' });
  if (amount && (outcome === 'captured' || outcome.endsWith('refunded'))) {
    m.paymentAmount.inc({ currency: payment.amount.currency, kind: payment.kind, outcome: outcome === 'captured' ? 'captured' : 'refunded' }, amount);
  }
  deps.logger.info({ event: `payment.${outcome}`, paymentId: payment.id, kind: payment.kind, provider: payment.provider, workflowId: payment.workflowId ?? undefined, amount: amount ?? undefined, currency: payment.amount.currency, declineCode: payment.failureCode ?? undefined }, `payment ${outcome}`);
  return payment;
}

type Observed = { metrics: Registry; logger: Logger };

/** A shoutout order reached a stage (its timeline event was new); `requested` is the order placed. */
export function countShoutoutStage(deps: Observed, orderId: string, workflowId: string, stage: string): void {
  businessMetrics(deps.metrics).shoutouts.inc({ stage });
  deps.logger.info({ event: `shoutout.${stage}`, orderId, workflowId }, `shoutout ${stage}`);
}

/**
 * A billing event appended for the first time: subscription lifecycle, renewals and how dunning
 * ended (a renewal paid on a retry: recovered; cancelled for non-payment: cancelled). Answers
 * whether it was a dunning cancellation (what the spike alert counts).
 */
export function countBillingEvent(deps: Observed, event: { id: string; type: string; accountId?: string | null; subjectId?: string | null; data?: Record<string, unknown> }): { dunningCancelled: boolean } {
  const m = businessMetrics(deps.metrics);
  const data = event.data ?? {};
  let dunningCancelled = false;
  if (event.type.startsWith('subscription.')) {
    const name = event.type.slice('subscription.'.length);
    m.subscriptions.inc({ event: name });
    if (name === 'renewed') {
      m.renewals.inc({ outcome: 'renewed' });
      if (typeof data.latenessMs === 'number') m.renewalLateness.observe(data.latenessMs / 1000);
      if (Number(data.attempt ?? 0) > 0) m.dunning.inc({ outcome: 'recovered' });
    }
    // A period's first charge failing is a failed start, not a renewal.
    if (name === 'renewal_failed' && Number(data.period ?? 0) > 1) m.renewals.inc({ outcome: 'failed' });
    if (name === 'cancelled' && data.reason === 'payment_failed') {
      m.dunning.inc({ outcome: 'cancelled' });
      dunningCancelled = true;
    }
  }
  if (['subscription.renewal_failed', 'subscription.cancelled', 'subscription.started', 'subscription.renewed', 'purchase.completed'].includes(event.type)) {
    deps.logger.info({ event: event.type, eventId: event.id, accountId: event.accountId ?? undefined, subjectId: event.subjectId ?? undefined, ...pick(data, ['period', 'attempt', 'reason', 'code']) }, event.type.replace('.', ' ').replace('_', ' '));
  }
  return { dunningCancelled };
}

function pick(data: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => data[k] !== undefined).map((k) => [k, data[k]]));
}

/** Stark Bank invoices newly recorded (issued) or newly credited. */
export function countInvoices(deps: Observed, event: 'issued' | 'credited', count: number, context: Record<string, unknown> = {}): void {
  if (count <= 0) return;
  businessMetrics(deps.metrics).invoices.inc({ event }, count);
  deps.logger.info({ event: `starkbank.invoices_${event}`, count, ...context }, `starkbank invoices ${event}`);
}

/** Stark Bank transfers newly recorded, by outcome, with their total (centavos). */
export function countTransfers(deps: Observed, outcome: 'sent' | 'failed', transfers: { amount: number }[], context: Record<string, unknown> = {}): void {
  if (!transfers.length) return;
  const m = businessMetrics(deps.metrics);
  m.transfers.inc({ outcome }, transfers.length);
  m.transferAmount.inc({ currency: 'BRL', outcome }, transfers.reduce((sum, t) => sum + t.amount, 0));
  deps.logger.info({ event: `starkbank.transfers_${outcome}`, count: transfers.length, ...context }, `starkbank transfers ${outcome}`);
}
