import type { Knex } from 'knex';
import type { Db } from '../../platform/db';
import { InvalidCursorError } from '../pagination';

/**
 * What the engagement capability needs of `channel_subscriptions` and `channels`: the subscriber
 * counter recounted by the flush, subscriber lists, the opted-in subscribers of the upload
 * notification, and turning notifications off from a mail's unsubscribe link.
 */

/** Sets each channel's subscriber_count to its live subscriptions (the flush: exact whatever raced). */
export async function recountSubscribers(db: Db | Knex.Transaction, channelIds: string[]): Promise<number> {
  if (!channelIds.length) return 0;
  return db('channels')
    .whereIn('id', channelIds)
    .update({ subscriber_count: db.raw('(select count(*) from channel_subscriptions s where s.channel_id = channels.id)') });
}

export interface SubscriptionListItem {
  channelId: string;
  accountId: string;
  notify: boolean;
  subscribedAt: string;
}

function cursorOf(createdAt: Date, key: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), key])).toString('base64url');
}

function after(cursor: string | undefined): { at: string; key: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [at, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof at === 'string' && typeof key === 'string' && !Number.isNaN(Date.parse(at)) && /^[\x20-\x7e]{1,200}$/.test(key)) return { at, key };
  } catch {
    // below
  }
  throw new InvalidCursorError();
}

async function page(db: Db, where: Record<string, string>, keyColumn: 'account_id' | 'channel_id', limit: number, cursor?: string): Promise<{ items: SubscriptionListItem[]; nextCursor: string | null }> {
  const from = after(cursor);
  const q = db('channel_subscriptions as s').join('channels as c', 'c.id', 's.channel_id').whereNull('c.deleted_at').where(where);
  if (from) q.whereRaw(`(s.created_at, s.${keyColumn}) < (?, ?)`, [from.at, from.key]);
  const rows: { channel_id: string; account_id: string; notify: boolean; created_at: Date }[] = await q
    .select('s.channel_id', 's.account_id', 's.notify', 's.created_at')
    .orderBy([{ column: 's.created_at', order: 'desc' }, { column: `s.${keyColumn}`, order: 'desc' }])
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => ({ channelId: r.channel_id, accountId: r.account_id, notify: r.notify, subscribedAt: r.created_at.toISOString() })),
    nextCursor: rows.length > limit && last ? cursorOf(last.created_at, last[keyColumn]) : null,
  };
}

/** The channel's subscribers, newest first. */
export function listChannelSubscribers(db: Db, channelId: string, limit: number, cursor?: string) {
  return page(db, { 's.channel_id': channelId }, 'account_id', limit, cursor);
}

/** The account's subscriptions (to live channels), newest first. */
export function listAccountSubscriptions(db: Db, accountId: string, limit: number, cursor?: string) {
  return page(db, { 's.account_id': accountId }, 'channel_id', limit, cursor);
}

/** One page of the subscribers who opted in to upload notifications, by account id after `afterAccountId`. */
export async function notifySubscribersPage(db: Db, channelId: string, afterAccountId: string | null, limit: number): Promise<string[]> {
  const q = db('channel_subscriptions').where({ channel_id: channelId, notify: true });
  if (afterAccountId) q.where('account_id', '>', afterAccountId);
  return q.orderBy('account_id').limit(limit).pluck('account_id');
}

/** Turns the subscriber's notifications off (the unsubscribe link); false when not subscribed. */
export async function turnNotificationsOff(db: Db, channelId: string, accountId: string): Promise<boolean> {
  return (await db('channel_subscriptions').where({ channel_id: channelId, account_id: accountId }).update({ notify: false })) > 0;
}

/** The channel's name and handle for mails. */
export async function channelLabel(db: Db, channelId: string): Promise<{ name: string; handle: string } | undefined> {
  return db('channels').where({ id: channelId }).first('name', 'handle');
}
