import type { VoteValue } from '../../domain/engagement/events';
import type { Db } from '../../platform/db';

/** The account's applied vote on each content (what the flush wrote); absent: none. */
export async function storedVotes(db: Db, accountId: string, contentIds: string[]): Promise<Map<string, VoteValue>> {
  if (!contentIds.length) return new Map();
  const rows = await db('content_votes').where({ account_id: accountId }).whereIn('content_id', contentIds).select('content_id', 'value');
  return new Map(rows.map((r) => [r.content_id as string, Number(r.value) as VoteValue]));
}
