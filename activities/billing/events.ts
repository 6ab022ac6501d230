import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { CoreDeps } from '../../platform/deps';
import type { WebhookDeliveryInput } from '../../domain/billing/types';

/** Reporting event types: every purchase, renewal, renewal failure, cancellation, role change and refund. */
export const BILLING_EVENT_TYPES = [
  'purchase.completed',
  'purchase.failed',
  'purchase.expired',
  'subscription.trial_started',
  'subscription.started',
  'subscription.renewed',
  'subscription.renewal_failed',
  'subscription.cancel_scheduled',
  'subscription.resumed',
  'subscription.plan_changed',
  'subscription.cancelled',
  'role.granted',
  'role.revoked',
  'payment.refunded',
  'product.price_changed',
] as const;
export type BillingEventType = (typeof BILLING_EVENT_TYPES)[number];

export interface BillingEvent {
  /** Deterministic per step (`<workflowId>/period-3/renewed`): appending twice is a no-op. */
  id: string;
  type: BillingEventType;
  accountId?: string | null;
  subjectId?: string | null;
  data?: Record<string, unknown>;
}

export function deliveryWorkflowId(deliveryId: string): string {
  return `webhook-delivery-${deliveryId}`;
}

/**
 * Appends the event to the log (once, by id) and fans it out: one delivery row and one delivery
 * workflow per subscribed endpoint. Fan-out runs on every call and is idempotent (delivery ids
 * come from the event and endpoint ids; a workflow id is never started twice), so a retried
 * activity cannot lose or duplicate a delivery.
 */
export async function recordBillingEvent(deps: CoreDeps, event: BillingEvent): Promise<void> {
  const { db, config, temporal } = deps;
  await db('billing_events')
    .insert({ id: event.id, type: event.type, account_id: event.accountId ?? null, subject_id: event.subjectId ?? null, data: JSON.stringify(event.data ?? {}) })
    .onConflict('id')
    .ignore();
  const endpoints: { id: string }[] = await db('webhook_endpoints').select('id').where({ active: true }).andWhereRaw(`(? = any(events) or '*' = any(events))`, [event.type]);
  for (const endpoint of endpoints) {
    const deliveryId = `${endpoint.id}:${event.id}`;
    await db('webhook_deliveries').insert({ id: deliveryId, endpoint_id: endpoint.id, event_id: event.id }).onConflict('id').ignore();
    const input: WebhookDeliveryInput = {
      deliveryId,
      initialBackoffMs: config.BILLING_WEBHOOK_BACKOFF,
      maxBackoffMs: config.BILLING_WEBHOOK_BACKOFF_MAX,
      retryForMs: config.BILLING_WEBHOOK_RETRY_FOR,
    };
    try {
      await temporal.workflow.start('webhookDelivery', { taskQueue: config.TASK_QUEUE, workflowId: deliveryWorkflowId(deliveryId), args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}
