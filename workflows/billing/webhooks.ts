import { proxyActivities, sleep } from '@temporalio/workflow';
import type { BillingActivities } from '../../activities/billing';
import { webhookRetryDelay } from '../../domain/billing/plans';
import type { WebhookDeliveryInput } from '../../domain/billing/types';

/**
 * `webhook-delivery-<endpointId>:<eventId>`: posts one event to one endpoint, signed; retries
 * with doubling backoff (capped) until it is accepted (2xx) or the retry window
 * (BILLING_WEBHOOK_RETRY_FOR, 3 days by default) is used up, or the endpoint is removed.
 * Every attempt is recorded.
 */
const acts = proxyActivities<BillingActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } });
const now = () => new Date().getTime();

export async function webhookDelivery(input: WebhookDeliveryInput): Promise<'delivered' | 'failed'> {
  const started = now();
  for (let attempt = 1; ; attempt++) {
    const result = await acts.billingDeliverWebhook({ deliveryId: input.deliveryId, attempt });
    if (result.ok) return 'delivered';
    if (result.stop) return 'failed';
    const delay = webhookRetryDelay(attempt, now() - started, { initialMs: input.initialBackoffMs, maxMs: input.maxBackoffMs, retryForMs: input.retryForMs });
    if (delay === undefined) {
      await acts.billingScheduleWebhookRetry({ deliveryId: input.deliveryId, nextAttemptAt: null });
      return 'failed';
    }
    await acts.billingScheduleWebhookRetry({ deliveryId: input.deliveryId, nextAttemptAt: now() + delay });
    await sleep(delay);
  }
}
