import type { SubscriptionStatus } from '../../domain/billing/types';
import type { Money } from '../../domain/money';
import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';

/**
 * The listing copy of each subscription: the workflow owns the live state and keeps this row in
 * step, so lists and filters are plain queries.
 */
export interface SubscriptionRow {
  id: string;
  account_id: string;
  plan_id: string;
  status: SubscriptionStatus;
  price_amount: number;
  currency: string;
  period: number;
  current_period_start: Date | null;
  current_period_end: Date | null;
  cancel_at_period_end: boolean;
  pending_plan_id: string | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
  /** The plan's name, in reads joined with the catalogue. */
  plan_name?: string;
}

/** Inserts an `incomplete` subscription, before its workflow starts. */
export async function insertSubscription(db: Db, subscription: { id: string; accountId: string; planId: string; price: Money }): Promise<void> {
  await db('subscriptions').insert({ id: subscription.id, account_id: subscription.accountId, plan_id: subscription.planId, status: 'incomplete', price_amount: subscription.price.amount, currency: subscription.price.currency });
}

/** Removes a subscription whose workflow could not be started. */
export async function deleteSubscription(db: Db, id: string): Promise<void> {
  await db('subscriptions').where({ id }).delete();
}

/** One subscription with its plan's name. */
export async function findSubscription(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  return db('subscriptions as s').join('products as p', 'p.id', 's.plan_id').select('s.*', 'p.name as plan_name').where('s.id', id).first();
}

/** An account's subscriptions, newest first, with their plans' names. */
export async function listSubscriptions(db: Db, accountId: string, filter: { status?: SubscriptionStatus }, page: { limit: number; cursor?: string }) {
  const query = db('subscriptions as s').join('products as p', 'p.id', 's.plan_id').select('s.*', 'p.name as plan_name').where('s.account_id', accountId);
  if (filter.status) query.where('s.status', filter.status);
  return newestFirstPage<SubscriptionRow>(query, page, 's.');
}

/** What the listing copy of a subscription (the `subscriptions` row) is updated to. */
export interface SubscriptionRowPatch {
  status?: SubscriptionStatus;
  planId?: string;
  price?: Money;
  period?: number;
  periodStart?: number;
  periodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  pendingPlanId?: string | null;
  cancelledAt?: number;
  cancelReason?: string;
}

/** The columns a patch sets (updated_at aside). */
export function subscriptionRowColumns(patch: SubscriptionRowPatch): Record<string, string | number | boolean | Date | null> {
  const row: Record<string, string | number | boolean | Date | null> = {};
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.planId !== undefined) row.plan_id = patch.planId;
  if (patch.price !== undefined) Object.assign(row, { price_amount: patch.price.amount, currency: patch.price.currency });
  if (patch.period !== undefined) row.period = patch.period;
  if (patch.periodStart !== undefined) row.current_period_start = new Date(patch.periodStart);
  if (patch.periodEnd !== undefined) row.current_period_end = new Date(patch.periodEnd);
  if (patch.cancelAtPeriodEnd !== undefined) row.cancel_at_period_end = patch.cancelAtPeriodEnd;
  if (patch.pendingPlanId !== undefined) row.pending_plan_id = patch.pendingPlanId;
  if (patch.cancelledAt !== undefined) row.cancelled_at = new Date(patch.cancelledAt);
  if (patch.cancelReason !== undefined) row.cancel_reason = patch.cancelReason;
  return row;
}

export async function updateSubscriptionRow(db: Db, id: string, patch: SubscriptionRowPatch): Promise<void> {
  await db('subscriptions').where({ id }).update({ ...subscriptionRowColumns(patch), updated_at: db.fn.now() });
}

/** A page (by id, after `afterId`) of a plan's live subscriptions: those a price change reaches. */
export async function livePlanSubscriptions(db: Db, planId: string, afterId: string, limit: number): Promise<{ id: string; accountId: string }[]> {
  const rows: { id: string; account_id: string }[] = await db('subscriptions')
    .select('id', 'account_id')
    .where('plan_id', planId)
    .whereIn('status', ['trialing', 'active', 'past_due'])
    .andWhere('id', '>', afterId)
    .orderBy('id')
    .limit(limit);
  return rows.map((r) => ({ id: r.id, accountId: r.account_id }));
}

/** Subscriptions that grant their plan now (trialing, active, past_due in dunning), per plan: the active-subscriptions gauge. */
export async function countLiveSubscriptionsByPlan(db: Db): Promise<{ planId: string; status: string; count: number }[]> {
  const rows: { plan_id: string; status: string; count: string | number }[] = await db('subscriptions').whereIn('status', ['trialing', 'active', 'past_due']).select('plan_id', 'status').count({ count: '*' }).groupBy('plan_id', 'status');
  return rows.map((r) => ({ planId: r.plan_id, status: r.status, count: Number(r.count) }));
}
