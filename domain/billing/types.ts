import type { Money } from '../money';
import type { PlanTerms } from './plans';

/** Types shared by the billing workflows, activities and routes (pure: workflows import them). */
export type SubscriptionStatus = 'incomplete' | 'trialing' | 'active' | 'past_due' | 'cancelled';

/** One charge paid for the current period and the window it pays for (refunded pro rata on an immediate cancel). */
export interface PeriodCharge {
  paymentId: string;
  amount: number;
  coverFrom: number;
  coverTo: number;
}

export interface SubscriptionState {
  id: string;
  accountId: string;
  email: string;
  plan: PlanTerms;
  status: SubscriptionStatus;
  /** 0 during a trial; 1 after the first charge; +1 each renewal. */
  period: number;
  periodStart: number;
  periodEnd: number;
  /** The price this subscriber pays (locked until a change reaches them) and when it was locked. */
  price: Money;
  priceLockedAt: number;
  charges: PeriodCharge[];
  cancelAtPeriodEnd: boolean;
  pendingPlan?: PlanTerms;
  /** The plan's role is currently granted by this subscription. */
  roleGranted: boolean;
  customerId?: string;
  paymentMethodId?: string;
  /** How many payment methods were attached so far (idempotency of each attach). */
  paymentMethodSeq: number;
  /** Dunning: failed attempts for the period being renewed. */
  failedAttempts: number;
  nextRetryAt?: number;
  cancelledAt?: number;
  cancelReason?: string;
  refunded?: Money;
  /**
   * Renewal receipts go out with the charge (inside its local activity) instead of as an activity
   * of their own: set once the `renewal-receipt-with-charge` patch applied, and carried across
   * continue-as-new so later runs need no patch marker.
   */
  receiptWithCharge?: true;
}

export interface SubscriptionInput {
  id: string;
  accountId: string;
  email: string;
  /** The name emails greet (absent in runs started before it existed). */
  name?: string;
  plan: PlanTerms;
  /** The customer's payment method token (first run only). */
  paymentMethod?: string;
  startedAt: number;
  dayMs: number;
  dunningScheduleMs: number[];
  /** Renewals per workflow run before it continues as new (absent: 1, every period). */
  renewalsPerRun?: number;
  /** Carried across continue-as-new. */
  state?: SubscriptionState;
  /** A payment method update that arrived while continuing as new. */
  pendingPaymentMethod?: string;
}

export interface SubscriptionView {
  id: string;
  workflowId: string;
  accountId: string;
  planId: string;
  planName: string;
  status: SubscriptionStatus;
  period: number;
  price: Money;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  pendingPlanId: string | null;
  failedAttempts: number;
  nextRetryAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  refunded: Money | null;
}

const iso = (ms: number | undefined) => (ms === undefined || ms === 0 ? null : new Date(ms).toISOString());

export function viewOf(state: SubscriptionState): SubscriptionView {
  return {
    id: state.id,
    workflowId: `subscription-${state.id}`,
    accountId: state.accountId,
    planId: state.plan.id,
    planName: state.plan.name,
    status: state.status,
    period: state.period,
    price: state.price,
    currentPeriodStart: iso(state.periodStart),
    currentPeriodEnd: iso(state.periodEnd),
    cancelAtPeriodEnd: state.cancelAtPeriodEnd,
    pendingPlanId: state.pendingPlan?.id ?? null,
    failedAttempts: state.failedAttempts,
    nextRetryAt: iso(state.nextRetryAt),
    cancelledAt: iso(state.cancelledAt),
    cancelReason: state.cancelReason ?? null,
    refunded: state.refunded ?? null,
  };
}

export interface PurchaseInput {
  id: string;
  accountId: string;
  productId: string;
  productName: string;
  price: Money;
  paymentMethod: string;
  /** Absent: access forever. */
  accessMs?: number;
}

export type PurchaseStatus = 'pending' | 'active' | 'expired' | 'failed' | 'refunded';

export interface WebhookDeliveryInput {
  deliveryId: string;
  initialBackoffMs: number;
  maxBackoffMs: number;
  retryForMs: number;
}
