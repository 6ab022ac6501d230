import type { Knex } from 'knex';
import type { ShoutoutStatus, TimelineEvent } from '../../domain/shoutouts';
import type { Db } from '../../platform/db';
import { newestFirstPage } from '../pagination';
import { appendTimelineEvent } from './timeline';

/**
 * `shoutout_orders`: one row per order. The API writes it at order time (status `authorizing`);
 * from then on the order's workflow writes every step (`applyOrderChange`), and refunds their totals.
 */
export interface OrderRow {
  id: string;
  workflow_id: string;
  fan_id: string;
  talent_id: string;
  status: ShoutoutStatus;
  recipient_name: string;
  occasion: string;
  instructions: string;
  business_use: boolean;
  price_amount: number;
  currency: string;
  platform_fee_amount: number | null;
  talent_share_amount: number | null;
  refunded_amount: number;
  payment_id: string | null;
  failure_reason: string | null;
  video_key: string | null;
  poster_key: string | null;
  video_bytes: number | null;
  deadline_at: Date | null;
  accepted_at: Date | null;
  delivered_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export async function getOrderRow(db: Db, id: string): Promise<OrderRow | undefined> {
  return db<OrderRow>('shoutout_orders').where({ id }).first();
}

/** The order locked for the rest of the caller's transaction (refunds of one order are serialised on it). */
export async function lockOrderRow(trx: Knex.Transaction, id: string): Promise<OrderRow | undefined> {
  return trx<OrderRow>('shoutout_orders').where({ id }).forUpdate().first();
}

/** What the API records when a fan orders; the workflow fills in the rest. */
export interface NewOrder {
  id: string;
  workflowId: string;
  fanId: string;
  talentId: string;
  recipientName: string;
  occasion: string;
  instructions: string;
  businessUse: boolean;
  priceAmount: number;
  currency: string;
  deadlineAt: string;
}

/** Writes a new order as `authorizing` (its workflow authorises the payment next). */
export async function insertOrder(db: Db, order: NewOrder): Promise<NewOrder> {
  await db('shoutout_orders').insert({
    id: order.id,
    workflow_id: order.workflowId,
    fan_id: order.fanId,
    talent_id: order.talentId,
    status: 'authorizing',
    recipient_name: order.recipientName,
    occasion: order.occasion,
    instructions: order.instructions,
    business_use: order.businessUse,
    price_amount: order.priceAmount,
    currency: order.currency,
    deadline_at: order.deadlineAt,
  });
  return order;
}

/** Removes an order whose workflow never started (nothing else refers to it yet). */
export async function deleteOrder(db: Db, id: string): Promise<void> {
  await db('shoutout_orders').where({ id }).delete();
}

/** The orders of one account as fan or as talent, newest first, optionally of one status. */
export async function listOrdersOf(
  db: Db,
  filter: { accountId: string; as: 'fan' | 'talent'; status?: ShoutoutStatus; limit: number; cursor?: string },
): Promise<{ rows: OrderRow[]; nextCursor: string | null }> {
  const query = db<OrderRow>('shoutout_orders').where(filter.as === 'fan' ? { fan_id: filter.accountId } : { talent_id: filter.accountId });
  if (filter.status) query.where({ status: filter.status });
  return newestFirstPage<OrderRow>(query, { limit: filter.limit, cursor: filter.cursor });
}

/** What the workflow writes at a step: the order's new status and fields, and the timeline event. Idempotent by the event id. */
export interface OrderChange {
  orderId: string;
  workflowId: string;
  status?: ShoutoutStatus;
  event?: TimelineEvent;
  patch?: {
    paymentId?: string;
    failureReason?: string | null;
    deadlineAt?: string;
    acceptedAt?: string;
    deliveredAt?: string;
    closedAt?: string;
    videoKey?: string;
    posterKey?: string;
    videoBytes?: number;
    platformFee?: number;
    talentShare?: number;
  };
}

/** Writes one step: the timeline event and the row's new fields together. */
export async function applyOrderChange(db: Db, change: OrderChange): Promise<{ appended: boolean }> {
  return db.transaction(async (trx) => {
    const appended = change.event ? await appendTimelineEvent(trx, change.orderId, change.workflowId, change.event) : false;
    const p = change.patch ?? {};
    const update: Record<string, unknown> = { updated_at: trx.fn.now() };
    if (change.status) update.status = change.status;
    if (p.paymentId !== undefined) update.payment_id = p.paymentId;
    if (p.failureReason !== undefined) update.failure_reason = p.failureReason;
    if (p.deadlineAt !== undefined) update.deadline_at = p.deadlineAt;
    if (p.acceptedAt !== undefined) update.accepted_at = p.acceptedAt;
    if (p.deliveredAt !== undefined) update.delivered_at = p.deliveredAt;
    if (p.closedAt !== undefined) update.closed_at = p.closedAt;
    if (p.videoKey !== undefined) update.video_key = p.videoKey;
    if (p.posterKey !== undefined) update.poster_key = p.posterKey;
    if (p.videoBytes !== undefined) update.video_bytes = p.videoBytes;
    if (p.platformFee !== undefined) update.platform_fee_amount = p.platformFee;
    if (p.talentShare !== undefined) update.talent_share_amount = p.talentShare;
    // A status never moves back once refunds started (the refund workflow owns it from there).
    const query = trx('shoutout_orders').where({ id: change.orderId });
    if (change.status) query.whereNotIn('status', ['refunded']);
    await query.update(update);
    return { appended };
  });
}

/** The order's refunded total after a refund completed; a full refund turns it `refunded`. */
export async function setRefundedTotal(trx: Knex.Transaction, order: Pick<OrderRow, 'id' | 'price_amount' | 'status'>, refundedTotal: number): Promise<ShoutoutStatus> {
  const status: ShoutoutStatus = refundedTotal >= Number(order.price_amount) ? 'refunded' : order.status;
  await trx('shoutout_orders').where({ id: order.id }).update({ refunded_amount: refundedTotal, status, updated_at: trx.fn.now() });
  return status;
}
