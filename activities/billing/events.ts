import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { CoreDeps } from '../../platform/deps';
import type { WebhookDeliveryInput } from '../../domain/billing/types';
import { appendBillingEvent, type BillingEvent } from '../../stores/billing/events';
import { activeEndpointIdsFor } from '../../stores/billing/webhook-endpoints';
import { ensureDelivery } from '../../stores/billing/webhook-deliveries';

export { BILLING_EVENT_TYPES, type BillingEvent, type BillingEventType } from '../../stores/billing/events';

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
  await appendBillingEvent(db, event);
  for (const endpointId of await activeEndpointIdsFor(db, event.type)) {
    const deliveryId = `${endpointId}:${event.id}`;
    await ensureDelivery(db, { id: deliveryId, endpointId, eventId: event.id });
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
