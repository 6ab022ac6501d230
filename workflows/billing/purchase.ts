import { condition, defineQuery, defineSignal, patched, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { BillingActivities } from '../../activities/billing';
import type { EmailActivities } from '../../activities/email/activities';
import type { PurchaseInput, PurchaseStatus } from '../../domain/billing/types';
import { formatAmount, formatDateTime } from '../../domain/format';

/** `purchase-<id>`: charge → grant access → email the receipt → revoke access at expiry (a timer), or end at a full refund. */
export interface PurchaseState {
  id: string;
  status: PurchaseStatus;
  accessExpiresAt: string | null;
  failureCode: string | null;
}

export const purchaseStateQuery = defineQuery<PurchaseState>('purchaseState');
/** Sent by the refund workflow when the film's payment is refunded in full: access already ended with the refund. */
export const purchaseRefundedSignal = defineSignal('purchaseRefunded');

export function purchaseWorkflowId(id: string): string {
  return `purchase-${id}`;
}

const acts = proxyActivities<BillingActivities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds' } });
const mail = proxyActivities<EmailActivities>({ startToCloseTimeout: '30 seconds', scheduleToCloseTimeout: '10 minutes', retry: { maximumInterval: '30 seconds' } });
const now = () => new Date().getTime();

export async function filmPurchase(input: PurchaseInput): Promise<PurchaseState> {
  const wf = purchaseWorkflowId(input.id);
  const state: PurchaseState = { id: input.id, status: 'pending', accessExpiresAt: null, failureCode: null };
  setHandler(purchaseStateQuery, () => state);
  let refunded = false;
  setHandler(purchaseRefundedSignal, () => {
    refunded = true;
  });

  const charge = await acts.billingChargePurchase({ purchaseId: input.id, accountId: input.accountId, amount: input.price, paymentMethod: input.paymentMethod, description: `Film: ${input.productName}` });
  if (!charge.ok) {
    state.status = 'failed';
    state.failureCode = charge.decline.code;
    await acts.billingEndPurchase({ purchaseId: input.id, status: 'failed', code: charge.decline.code });
    return state;
  }
  const access = await acts.billingActivatePurchase({ purchaseId: input.id, accessMs: input.accessMs });
  state.status = 'active';
  state.accessExpiresAt = access.expiresAt === null ? null : new Date(access.expiresAt).toISOString();
  try {
    await mail.sendEmail({
      to: access.email,
      template: 'billing-purchase-receipt',
      vars: { name: access.name || 'there', productName: input.productName, amount: formatAmount(input.price), accessUntil: access.expiresAt === null ? 'forever' : formatDateTime(access.expiresAt), purchaseId: input.id },
      idempotencyKey: `${wf}/email/receipt`,
    });
  } catch {
    // the receipt is best effort; access is granted
  }
  if (access.expiresAt === null) return state;
  // Histories from before the refund signal slept to the expiry; new runs also wake at a full refund.
  if (patched('purchase-ends-at-refund')) {
    if (await condition(() => refunded, Math.max(1, access.expiresAt - now()))) {
      state.status = 'refunded';
      return state;
    }
  } else await sleep(Math.max(1, access.expiresAt - now()));
  await acts.billingEndPurchase({ purchaseId: input.id, status: 'expired' });
  state.status = 'expired';
  return state;
}
