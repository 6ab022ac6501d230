import { createPayment, findPaymentEvent, getPayment, recordPaymentChange } from '../../stores/payments/payments';
import { countPayment } from '../../platform/metrics/business';
import { grantRole, revokeRole } from '../../stores/accounts/roles';
import { findAccount } from '../../stores/accounts/accounts';
import { priceChangesOf } from '../../stores/billing/products';
import { markPurchaseRefunded } from '../../stores/billing/purchases';
import { updateSubscriptionRow, type SubscriptionRowPatch } from '../../stores/billing/subscriptions';
import { priceForPeriod } from '../../domain/billing/plans';
import { formatAmount, formatDateTime } from '../../domain/format';
import type { Money } from '../../domain/money';
import type { CoreDeps } from '../../platform/deps';
import { createEmailActivities } from '../email/activities';
import { recordBillingEvent, recordSubscriptionEvent, type BillingEvent } from './events';
import { declineOf, declineOfResult, rethrowAsFailure, type Decline } from './gateway';

export type { SubscriptionRowPatch } from '../../stores/billing/subscriptions';

export interface ChargeSubscriptionInput {
  subscriptionId: string;
  accountId: string;
  planId: string;
  customerId: string;
  paymentMethodId: string;
  paymentId: string;
  /** `<subscriptionId>/period-<n>` for a period's first attempt. */
  idempotencyKey: string;
  /** A fixed amount (upgrade proration); otherwise the period price is worked out from the locked price and the price changes. */
  amount?: Money;
  locked: { price: Money; lockedAt: number };
  /** Start of the period being paid for (price changes reach it after the notice). */
  periodStart: number;
  /** When this charge was due (a renewal's period end): lateness = now − dueAt. */
  dueAt?: number;
  description: string;
  /** The first charge is made with the customer present (authorise + capture); renewals are off-session. */
  onSession?: boolean;
  /** The row and the event to record on success / on a decline, in the same activity (and the role a first charge grants). */
  onSuccess?: {
    row: SubscriptionRowPatch;
    event: Omit<BillingEvent, 'data'> & { data?: Record<string, unknown> };
    grantRole?: { role: 'premium' | 'admin'; reason: string; eventId: string };
    /** The renewal receipt, sent once the charge is recorded (the amount, price, period and payment filled in here). */
    receipt?: ChargeReceipt;
  };
  onDecline?: { row: SubscriptionRowPatch; event: Omit<BillingEvent, 'data'> & { data?: Record<string, unknown> } };
}

/** What the `billing-renewal-receipt` email needs beyond the charge itself. */
export interface ChargeReceipt {
  to: string;
  /** `<workflowId>/email/period-<n>/receipt`: the key the workflow's own receipt would use. */
  idempotencyKey: string;
  vars: { name: string; planName: string; description: string; interval: string };
}

export type ChargeSubscriptionResult =
  /** receiptSent: false when the receipt asked for could not be sent (the workflow sends it as an activity). */
  | { ok: true; paymentId: string; amount: Money; locked: { price: Money; lockedAt: number }; latenessMs: number; receiptSent?: boolean }
  | { ok: false; paymentId: string; amount: Money; locked: { price: Money; lockedAt: number }; decline: Decline };

