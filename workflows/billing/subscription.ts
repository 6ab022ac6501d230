import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { BillingActivities } from '../../activities/billing';
import type { BillingEventType } from '../../activities/billing/events';
import type { SubscriptionRowPatch } from '../../activities/billing/subscriptions';
import type { EmailActivities } from '../../activities/email/activities';
import { isUpgrade, nominalPeriodMs, periodEnd as endOfPeriod, prorate, upgradeProration, type PlanTerms } from '../../domain/billing/plans';
import { viewOf, type PeriodCharge, type SubscriptionInput, type SubscriptionState, type SubscriptionView } from '../../domain/billing/types';
import { formatAmount, formatDateTime, formatInterval } from '../../domain/format';

/**
 * `subscription-<id>`: optional trial → first charge → active (role granted) → sleep to the
 * period end → renew off-session (`<id>/period-<n>`) → continue-as-new, once per period by
 * default (`BILLING_RENEWALS_PER_RUN` trades a longer history for less server work).
 * A declined renewal makes it `past_due` and retries on the dunning schedule (emailing each
 * time; a payment-method update retries at once); when every retry failed it is `cancelled`
 * and the role revoked. Cancel (at period end, or now with a pro-rata refund), resume and
 * change-plan arrive as updates and are carried out by the main loop, one at a time.
 */
export const subscriptionStateQuery = defineQuery<SubscriptionView>('subscriptionState');
export const cancelSubscriptionUpdate = defineUpdate<SubscriptionView, [{ atPeriodEnd: boolean }]>('cancelSubscription');
export const resumeSubscriptionUpdate = defineUpdate<SubscriptionView, []>('resumeSubscription');
export const changePlanUpdate = defineUpdate<SubscriptionView, [{ plan: PlanTerms }]>('changePlan');
export const paymentMethodUpdatedSignal = defineSignal<[{ paymentMethod: string }]>('paymentMethodUpdated');

export function subscriptionWorkflowId(id: string): string {
  return `subscription-${id}`;
}

const retry = { initialInterval: '500 milliseconds', maximumInterval: '10 seconds' };
const acts = proxyActivities<BillingActivities>({ startToCloseTimeout: '30 seconds', retry });
// A period's charge runs as a local activity inside the workflow task the period's timer wakes:
// no activity task to dispatch and complete through the server, so one renewal costs one
// workflow task (plus the next run's first) instead of three, which is what keeps thousands of
// subscriptions on time. It stays exactly-once in effect: every write and the gateway call are
// keyed by `<id>/period-<n>`, so a re-run after a lost workflow task changes nothing.
const local = proxyLocalActivities<Pick<BillingActivities, 'billingChargeSubscription'>>({ startToCloseTimeout: '30 seconds', retry });
// Email is best effort for billing: a mail outage must not stop renewals.
const mail = proxyActivities<EmailActivities>({ startToCloseTimeout: '30 seconds', scheduleToCloseTimeout: '10 minutes', retry: { maximumInterval: '30 seconds' } });

type Command = { kind: 'cancel'; atPeriodEnd: boolean } | { kind: 'resume' } | { kind: 'changePlan'; plan: PlanTerms };
interface Pending {
  command: Command;
  done: boolean;
  error?: string;
}

/** Workflow time (deterministic inside the sandbox). */
const now = () => new Date().getTime();
const live = (s: SubscriptionState) => s.status === 'active' || s.status === 'trialing' || s.status === 'past_due';

