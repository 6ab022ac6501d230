import { findAccount } from '../../stores/accounts/accounts';
import { findPurchase } from '../../stores/billing/purchases';
import { findProduct } from '../../stores/billing/products';
import { findSubscription } from '../../stores/billing/subscriptions';
import { getPayment } from '../../stores/payments/payments';
import type { Money } from '../../domain/money';
import type { CoreDeps } from '../../platform/deps';

/** Who a refund email goes to and what it is about (read after the refund was recorded). */
export interface RefundNotice {
  email: string;
  name: string;
  /** "the film Arrival", "your Premium subscription", "payment pay_…". */
  what: string;
  captured: Money;
  totalRefunded: Money;
  /** The film purchase this payment paid for, and whether it is now refunded in full (its workflow ends). */
  purchaseId: string | null;
  fullyRefunded: boolean;
}

export function createBillingNoticeActivities(deps: CoreDeps) {
  const { db } = deps;
  return {
    async billingRefundNotice(input: { paymentId: string }): Promise<RefundNotice | null> {
      const payment = await getPayment(db, input.paymentId);
      if (!payment?.accountId) return null;
      const account = await findAccount(db, payment.accountId);
      if (!account) return null;
      let what = `payment ${payment.id}`;
      let purchaseId: string | null = null;
      if (payment.kind === 'film') {
        const purchase = await findPurchase(db, payment.reference);
        const product = purchase ? await findProduct(db, purchase.product_id) : undefined;
        purchaseId = purchase?.id ?? null;
        if (product) what = `the film ${product.name}`;
      } else if (payment.kind === 'subscription') {
        const subscription = await findSubscription(db, payment.reference);
        const plan = subscription ? await findProduct(db, subscription.plan_id) : undefined;
        what = plan ? `your ${plan.name} subscription` : 'your subscription';
      }
      const currency = payment.amount.currency;
      return {
        email: account.email,
        name: account.name,
        what,
        captured: { amount: payment.amountCaptured, currency },
        totalRefunded: { amount: payment.amountRefunded, currency },
        purchaseId,
        fullyRefunded: payment.amountCaptured > 0 && payment.amountRefunded >= payment.amountCaptured,
      };
    },
  };
}