export function createSubscriptionActivities(deps: CoreDeps) {
  const { db, ports, config } = deps;
  const { sendEmail } = createEmailActivities(deps);

  /** Best effort: a mail failure must not fail (and retry) a charge that is already recorded. */
  const sendReceipt = async (receipt: ChargeReceipt, charge: { paymentId: string; amount: Money; price: Money; periodStart: number; periodEnd: number }): Promise<boolean> => {
    try {
      await sendEmail({
        to: receipt.to,
        template: 'billing-renewal-receipt',
        idempotencyKey: receipt.idempotencyKey,
        vars: { ...receipt.vars, amount: formatAmount(charge.amount), price: formatAmount(charge.price), periodStart: formatDateTime(charge.periodStart), periodEnd: formatDateTime(charge.periodEnd), paymentId: charge.paymentId },
      });
      return true;
    } catch (error) {
      deps.logger.warn({ err: error, idempotencyKey: receipt.idempotencyKey }, 'renewal receipt not sent with the charge; the workflow sends it');
      return false;
    }
  };

  return {
    /** Creates the customer at the gateway and attaches the first payment method. */
    async billingSetupSubscription(input: { subscriptionId: string; email: string; paymentMethod: string }): Promise<{ customerId: string; paymentMethodId: string }> {
      try {
        const { customerId } = await ports.payments.createCustomer({ email: input.email }, { idempotencyKey: `subscription-${input.subscriptionId}/customer` });
        const { paymentMethodId } = await ports.payments.attachPaymentMethod({ customerId, paymentMethod: input.paymentMethod }, { idempotencyKey: `subscription-${input.subscriptionId}/payment-method-0` });
        return { customerId, paymentMethodId };
      } catch (error) {
        rethrowAsFailure(error);
      }
    },

    async billingAttachPaymentMethod(input: { subscriptionId: string; customerId: string; paymentMethod: string; seq: number }): Promise<{ ok: true; paymentMethodId: string } | { ok: false; decline: Decline }> {
      try {
        const { paymentMethodId } = await ports.payments.attachPaymentMethod({ customerId: input.customerId, paymentMethod: input.paymentMethod }, { idempotencyKey: `subscription-${input.subscriptionId}/payment-method-${input.seq}` });
        return { ok: true, paymentMethodId };
      } catch (error) {
        const decline = declineOf(error);
        if (!decline) throw error;
        return { ok: false, decline };
      }
    },

    /**
     * One off-session charge of a subscription, recorded as a payment with its events, and the
     * subscription row and reporting event that follow from it. Idempotent end to end: the
     * gateway call carries the step's idempotency key and every write is keyed by it.
     */
    async billingChargeSubscription(input: ChargeSubscriptionInput): Promise<ChargeSubscriptionResult> {
      const startedAt = Date.now();
      const locked = input.amount ? input.locked : priceForPeriod(input.locked, await priceChangesOf(db, input.planId), input.periodStart, config.BILLING_PRICE_CHANGE_NOTICE);
      const amount = input.amount ?? locked.price;
      const latenessMs = input.dueAt === undefined ? 0 : Math.max(0, startedAt - input.dueAt);
      const workflowId = `subscription-${input.subscriptionId}`;
      await createPayment(db, { id: input.paymentId, accountId: input.accountId, kind: 'subscription', reference: input.subscriptionId, provider: ports.payments.provider, amount, workflowId });
      let decline: Decline | undefined;
      let providerPaymentId: string | undefined;
      const metadata = { subscriptionId: input.subscriptionId, paymentId: input.paymentId };
      try {
        if (input.onSession) {
          const auth = await ports.payments.authorize({ amount, customerId: input.customerId, paymentMethod: input.paymentMethodId, description: input.description, metadata }, { idempotencyKey: input.idempotencyKey });
          providerPaymentId = auth.providerPaymentId;
          const result = auth.status === 'requires_capture' ? await ports.payments.capture({ providerPaymentId: auth.providerPaymentId }, { idempotencyKey: `${input.idempotencyKey}/capture` }) : auth;
          decline = declineOfResult(result);
        } else {
          const result = await ports.payments.chargeOffSession({ amount, customerId: input.customerId, paymentMethodId: input.paymentMethodId, description: input.description, metadata }, { idempotencyKey: input.idempotencyKey });
          providerPaymentId = result.providerPaymentId;
          decline = declineOfResult(result);
        }
      } catch (error) {
        decline = declineOf(error);
        if (!decline) throw error;
        providerPaymentId ??= (error as { providerPaymentId?: string }).providerPaymentId;
      }
      if (decline) {
        countPayment(deps, await recordPaymentChange(db, input.paymentId, { status: 'failed', providerPaymentId, failureCode: decline.code, failureMessage: decline.message }, { id: `${input.paymentId}/failed`, type: 'payment.failed', data: { code: decline.code }, correlationId: workflowId }));
        if (input.onDecline) await recordSubscriptionEvent(deps, input.subscriptionId, input.onDecline.row, { ...input.onDecline.event, data: { ...input.onDecline.event.data, paymentId: input.paymentId, amount, code: decline.code } });
        return { ok: false, paymentId: input.paymentId, amount, locked, decline };
      }
      countPayment(deps, await recordPaymentChange(db, input.paymentId, { status: 'captured', providerPaymentId, amountCaptured: amount.amount }, { id: `${input.paymentId}/captured`, type: 'payment.captured', data: { amount }, correlationId: workflowId }), amount.amount);
      if (input.onSuccess) {
        const grant = input.onSuccess.grantRole;
        if (grant) await setSubscriptionRole(deps, { accountId: input.accountId, subscriptionId: input.subscriptionId, role: grant.role, grant: true, reason: grant.reason, eventId: grant.eventId });
        await recordSubscriptionEvent(deps, input.subscriptionId, { ...input.onSuccess.row, price: input.amount ? input.onSuccess.row.price : locked.price }, { ...input.onSuccess.event, data: { ...input.onSuccess.event.data, paymentId: input.paymentId, amount, latenessMs } });
        const { receipt, row } = input.onSuccess;
        if (receipt) {
          const receiptSent = await sendReceipt(receipt, { paymentId: input.paymentId, amount, price: locked.price, periodStart: input.periodStart, periodEnd: row.periodEnd ?? input.periodStart });
          return { ok: true, paymentId: input.paymentId, amount, locked, latenessMs, receiptSent };
        }
      }
      return { ok: true, paymentId: input.paymentId, amount, locked, latenessMs };
    },

    /** Updates the listing copy and appends an event (status changes that move no money). */
    async billingSyncSubscription(input: { subscriptionId: string; row: SubscriptionRowPatch; event?: BillingEvent }): Promise<void> {
      if (input.event) await recordSubscriptionEvent(deps, input.subscriptionId, input.row, input.event);
      else await updateSubscriptionRow(db, input.subscriptionId, input.row);
    },

    /** Grants or revokes the role a subscription gives; the account keeps it while any source grants it. */
    async billingSetSubscriptionRole(input: SetRoleInput): Promise<{ roles: string[] }> {
      return setSubscriptionRole(deps, input);
    },

    /** Refunds part of a captured payment through the gateway, recorded as payment events and a reporting event. */
    async billingRefundPayment(input: { paymentId: string; amount: number; reason: string; idempotencyKey: string; accountId?: string | null; subjectId?: string }): Promise<{ refunded: number }> {
      return refundPayment(deps, input);
    },

    /** The account's email (for receipts and notices). */
    async billingAccountEmail(accountId: string): Promise<string> {
      const account = await findAccount(db, accountId);
      return account?.email ?? '';
    },
  };
}