export async function subscription(input: SubscriptionInput): Promise<SubscriptionView> {
  const wf = subscriptionWorkflowId(input.id);
  const s: SubscriptionState = input.state ?? {
    id: input.id,
    accountId: input.accountId,
    email: input.email,
    plan: input.plan,
    status: 'incomplete',
    period: 0,
    periodStart: 0,
    periodEnd: 0,
    price: input.plan.price,
    priceLockedAt: input.startedAt,
    charges: [],
    cancelAtPeriodEnd: false,
    roleGranted: false,
    paymentMethodSeq: 0,
    failedAttempts: 0,
  };
  let pendingPaymentMethod = input.pendingPaymentMethod;
  const queue: Pending[] = [];
  let queueSeq = 0;
  const ended = () => s.status === 'cancelled';
  // Set while end() runs its activities: updates accepted then would never be applied.
  let ending = false;

  setHandler(subscriptionStateQuery, () => viewOf(s));
  setHandler(paymentMethodUpdatedSignal, ({ paymentMethod }) => {
    pendingPaymentMethod = paymentMethod;
  });
  const enqueue = async (command: Command): Promise<SubscriptionView> => {
    const pending: Pending = { command, done: false };
    queue.push(pending);
    await condition(() => pending.done);
    if (pending.error) throw ApplicationFailure.nonRetryable(pending.error, 'SubscriptionRuleViolation');
    return viewOf(s);
  };
  setHandler(cancelSubscriptionUpdate, ({ atPeriodEnd }) => enqueue({ kind: 'cancel', atPeriodEnd }), {
    validator: (_args: { atPeriodEnd: boolean }) => {
      if (ending || !live(s)) throw new Error(`the subscription is ${ending ? 'ending' : s.status}`);
    },
  });
  setHandler(resumeSubscriptionUpdate, () => enqueue({ kind: 'resume' }), {
    validator: () => {
      if (ending || !live(s)) throw new Error(`the subscription is ${ending ? 'ending' : s.status}`);
      if (!s.cancelAtPeriodEnd) throw new Error('the subscription has no pending cancellation');
    },
  });
  setHandler(changePlanUpdate, ({ plan }) => enqueue({ kind: 'changePlan', plan }), {
    validator: ({ plan }) => {
      if (ending) throw new Error('the subscription is ending');
      if (s.status !== 'active' && s.status !== 'trialing') throw new Error(`the plan cannot change while the subscription is ${s.status}`);
      if (plan.id === s.plan.id) throw new Error('the subscription is already on this plan');
      if (plan.price.currency !== s.price.currency) throw new Error(`the plan is priced in ${plan.price.currency}, the subscription in ${s.price.currency}`);
    },
  });

  const sync = (row: SubscriptionRowPatch, event?: { suffix: string; type: BillingEventType; data?: Record<string, unknown> }) =>
    acts.billingSyncSubscription({
      subscriptionId: s.id,
      row,
      event: event ? { id: `${wf}/${event.suffix}`, type: event.type, accountId: s.accountId, subjectId: s.id, data: { planId: s.plan.id, period: s.period, ...event.data } } : undefined,
    });

  const email = async (template: string, suffix: string, vars: Record<string, string | number>) => {
    try {
      await mail.sendEmail({ to: s.email, template, vars: { name: input.name || 'there', planName: s.plan.name, ...vars }, idempotencyKey: `${wf}/email/${suffix}` });
    } catch {
      // logged by the activity; billing goes on
    }
  };

  const setRole = async (plan: PlanTerms, grant: boolean, reason: string, suffix: string) => {
    await acts.billingSetSubscriptionRole({ accountId: s.accountId, subscriptionId: s.id, role: plan.grantsRole, grant, reason, eventId: `${wf}/${suffix}` });
  };

  /**
   * Whether a renewal's receipt goes out inside its charge (the local activity) rather than as an
   * activity task of its own, which cost the server an activity and a second workflow task per
   * renewal. Runs recorded before take the old path; the answer is kept in the state once true, so
   * later runs decide without a patch marker (each marker also upserts a search attribute).
   */
  const receiptWithCharge = (): boolean => {
    if (!s.receiptWithCharge && patched('renewal-receipt-with-charge')) s.receiptWithCharge = true;
    return s.receiptWithCharge === true;
  };
  // Set by each successful charge: its receipt is already out (else the main loop sends it).
  let receiptSent = false;

  /** One charge for period `n` starting at `start`; on success the state moves to that period. */
  const chargePeriod = async (n: number, start: number, attempt: number, dueAt: number | undefined): Promise<{ ok: boolean; code?: string }> => {
    const end = endOfPeriod(start, s.plan.interval, s.plan.intervalCount, input.dayMs);
    const key = attempt === 0 ? `${s.id}/period-${n}` : `${s.id}/period-${n}/retry-${attempt}`;
    const paymentId = attempt === 0 ? `pay_${s.id}_p${n}` : `pay_${s.id}_p${n}_r${attempt}`;
    // The same idempotency key as the receipt the main loop would send: never both.
    const withReceipt = n > 1 && receiptWithCharge();
    const result = await local.billingChargeSubscription({
      subscriptionId: s.id,
      accountId: s.accountId,
      planId: s.plan.id,
      customerId: s.customerId!,
      paymentMethodId: s.paymentMethodId!,
      paymentId,
      idempotencyKey: key,
      locked: { price: s.price, lockedAt: s.priceLockedAt },
      periodStart: start,
      dueAt,
      description: `${s.plan.name} — period ${n}`,
      onSession: n === 1 && attempt === 0 && dueAt === undefined,
      onSuccess: {
        row: { status: 'active', period: n, periodStart: start, periodEnd: end, planId: s.plan.id, cancelAtPeriodEnd: s.cancelAtPeriodEnd, pendingPlanId: s.pendingPlan?.id ?? null },
        event: { id: `${wf}/period-${n}/paid`, type: n === 1 ? 'subscription.started' : 'subscription.renewed', accountId: s.accountId, subjectId: s.id, data: { planId: s.plan.id, period: n, attempt, periodStart: new Date(start).toISOString(), periodEnd: new Date(end).toISOString() } },
        grantRole: s.roleGranted ? undefined : { role: s.plan.grantsRole, reason: 'subscription active', eventId: `${wf}/role-granted` },
        receipt: withReceipt
          ? { to: s.email, idempotencyKey: `${wf}/email/period-${n}/receipt`, vars: { name: input.name || 'there', planName: s.plan.name, description: `the renewal of ${s.plan.name}`, interval: formatInterval(s.plan.interval, s.plan.intervalCount) } }
          : undefined,
      },
      onDecline: {
        row: { status: n === 1 && s.period === 0 && s.status === 'incomplete' ? 'incomplete' : 'past_due' },
        event: { id: `${wf}/period-${n}/failed-${attempt}`, type: 'subscription.renewal_failed', accountId: s.accountId, subjectId: s.id, data: { planId: s.plan.id, period: n, attempt } },
      },
    });
    if (!result.ok) return { ok: false, code: result.decline.code };
    s.roleGranted = true;
    s.period = n;
    s.periodStart = start;
    s.periodEnd = end;
    s.price = result.locked.price;
    s.priceLockedAt = result.locked.lockedAt;
    s.charges = [{ paymentId, amount: result.amount.amount, coverFrom: start, coverTo: end }];
    s.status = 'active';
    s.failedAttempts = 0;
    s.nextRetryAt = undefined;
    receiptSent = withReceipt && result.receiptSent === true;
    return { ok: true };
  };

  const applyPaymentMethod = async () => {
    const paymentMethod = pendingPaymentMethod;
    pendingPaymentMethod = undefined;
    if (!paymentMethod || !s.customerId) return;
    s.paymentMethodSeq += 1;
    const attached = await acts.billingAttachPaymentMethod({ subscriptionId: s.id, customerId: s.customerId, paymentMethod, seq: s.paymentMethodSeq });
    if (attached.ok) s.paymentMethodId = attached.paymentMethodId;
  };

  /** Ends the subscription: role revoked and the row updated before the state says `cancelled`. */
  const end = async (reason: string, refunded?: number, at: number = now()) => {
    ending = true;
    const refundedMoney = refunded === undefined ? undefined : { amount: refunded, currency: s.price.currency };
    if (s.roleGranted) {
      await setRole(s.plan, false, `subscription ${reason}`, `role-revoked`);
      s.roleGranted = false;
    }
    await sync({ status: 'cancelled', cancelledAt: at, cancelReason: reason, cancelAtPeriodEnd: false }, { suffix: 'cancelled', type: 'subscription.cancelled', data: { reason, refunded: refundedMoney ?? null } });
    s.status = 'cancelled';
    s.cancelledAt = at;
    s.cancelReason = reason;
    s.cancelAtPeriodEnd = false;
    s.nextRetryAt = undefined;
    s.refunded = refundedMoney;
    await email('billing-subscription-cancelled', 'cancelled', { reason: reason.replace(/_/g, ' '), refund: refundedMoney ? formatAmount(refundedMoney) : 'none' });
    // Commands queued before the end was decided are answered, not left waiting forever.
    for (const pending of queue.splice(0)) {
      pending.error = 'the subscription has ended';
      pending.done = true;
    }
  };

  /** Unused value of what was paid for the current period, each charge pro rata over the window it paid for. */
  const unusedCharges = (at: number) => s.charges.map((c: PeriodCharge) => ({ charge: c, unused: prorate(c.amount, c.coverTo - at, c.coverTo - c.coverFrom) }));

  const run = async (pending: Pending) => {
    const { command } = pending;
    if (command.kind === 'resume') {
      if (!s.cancelAtPeriodEnd) throw new Error('the subscription has no pending cancellation');
      s.cancelAtPeriodEnd = false;
      await sync({ cancelAtPeriodEnd: false }, { suffix: `period-${s.period}/resumed-${queueSeq}`, type: 'subscription.resumed' });
      return;
    }
    if (command.kind === 'cancel') {
      if (!live(s)) throw new Error(`the subscription is ${s.status}`);
      if (command.atPeriodEnd && s.status !== 'past_due') {
        if (s.cancelAtPeriodEnd) return;
        s.cancelAtPeriodEnd = true;
        await sync({ cancelAtPeriodEnd: true }, { suffix: `period-${s.period}/cancel-scheduled-${queueSeq}`, type: 'subscription.cancel_scheduled', data: { effectiveAt: new Date(s.periodEnd).toISOString() } });
        return;
      }
      // Immediately: access ends now and the unused part of each charge of this period is refunded
      // pro rata (see prorate() in domain/billing/plans.ts): floor(amount × (coverTo − now) / (coverTo − coverFrom)).
      let refunded = 0;
      const at = now();
      if (s.status === 'active') {
        for (const { charge, unused } of unusedCharges(at)) {
          if (unused <= 0) continue;
          const r = await acts.billingRefundPayment({ paymentId: charge.paymentId, amount: unused, reason: 'subscription cancelled: unused time', idempotencyKey: `${s.id}/period-${s.period}/cancel-refund/${charge.paymentId}`, accountId: s.accountId, subjectId: s.id });
          refunded += r.refunded;
        }
      }
      await end('cancelled_by_customer', refunded, at);
      return;
    }
    // change plan
    const plan = command.plan;
    if (s.status !== 'active' && s.status !== 'trialing') throw new Error(`the plan cannot change while the subscription is ${s.status}`);
    const currentPeriodMs = s.status === 'active' ? s.periodEnd - s.periodStart : nominalPeriodMs(s.plan.interval, s.plan.intervalCount, input.dayMs);
    const samePeriod = plan.interval === s.plan.interval && plan.intervalCount === s.plan.intervalCount;
    const newPeriodMs = samePeriod ? currentPeriodMs : nominalPeriodMs(plan.interval, plan.intervalCount, input.dayMs);
    const upgrade = isUpgrade({ price: s.price, periodMs: nominalPeriodMs(s.plan.interval, s.plan.intervalCount, input.dayMs) }, { price: plan.price, periodMs: nominalPeriodMs(plan.interval, plan.intervalCount, input.dayMs) });
    const from = s.plan;
    if (!upgrade) {
      // Downgrade: takes effect when the current period ends.
      s.pendingPlan = plan;
      await sync({ pendingPlanId: plan.id }, { suffix: `period-${s.period}/downgrade-${plan.id}`, type: 'subscription.plan_changed', data: { mode: 'downgrade', from: from.id, to: plan.id, effectiveAt: new Date(s.periodEnd).toISOString() } });
      return;
    }
    // Upgrade now: pay for the rest of the period at the new rate, minus the unused value already paid.
    let due = 0;
    let upgradeReceipt: { paymentId: string; amount: number; from: number; description: string } | undefined;
    if (s.status === 'active') {
      const at = now();
      const credit = unusedCharges(at).reduce((a, u) => a + u.unused, 0);
      due = upgradeProration({ paid: credit, newPrice: plan.price.amount, remainingMs: s.periodEnd - at, periodMs: s.periodEnd - at, newPeriodMs });
      if (due > 0) {
        const paymentId = `pay_${s.id}_p${s.period}_up_${plan.id}`;
        const result = await acts.billingChargeSubscription({
          subscriptionId: s.id,
          accountId: s.accountId,
          planId: plan.id,
          customerId: s.customerId!,
          paymentMethodId: s.paymentMethodId!,
          paymentId,
          idempotencyKey: `${s.id}/period-${s.period}/upgrade-${plan.id}`,
          amount: { amount: due, currency: plan.price.currency },
          locked: { price: plan.price, lockedAt: at },
          periodStart: at,
          description: `${plan.name} — upgrade from ${from.name}`,
        });
        if (!result.ok) throw new Error(`the upgrade payment was declined (${result.decline.code})`);
        s.charges.push({ paymentId, amount: due, coverFrom: at, coverTo: s.periodEnd });
        upgradeReceipt = { paymentId, amount: due, from: at, description: `the upgrade from ${from.name} to ${plan.name} for the rest of the period` };
      }
    }
    s.plan = plan;
    s.price = plan.price;
    s.priceLockedAt = now();
    s.pendingPlan = undefined;
    if (s.roleGranted && from.grantsRole !== plan.grantsRole) {
      await setRole(plan, true, 'plan upgraded', `period-${s.period}/upgrade-${plan.id}/role-granted`);
      await setRole(from, false, 'plan upgraded', `period-${s.period}/upgrade-${plan.id}/role-revoked`);
    }
    await sync({ planId: plan.id, price: plan.price, pendingPlanId: null }, { suffix: `period-${s.period}/upgrade-${plan.id}`, type: 'subscription.plan_changed', data: { mode: 'upgrade', from: from.id, to: plan.id, prorationCharged: { amount: due, currency: plan.price.currency } } });
    if (upgradeReceipt) await receipt(`period-${s.period}/upgrade-${plan.id}/receipt`, upgradeReceipt.paymentId, upgradeReceipt.amount, upgradeReceipt.description, upgradeReceipt.from, s.periodEnd);
  };

  const drain = async () => {
    while (queue.length > 0) {
      const pending = queue.shift()!;
      queueSeq += 1;
      try {
        await run(pending);
      } catch (error) {
        pending.error = (error as Error).message;
      }
      pending.done = true;
    }
  };

  /** Renews into the next period; declines go through dunning. False when the subscription ended. */
  const renew = async (): Promise<boolean> => {
    const n = s.period + 1;
    const due = s.periodEnd;
    const first = await chargePeriod(n, due, 0, due);
    if (first.ok) return true;
    const schedule = input.dunningScheduleMs;
    s.status = 'past_due';
    s.failedAttempts = 1;
    let code = first.code ?? 'declined';
    for (let attempt = 1; ; attempt++) {
      if (attempt > schedule.length) {
        await end('payment_failed');
        return false;
      }
      const delay = schedule[attempt - 1];
      s.nextRetryAt = now() + delay;
      await email('billing-payment-failed', `period-${n}/failed-${attempt - 1}`, { amount: formatAmount(s.price), attempt, attempts: schedule.length + 1, code, nextRetryAt: formatDateTime(s.nextRetryAt) });
      // Wait for the retry time or a new payment method (retry at once); commands meanwhile (cancel) are served.
      const retryAt = s.nextRetryAt;
      for (;;) {
        await condition(() => queue.length > 0 || pendingPaymentMethod !== undefined, Math.max(1, retryAt - now()));
        await drain();
        if (ended()) return false;
        if (pendingPaymentMethod !== undefined || now() >= retryAt) break;
      }
      await applyPaymentMethod();
      const retry = await chargePeriod(n, now(), attempt, due);
      if (retry.ok) return true;
      s.failedAttempts = attempt + 1;
      code = retry.code ?? code;
    }
  };

  // Renewals made by this run: it continues as new after `renewalsPerRun` of them (1: every period).
  let renewalsThisRun = 0;
  const welcome = () => email('billing-subscription-started', `period-${s.period}/welcome`, { amount: formatAmount(s.price), interval: formatInterval(s.plan.interval, s.plan.intervalCount), status: s.status, periodEnd: formatDateTime(s.periodEnd) });

  /**
   * A receipt for every charge after the first (whose receipt is the welcome email): renewals and
   * upgrades. Runs recorded before receipts existed replay without them.
   */
  const receipt = async (suffix: string, paymentId: string, amount: number, description: string, coverFrom: number, coverTo: number) => {
    if (!patched('charge-receipts')) return;
    await email('billing-renewal-receipt', suffix, {
      amount: formatAmount({ amount, currency: s.price.currency }),
      description,
      periodStart: formatDateTime(coverFrom),
      periodEnd: formatDateTime(coverTo),
      price: formatAmount(s.price),
      interval: formatInterval(s.plan.interval, s.plan.intervalCount),
      paymentId,
    });
  };

  // First run: set up the customer, then the trial or the first charge.
  if (!input.state) {
    try {
      const setup = await acts.billingSetupSubscription({ subscriptionId: s.id, email: s.email, paymentMethod: input.paymentMethod ?? '' });
      s.customerId = setup.customerId;
      s.paymentMethodId = setup.paymentMethodId;
    } catch {
      s.cancelReason = 'payment_method_rejected';
      await sync({ status: 'incomplete', cancelReason: s.cancelReason }, { suffix: 'setup-failed', type: 'subscription.renewal_failed', data: { reason: s.cancelReason } });
      return viewOf(s);
    }
    const start = now();
    if (s.plan.trialDays > 0) {
      const trialEnd = start + s.plan.trialDays * input.dayMs;
      await setRole(s.plan, true, 'subscription trial', 'role-granted');
      s.roleGranted = true;
      await sync({ status: 'trialing', period: 0, periodStart: start, periodEnd: trialEnd }, { suffix: 'trial-started', type: 'subscription.trial_started', data: { trialEnd: new Date(trialEnd).toISOString() } });
      s.status = 'trialing';
      s.periodStart = start;
      s.periodEnd = trialEnd;
    } else {
      const first = await chargePeriod(1, start, 0, undefined);
      if (!first.ok) {
        s.cancelReason = 'first_payment_declined';
        await sync({ status: 'incomplete', cancelReason: s.cancelReason });
        await email('billing-subscription-cancelled', 'incomplete', { reason: 'the first payment was declined', refund: 'none' });
        return viewOf(s);
      }
    }
    await welcome();
  }

  // The renewal path calls no async helper it does not need: the SDK records a stack trace for every
  // promise a workflow creates (for the stack-trace query), a real share of a renewal's worker CPU.
  for (;;) {
    await condition(() => queue.length > 0 || pendingPaymentMethod !== undefined || now() >= s.periodEnd, Math.max(1, s.periodEnd - now()));
    if (pendingPaymentMethod !== undefined) await applyPaymentMethod();
    if (queue.length > 0) await drain();
    if (ended()) return viewOf(s);
    if (now() < s.periodEnd) continue;
    if (s.cancelAtPeriodEnd) {
      await end('cancelled_at_period_end');
      return viewOf(s);
    }
    if (s.pendingPlan) {
      const from = s.plan;
      const to = s.pendingPlan;
      s.plan = to;
      s.price = to.price;
      s.priceLockedAt = s.periodEnd;
      s.pendingPlan = undefined;
      if (s.roleGranted && from.grantsRole !== to.grantsRole) {
        await setRole(to, true, 'plan downgraded', `period-${s.period}/downgrade-${to.id}/role-granted`);
        await setRole(from, false, 'plan downgraded', `period-${s.period}/downgrade-${to.id}/role-revoked`);
      }
    }
    const renewed = await renew();
    if (!renewed) return viewOf(s);
    const charge = s.charges[0];
    // A receipt the charge could not send (a mail outage) goes out as an activity, with its retries.
    if (!receiptSent) await receipt(`period-${s.period}/receipt`, charge.paymentId, charge.amount, s.period === 1 ? `the first period of ${s.plan.name}` : `the renewal of ${s.plan.name}`, charge.coverFrom, charge.coverTo);
    renewalsThisRun += 1;
    if (renewalsThisRun < (input.renewalsPerRun ?? 1) && !workflowInfo().continueAsNewSuggested) continue;
    // A fresh run keeps the history small; updates still in flight finish first.
    if (!allHandlersFinished()) await condition(() => allHandlersFinished() || queue.length > 0);
    if (queue.length === 0) {
      await continueAsNew<typeof subscription>({ ...input, paymentMethod: undefined, state: s, pendingPaymentMethod });
    }
  }
}
