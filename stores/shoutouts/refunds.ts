import type { Knex } from 'knex';
import type { ShoutoutStatus } from '../../domain/shoutouts';
import type { Db } from '../../platform/db';
import { setRefundedTotal, type OrderRow } from './orders';

/**
 * `shoutout_refunds`: admin refunds of delivered orders, one row per refund. A row is `pending`
 * from the request until its workflow refunds at the provider (`succeeded`) or cannot (`failed`).
 * Pending and succeeded rows together bound what can still be refunded.
 */
export interface RefundRow {
  id: string;
  order_id: string;
  talent_id: string;
  amount: number;
  currency: string;
  talent_portion: number;
  fee_portion: number;
  reason: string;
  status: 'pending' | 'succeeded' | 'failed';
  provider_refund_id: string | null;
  failure_reason: string | null;
  requested_by: string;
  created_at: Date;
  completed_at: Date | null;
}

export async function getRefund(db: Db, id: string): Promise<RefundRow | undefined> {
  return db<RefundRow>('shoutout_refunds').where({ id }).first();
}

/** Minor units refunded or being refunded on the order (succeeded + pending), read in the caller's transaction. */
export async function sumHeldRefunds(trx: Knex.Transaction, orderId: string): Promise<number> {
  const [{ total }] = await trx('shoutout_refunds').where({ order_id: orderId }).whereIn('status', ['pending', 'succeeded']).sum({ total: 'amount' });
  return Number(total ?? 0);
}

export interface NewRefund {
  id: string;
  orderId: string;
  talentId: string;
  amount: number;
  currency: string;
  talentPortion: number;
  feePortion: number;
  reason: string;
  requestedBy: string;
}

/** Records a pending refund, in the transaction that holds the order's lock. */
export async function insertRefund(trx: Knex.Transaction, refund: NewRefund): Promise<void> {
  await trx('shoutout_refunds').insert({
    id: refund.id,
    order_id: refund.orderId,
    talent_id: refund.talentId,
    amount: refund.amount,
    currency: refund.currency,
    talent_portion: refund.talentPortion,
    fee_portion: refund.feePortion,
    reason: refund.reason,
    requested_by: refund.requestedBy,
  });
}

/** A refund that will not happen: it stops holding back the refundable rest. Only a pending one changes. */
export async function markRefundFailed(db: Db, id: string, reason: string): Promise<void> {
  await db('shoutout_refunds').where({ id, status: 'pending' }).update({ status: 'failed', failure_reason: reason, completed_at: db.fn.now() });
}

/**
 * The provider refunded: the refund succeeds and the order's refunded total (and status, when
 * fully refunded) follow, in one transaction. Repeating it after success changes nothing.
 */
export async function completeRefund(db: Db, refund: Pick<RefundRow, 'id'>, order: Pick<OrderRow, 'id' | 'price_amount' | 'status'>, providerRefundId: string | null): Promise<{ refundedTotal: number; status: ShoutoutStatus }> {
  return db.transaction(async (trx) => {
    await trx('shoutout_refunds').where({ id: refund.id, status: 'pending' }).update({ status: 'succeeded', provider_refund_id: providerRefundId, completed_at: trx.fn.now() });
    const [{ total }] = await trx('shoutout_refunds').where({ order_id: order.id, status: 'succeeded' }).sum({ total: 'amount' });
    const refundedTotal = Number(total ?? 0);
    const status = await setRefundedTotal(trx, order, refundedTotal);
    return { refundedTotal, status };
  });
}

/** How many refunds of the order were requested up to this one (numbers its timeline event). */
export async function countRefundsUpTo(db: Db, orderId: string, createdAt: Date): Promise<number> {
  const [{ n }] = await db('shoutout_refunds').where({ order_id: orderId }).andWhere('created_at', '<=', createdAt).count({ n: '*' });
  return Number(n);
}
