import { getExternalWorkflowHandle, patched, proxyActivities } from '@temporalio/workflow';
import type { BillingActivities } from '../../activities/billing';
import type { EmailActivities } from '../../activities/email/activities';
import { formatAmount, formatDateTime } from '../../domain/format';
import { purchaseRefundedSignal, purchaseWorkflowId } from './purchase';

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
            vars: { name: r.name || 'there', planName: input.planName, oldPrice: input.oldPrice, newPrice: input.newPrice, effectiveFrom: formatDateTime(input.effectiveFrom) },
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

/**
 * `refund-<refundId>`: an admin refund through the gateway (idempotency key `refund-<refundId>`),
 * recorded as events; the payer is emailed, and a film refunded in full ends its purchase workflow.
 */
export async function adminRefund(input: { refundId: string; paymentId: string; amount: number; reason: string }): Promise<{ refunded: number }> {
  const result = await acts.billingRefundPayment({ paymentId: input.paymentId, amount: input.amount, reason: input.reason, idempotencyKey: `refund-${input.refundId}` });
  // Histories recorded before the refund email and the purchase signal existed replay without them.
  if (result.refunded <= 0 || !patched('refund-notice')) return result;
  const notice = await acts.billingRefundNotice({ paymentId: input.paymentId });
  if (!notice) return result;
  try {
    await mail.sendEmail({
      to: notice.email,
      template: 'billing-refund',
      vars: {
        name: notice.name || 'there',
        amount: formatAmount({ amount: result.refunded, currency: notice.captured.currency }),
        what: notice.what,
        refundedAt: formatDateTime(new Date()),
        reason: input.reason,
        totalRefunded: formatAmount(notice.totalRefunded),
        captured: formatAmount(notice.captured),
        paymentId: input.paymentId,
      },
      idempotencyKey: `refund-${input.refundId}/email`,
    });
  } catch {
    // best effort: the refund itself is done and recorded
  }
  if (notice.purchaseId && notice.fullyRefunded) {
    try {
      await getExternalWorkflowHandle(purchaseWorkflowId(notice.purchaseId)).signal(purchaseRefundedSignal);
    } catch {
      // the purchase workflow already ended (its access ran out)
    }
  }
  return result;
}
