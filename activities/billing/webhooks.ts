import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { CoreDeps } from '../../platform/deps';
import { checkOutboundUrl } from '../../platform/outbound-url';
import { accountContacts } from '../../stores/accounts/accounts';
import { findBillingEvent } from '../../stores/billing/events';
import { findPriceChange } from '../../stores/billing/products';
import { livePlanSubscriptions } from '../../stores/billing/subscriptions';
import { abandonDelivery, findDelivery, recordDeliveryAttempt, scheduleDeliveryRetry } from '../../stores/billing/webhook-deliveries';
import { findWebhookEndpoint } from '../../stores/billing/webhook-endpoints';
import { recordBillingEvent } from './events';

export const SIGNATURE_HEADER = 'limelight-signature';
export const TIMESTAMP_HEADER = 'limelight-timestamp';

/**
 * The signature a receiver checks: hex HMAC-SHA256 with the endpoint's secret over
 * `<timestamp>.<raw body>`, sent as `Limelight-Signature: t=<timestamp>,v1=<hex>` beside
 * `Limelight-Timestamp: <unix seconds>`. Receivers should reject timestamps older than a few minutes.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function createWebhookActivities(deps: CoreDeps) {
  const { db, config } = deps;
  return {
    /** One attempt to post the event to the endpoint; every attempt is recorded. Never throws for an HTTP answer. */
    async billingDeliverWebhook(input: { deliveryId: string; attempt: number }): Promise<{ ok: boolean; statusCode: number | null; error: string | null; stop?: boolean }> {
      const delivery = await findDelivery(db, input.deliveryId);
      if (!delivery) return { ok: false, statusCode: null, error: 'delivery not found', stop: true };
      if (delivery.status === 'delivered') return { ok: true, statusCode: delivery.last_status_code, error: null };
      const endpoint = await findWebhookEndpoint(db, delivery.endpoint_id);
      if (!endpoint?.active) {
        // The endpoint was removed: what is still pending for it is given up, not retried for days.
        await abandonDelivery(db, delivery.id, 'endpoint removed');
        return { ok: false, statusCode: null, error: 'endpoint removed', stop: true };
      }
      const event = await findBillingEvent(db, delivery.event_id);
      if (!event) throw new Error(`billing event ${delivery.event_id} does not exist`);
      const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.created_at.toISOString(), accountId: event.account_id, subjectId: event.subject_id, data: event.data, deliveryId: delivery.id, attempt: input.attempt });
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = signWebhook(endpoint.secret, timestamp, body);
      const started = Date.now();
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        // Re-resolved at every attempt: a name that was public at registration may point inside now (DNS rebinding).
        const outbound = await checkOutboundUrl(endpoint.url, { allowPrivate: config.OUTBOUND_ALLOW_PRIVATE_NETWORKS });
        if (!outbound.ok) throw new Error(`refused: ${outbound.reason}`);
        const res = await fetch(endpoint.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Limelight-Webhooks/1', [SIGNATURE_HEADER]: `t=${timestamp},v1=${signature}`, [TIMESTAMP_HEADER]: String(timestamp), 'limelight-event-id': event.id, 'limelight-delivery-id': delivery.id },
          body,
          signal: AbortSignal.timeout(config.BILLING_WEBHOOK_TIMEOUT),
          redirect: 'manual',
        });
        statusCode = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      } catch (e) {
        error = (e as Error).message;
      }
      const ok = error === null;
      await recordDeliveryAttempt(db, { deliveryId: delivery.id, attempt: input.attempt, statusCode, error, durationMs: Date.now() - started });
      return { ok, statusCode, error };
    },

    /** Records when the next attempt is due, or that the delivery gave up. */
    async billingScheduleWebhookRetry(input: { deliveryId: string; nextAttemptAt: number | null }): Promise<void> {
      await scheduleDeliveryRetry(db, input.deliveryId, input.nextAttemptAt);
    },

    /**
     * The price change the notice is about, once its transaction has committed (the API starts the
     * notice inside that transaction); its reporting event is appended here, once. Retried while the
     * row is not visible yet; a change whose transaction rolled back is never found.
     */
    async billingConfirmPriceChange(input: { changeId: string }): Promise<void> {
      const row = await findPriceChange(db, input.changeId);
      if (!row) throw ApplicationFailure.retryable(`price change ${input.changeId} is not committed (yet)`, 'PriceChangeNotCommitted');
      const money = (amount: unknown) => ({ amount: Number(amount), currency: row.currency });
      await recordBillingEvent(deps, { id: `price-change-${row.id}`, type: 'product.price_changed', subjectId: row.product_id, data: { productId: row.product_id, oldPrice: money(row.old_amount), newPrice: money(row.amount), subscribersFrom: row.subscribers_from.toISOString() } });
    },

    /** A page of the subscribers of a plan to tell about a price change. */
    async billingPriceNoticeRecipients(input: { planId: string; afterId: string; limit: number }): Promise<{ subscriptionId: string; email: string; name: string }[]> {
      // The subscriptions, then their accounts' emails and names (each table read through its own store).
      const page = await livePlanSubscriptions(db, input.planId, input.afterId, input.limit);
      const contacts = await accountContacts(db, page.map((s) => s.accountId));
      return page.filter((s) => contacts.has(s.accountId)).map((s) => ({ subscriptionId: s.id, email: contacts.get(s.accountId)!.email, name: contacts.get(s.accountId)!.name }));
    },
  };
}
