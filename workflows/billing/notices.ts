import { proxyActivities } from '@temporalio/workflow';
import type { BillingActivities } from '../../activities/billing';
import type { EmailActivities } from '../../activities/email/activities';

/**
 * `price-change-<changeId>`: once the change is committed (and its reporting event appended),
 * emails every live subscriber of the plan about it, page by page.
 */
export interface PriceChangeNoticeInput {
  changeId: string;
  planId: string;
  planName: string;
  oldPrice: string;
  newPrice: string;
  /** Subscribers pay the new price from their first period starting on or after this instant. */
  effectiveFrom: string;
  batch: number;
}

const acts = proxyActivities<BillingActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumInterval: '10 seconds' } });
const mail = proxyActivities<EmailActivities>({ startToCloseTimeout: '30 seconds', scheduleToCloseTimeout: '1 hour', retry: { maximumInterval: '1 minute' } });

// The change's transaction commits moments after the start; a minute covers that with room to spare.
const confirm = proxyActivities<BillingActivities>({ startToCloseTimeout: '10 seconds', scheduleToCloseTimeout: '1 minute', retry: { initialInterval: '200 milliseconds', maximumInterval: '5 seconds' } });

export async function priceChangeNotice(input: PriceChangeNoticeInput): Promise<{ notified: number }> {
  try {
    await confirm.billingConfirmPriceChange({ changeId: input.changeId });
  } catch {
    // The change was rolled back: there is nothing to tell anyone.
    return { notified: 0 };
  }
  let after = '';
  let notified = 0;
  for (;;) {
    const page = await acts.billingPriceNoticeRecipients({ planId: input.planId, afterId: after, limit: input.batch });
    await Promise.all(
      page.map((r) =>
        mail
          .sendEmail({
            to: r.email,
            template: 'billing-price-change',
            vars: { planName: input.planName, oldPrice: input.oldPrice, newPrice: input.newPrice, effectiveFrom: input.effectiveFrom },
            idempotencyKey: `price-change-${input.changeId}/${r.subscriptionId}`,
          })
          .then(() => notified++)
          .catch(() => undefined),
      ),
    );
    if (page.length < input.batch) return { notified };
    after = page[page.length - 1].subscriptionId;
  }
}

/** `refund-<refundId>`: an admin refund through the gateway (idempotency key `refund-<refundId>`), recorded as events. */
export async function adminRefund(input: { refundId: string; paymentId: string; amount: number; reason: string }): Promise<{ refunded: number }> {
  return acts.billingRefundPayment({ paymentId: input.paymentId, amount: input.amount, reason: input.reason, idempotencyKey: `refund-${input.refundId}` });
}
