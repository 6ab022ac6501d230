import type { Db } from '../../platform/db';

/** `notification_deliveries`: who was mailed about which published content (the fan-out skips them). */
export async function deliveredAmong(db: Db, contentId: string, accountIds: string[]): Promise<Set<string>> {
  if (!accountIds.length) return new Set();
  return new Set(await db('notification_deliveries').where({ content_id: contentId }).whereIn('account_id', accountIds).pluck('account_id'));
}

export async function recordDelivery(db: Db, contentId: string, accountId: string, messageId: string): Promise<void> {
  await db('notification_deliveries').insert({ content_id: contentId, account_id: accountId, message_id: messageId }).onConflict(['content_id', 'account_id']).ignore();
}
