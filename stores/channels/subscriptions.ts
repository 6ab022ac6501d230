import type { Db } from '../../platform/db';
import { removeChannelAdmin } from './admins';

/**
 * `channel_subscriptions` and the channel's `subscriber_count`. Everything that subscribes,
 * unsubscribes or moves the counter goes through these few functions: the engagement issue will
 * route the counter through its buffer here, without touching the callers.
 */
export interface ChannelSubscription {
  channelId: string;
  accountId: string;
  notify: boolean;
  subscribedAt: string;
}

interface SubscriptionRow {
  channel_id: string;
  account_id: string;
  notify: boolean;
  created_at: Date;
}

const toSubscription = (row: SubscriptionRow): ChannelSubscription => ({
  channelId: row.channel_id,
  accountId: row.account_id,
  notify: row.notify,
  subscribedAt: row.created_at.toISOString(),
});

/** Moves the channel's subscriber counter (the one place that writes it). */
async function adjustSubscriberCount(db: Db, channelId: string, delta: number): Promise<void> {
  await db('channels').where({ id: channelId }).update({ subscriber_count: db.raw('greatest(subscriber_count + ?, 0)', [delta]) });
}

/**
 * Subscribes (idempotent): a first subscription counts once; subscribing again only sets `notify`.
 * Answers the subscription and whether it is new.
 */
export async function subscribe(db: Db, channelId: string, accountId: string, notify: boolean): Promise<{ subscription: ChannelSubscription; created: boolean }> {
  return db.transaction(async (trx) => {
    const inserted: SubscriptionRow[] = await trx('channel_subscriptions').insert({ channel_id: channelId, account_id: accountId, notify }).onConflict(['channel_id', 'account_id']).ignore().returning('*');
    if (inserted[0]) {
      await adjustSubscriberCount(trx, channelId, 1);
      return { subscription: toSubscription(inserted[0]), created: true };
    }
    const [row] = await trx('channel_subscriptions').where({ channel_id: channelId, account_id: accountId }).update({ notify }).returning('*');
    return { subscription: toSubscription(row as SubscriptionRow), created: false };
  });
}

/** Unsubscribes (idempotent). An admin who unsubscribes loses the admin role in the same transaction. */
export async function unsubscribe(db: Db, channelId: string, accountId: string): Promise<boolean> {
  return db.transaction(async (trx) => {
    const n = await trx('channel_subscriptions').where({ channel_id: channelId, account_id: accountId }).delete();
    if (n === 0) return false;
    await adjustSubscriberCount(trx, channelId, -1);
    await removeChannelAdmin(trx, channelId, accountId);
    return true;
  });
}

export async function isSubscribed(db: Db, channelId: string, accountId: string): Promise<boolean> {
  return !!(await db('channel_subscriptions').where({ channel_id: channelId, account_id: accountId }).first('account_id'));
}

export async function findSubscription(db: Db, channelId: string, accountId: string): Promise<ChannelSubscription | undefined> {
  const row: SubscriptionRow | undefined = await db('channel_subscriptions').where({ channel_id: channelId, account_id: accountId }).first();
  return row ? toSubscription(row) : undefined;
}

/** The channel's subscriber count as readers see it. */
export async function subscriberCount(db: Db, channelId: string): Promise<number> {
  const row = await db('channels').where({ id: channelId }).first('subscriber_count');
  return Number(row?.subscriber_count ?? 0);
}

/**
 * Deletion workflow: removes up to `batchSize` subscriptions of a channel being deleted (its counter
 * goes with the channel row, so it is not moved). Answers how many went.
 */
export async function removeChannelSubscriptionsBatch(db: Db, channelId: string, batchSize: number): Promise<number> {
  return db('channel_subscriptions')
    .whereIn(['channel_id', 'account_id'], db('channel_subscriptions').select('channel_id', 'account_id').where({ channel_id: channelId }).limit(batchSize))
    .delete();
}
