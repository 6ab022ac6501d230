import type { Db } from '../../platform/db';

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

/**
 * Subscribes (idempotent): a first subscription counts once; subscribing again only sets `notify`.
 * Answers the subscription and whether it is new; undefined when the channel does not exist or is
 * being deleted. One statement (the channel's check, the insert, the counter and a repeat's
 * `notify`, atomic as a transaction was): a click costs one round trip, and the channel's counter
 * row is locked only for that statement.
 */
export async function subscribe(db: Db, channelId: string, accountId: string, notify: boolean): Promise<{ subscription: ChannelSubscription; created: boolean } | undefined> {
  for (let attempt = 0; ; attempt++) {
    const { rows }: { rows: (Partial<SubscriptionRow> & { created: boolean; live: boolean })[] } = await db.raw(
      `with live as (
         select id from channels where id = ? and deleted_at is null
       ), ins as (
         insert into channel_subscriptions (channel_id, account_id, notify) select id, ?::text, ?::boolean from live
         on conflict (channel_id, account_id) do nothing returning *
       ), counted as (
         update channels set subscriber_count = greatest(subscriber_count + 1, 0) where id in (select channel_id from ins)
       ), repeated as (
         update channel_subscriptions set notify = ?::boolean
          where channel_id in (select id from live) and account_id = ? and not exists (select 1 from ins) returning *
       )
       select channel_id, account_id, notify, created_at, true as created, true as live from ins
       union all select channel_id, account_id, notify, created_at, false, true from repeated
       union all select null, null, null, null, false, exists (select 1 from live)
        where not exists (select 1 from ins) and not exists (select 1 from repeated)`,
      [channelId, accountId, notify, notify, accountId],
    );
    const [row] = rows;
    if (row.channel_id) return { subscription: toSubscription(row as SubscriptionRow), created: row.created };
    if (!row.live) return undefined;
    // Neither inserted nor updated: a concurrent request's row was committed after this statement's
    // snapshot (or removed under it); the next statement's fresh snapshot sees how it ended.
    if (attempt >= 5) throw new Error(`subscription ${channelId}/${accountId} kept changing under the statement`);
  }
}

/**
 * Unsubscribes (idempotent): answers whether a subscription went, or undefined when the channel
 * does not exist or is being deleted. An admin who unsubscribes loses the admin role, in the same
 * statement as the removal and the counter.
 */
export async function unsubscribe(db: Db, channelId: string, accountId: string): Promise<boolean | undefined> {
  const { rows }: { rows: { n: number; live: boolean }[] } = await db.raw(
    `with live as (
       select id from channels where id = ? and deleted_at is null
     ), gone as (
       delete from channel_subscriptions where channel_id in (select id from live) and account_id = ? returning channel_id
     ), counted as (
       update channels set subscriber_count = greatest(subscriber_count - 1, 0) where id in (select channel_id from gone)
     ), admin as (
       delete from channel_admins where channel_id in (select channel_id from gone) and account_id = ?
     )
     select (select count(*) from gone)::int as n, exists (select 1 from live) as live`,
    [channelId, accountId, accountId],
  );
  return rows[0].live ? rows[0].n > 0 : undefined;
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