interface SetRoleInput {
  accountId: string;
  subscriptionId: string;
  role: 'premium' | 'admin';
  grant: boolean;
  reason: string;
  eventId: string;
}

async function setSubscriptionRole(deps: CoreDeps, input: SetRoleInput): Promise<{ roles: string[] }> {
  const change = { accountId: input.accountId, role: input.role, source: `subscription:${input.subscriptionId}`, reason: input.reason };
  const roles = input.grant ? await grantRole(deps.db, change) : await revokeRole(deps.db, change);
  await recordBillingEvent(deps, { id: input.eventId, type: input.grant ? 'role.granted' : 'role.revoked', accountId: input.accountId, subjectId: input.subscriptionId, data: { role: input.role, source: change.source, reason: input.reason, roles } });
  return { roles };
}

/** Shared by the subscription workflow and the admin refund. The gateway key makes a retry refund once. */
export async function refundPayment(deps: CoreDeps, input: { paymentId: string; amount: number; reason: string; idempotencyKey: string; accountId?: string | null; subjectId?: string }): Promise<{ refunded: number }> {
  const { db, ports } = deps;
  const payment = await getPayment(db, input.paymentId);
  if (!payment) rethrowAsFailure(Object.assign(new Error(`payment ${input.paymentId} does not exist`), { name: 'PaymentError', retryable: false, code: 'not_found' }));
  if (input.amount <= 0) return { refunded: 0 };
  const eventId = `${input.idempotencyKey}/refunded`;
  const already = (await findPaymentEvent(db, eventId)) as { data?: { amount?: { amount?: number } } } | undefined;
  if (already) return { refunded: Number(already.data?.amount?.amount ?? input.amount) };
  // Never more than is left (an admin may have refunded part already); the same on a retry, since
  // the row only changes once the refund is recorded.
  const amountToRefund = Math.min(input.amount, payment.amountCaptured - payment.amountRefunded);
  if (amountToRefund <= 0) return { refunded: 0 };
  let refund;
  try {
    refund = await ports.payments.refund({ providerPaymentId: payment.providerPaymentId as string, amount: amountToRefund, reason: input.reason }, { idempotencyKey: input.idempotencyKey });
  } catch (error) {
    rethrowAsFailure(error);
  }
  const refundedTotal = payment.amountRefunded + amountToRefund;
  const status = refundedTotal >= payment.amountCaptured ? 'refunded' : 'partially_refunded';
  const amount = { amount: amountToRefund, currency: payment.amount.currency };
  countPayment(deps, await recordPaymentChange(db, input.paymentId, { status, amountRefunded: refundedTotal }, { id: eventId, type: 'payment.refunded', data: { amount, reason: input.reason, providerRefundId: refund.providerRefundId }, correlationId: input.idempotencyKey }), amountToRefund);
  // A film refunded in full is no longer owned: it leaves the library and may be bought again.
  if (status === 'refunded' && payment.kind === 'film') await markPurchaseRefunded(db, input.paymentId);
  await recordBillingEvent(deps, { id: eventId, type: 'payment.refunded', accountId: input.accountId ?? payment.accountId, subjectId: input.subjectId ?? payment.reference, data: { paymentId: input.paymentId, amount, reason: input.reason } });
  return { refunded: amountToRefund };
}
