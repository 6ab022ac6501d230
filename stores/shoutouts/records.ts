import type { Money } from '../../domain/money';
import type { ShoutoutStatus, TimelineEvent } from '../../domain/shoutouts';
import type { Db } from '../../platform/db';

/** The shoutout tables, read and written by the API, the activities and the payout scripts. */
export interface TalentProfile {
  id: string;
  displayName: string;
  bio: string;
  category: string;
  price: Money;
  turnaroundDays: number;
  businessPrice: Money | null;
  acceptingOrders: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TalentRow {
  account_id: string;
  display_name: string;
  bio: string;
  category: string;
  price_amount: number;
  currency: string;
  turnaround_days: number;
  business_price_amount: number | null;
  accepting_orders: boolean;
  created_at: Date;
  updated_at: Date;
}

export function toTalentProfile(row: TalentRow): TalentProfile {
  return {
    id: row.account_id,
    displayName: row.display_name,
    bio: row.bio,
    category: row.category,
    price: { amount: Number(row.price_amount), currency: row.currency },
    turnaroundDays: row.turnaround_days,
    businessPrice: row.business_price_amount === null ? null : { amount: Number(row.business_price_amount), currency: row.currency },
    acceptingOrders: row.accepting_orders,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getTalent(db: Db, id: string): Promise<TalentProfile | null> {
  const row = await db<TalentRow>('shoutout_talents').where({ account_id: id }).first();
  return row ? toTalentProfile(row) : null;
}

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

export async function listTimeline(db: Db, orderId: string): Promise<TimelineEvent[]> {
  const rows: { seq: number; type: string; at: Date; data: Record<string, unknown> }[] = await db('shoutout_events').where({ order_id: orderId }).orderBy('seq');
  return rows.map((r) => ({ seq: r.seq, type: r.type, at: r.at.toISOString(), ...(r.data && Object.keys(r.data).length ? { data: r.data } : {}) }));
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

export async function applyOrderChange(db: Db, change: OrderChange): Promise<void> {
  await db.transaction(async (trx) => {
    if (change.event) {
      await trx('shoutout_events')
        .insert({ id: `${change.workflowId}/${change.event.seq}`, order_id: change.orderId, seq: change.event.seq, type: change.event.type, at: change.event.at, data: JSON.stringify(change.event.data ?? {}) })
        .onConflict('id')
        .ignore();
    }
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
  });
}
