import type { Knex } from 'knex';
import type { BufferedEvent, EngagementEvent, VoteValue } from '../../domain/engagement/events';
import type { FlushBatchFigures } from '../../domain/engagement/flush';
import { voteDelta, lastVotes } from '../../domain/engagement/votes';
import { countViews } from '../../domain/engagement/views';
import type { Db } from '../../platform/db';
import { recountSubscribers } from '../channels/engagement';
import { addContentCounters, existingContentIds, recomputeHotScores } from '../contents/engagement';

/**
 * The flush's side in PostgreSQL. A batch is claimed first (`engagement_flush_batches`, keyed by the
 * buffer position of its first event, holding its exact positions), then applied in ONE transaction
 * that marks it applied together with every counter it moves: a retried activity finds it applied
 * and only acknowledges it, so a crash anywhere neither loses nor counts twice.
 */
export interface BatchClaim {
  id: string;
  positions: string[];
  appliedAt: string | null;
}

/** Claims the batch starting at the buffer head; a claim left by a crashed attempt is answered as it was made. */
export async function claimBatch(db: Db, adapter: string, head: BufferedEvent[]): Promise<BatchClaim> {
  const id = `${adapter}:${head[0].position}`;
  const positions = head.map((e) => e.position);
  await db('engagement_flush_batches')
    .insert({ id, adapter, last_position: positions[positions.length - 1], events: positions.length, positions: JSON.stringify(positions) })
    .onConflict('id')
    .ignore();
  const row = await db('engagement_flush_batches').where({ id }).first('id', 'positions', 'applied_at');
  return { id: row.id, positions: row.positions as string[], appliedAt: row.applied_at ? (row.applied_at as Date).toISOString() : null };
}

type Vote = Extract<EngagementEvent, { kind: 'vote' }>;
type View = Extract<EngagementEvent, { kind: 'view' }>;

const pairKey = (a: string, b: string) => `${a}\u0000${b}`;

async function applyVotes(trx: Knex.Transaction, votes: Vote[], live: Set<string>, deltas: Map<string, { up: number; down: number; views: number }>): Promise<void> {
  const folded = [...lastVotes(votes.filter((v) => live.has(v.contentId))).values()];
  if (!folded.length) return;
  const stored: { content_id: string; account_id: string; value: number; updated_at: Date }[] = await trx.raw(
    `select v.content_id, v.account_id, v.value, v.updated_at from content_votes v
       join unnest(?::text[], ?::text[]) as p(content_id, account_id) using (content_id, account_id) for update of v`,
    [folded.map((v) => v.contentId), folded.map((v) => v.accountId)],
  ).then((r: { rows: { content_id: string; account_id: string; value: number; updated_at: Date }[] }) => r.rows);
  const before = new Map(stored.map((r) => [pairKey(r.content_id, r.account_id), r]));
  const upserts: { content_id: string; account_id: string; value: number; updated_at: Date }[] = [];
  const removals: { content_id: string; account_id: string }[] = [];
  for (const vote of folded) {
    const previous = before.get(pairKey(vote.contentId, vote.accountId));
    const at = new Date(vote.at);
    // A vote stamped before the stored one arrived late (a slow request): the stored one is newer.
    if (previous && previous.updated_at.getTime() > at.getTime()) continue;
    const delta = voteDelta((previous?.value ?? 0) as VoteValue, vote.value);
    const d = deltas.get(vote.contentId) ?? { up: 0, down: 0, views: 0 };
    d.up += delta.up;
    d.down += delta.down;
    deltas.set(vote.contentId, d);
    if (vote.value === 0) removals.push({ content_id: vote.contentId, account_id: vote.accountId });
    else upserts.push({ content_id: vote.contentId, account_id: vote.accountId, value: vote.value, updated_at: at });
  }
  for (let i = 0; i < upserts.length; i += 2000) {
    await trx('content_votes').insert(upserts.slice(i, i + 2000)).onConflict(['content_id', 'account_id']).merge(['value', 'updated_at']);
  }
  if (removals.length) {
    await trx.raw(`delete from content_votes v using unnest(?::text[], ?::text[]) as p(content_id, account_id) where v.content_id = p.content_id and v.account_id = p.account_id`, [
      removals.map((r) => r.content_id),
      removals.map((r) => r.account_id),
    ]);
  }
}

async function applyViews(trx: Knex.Transaction, views: View[], live: Set<string>, windowMs: number, deltas: Map<string, { up: number; down: number; views: number }>): Promise<number> {
  const kept = views.filter((v) => live.has(v.contentId));
  if (!kept.length) return 0;
  const pairs = [...new Map(kept.map((v) => [pairKey(v.contentId, v.viewerKey), v])).values()];
  const marks: { rows: { content_id: string; viewer_key: string; counted_at: Date }[] } = await trx.raw(
    `select m.content_id, m.viewer_key, m.counted_at from content_view_marks m
       join unnest(?::text[], ?::text[]) as p(content_id, viewer_key) using (content_id, viewer_key)`,
    [pairs.map((v) => v.contentId), pairs.map((v) => v.viewerKey)],
  );
  const known = new Map(marks.rows.map((m) => [pairKey(m.content_id, m.viewer_key), m.counted_at.getTime()]));
  const before = new Map(known);
  const counted = countViews(kept, known, windowMs);
  let total = 0;
  for (const [contentId, n] of counted) {
    const d = deltas.get(contentId) ?? { up: 0, down: 0, views: 0 };
    d.views += n;
    total += n;
    deltas.set(contentId, d);
  }
  const changed = [...known].filter(([key, at]) => before.get(key) !== at).map(([key, at]) => {
    const [content_id, viewer_key] = key.split('\u0000');
    return { content_id, viewer_key, counted_at: new Date(at) };
  });
  for (let i = 0; i < changed.length; i += 2000) {
    await trx('content_view_marks').insert(changed.slice(i, i + 2000)).onConflict(['content_id', 'viewer_key']).merge(['counted_at']);
  }
  // Watch history: what a signed-in viewer watched, the newest time per content.
  const history = new Map<string, { account_id: string; content_id: string; watched_at: Date }>();
  for (const v of kept) {
    if (!v.accountId) continue;
    const key = pairKey(v.accountId, v.contentId);
    const at = new Date(v.at);
    const seen = history.get(key);
    if (!seen || seen.watched_at < at) history.set(key, { account_id: v.accountId, content_id: v.contentId, watched_at: at });
  }
  const rows = [...history.values()];
  for (let i = 0; i < rows.length; i += 2000) {
    await trx('watch_history')
      .insert(rows.slice(i, i + 2000))
      .onConflict(['account_id', 'content_id'])
      .merge({ watched_at: trx.raw('greatest(watch_history.watched_at, excluded.watched_at)') });
  }
  return total;
}

/**
 * Applies a claimed batch in one transaction (idempotent: a batch already applied answers
 * `applied: false` and changes nothing). Events of contents removed meanwhile are skipped.
 */
export async function applyBatch(db: Db, claim: BatchClaim, events: BufferedEvent[], options: { viewDedupWindowMs: number }): Promise<FlushBatchFigures> {
  const votes: Vote[] = [];
  const views: View[] = [];
  const channels = new Set<string>();
  for (const { event } of events) {
    if (event.kind === 'vote') votes.push(event);
    else if (event.kind === 'view') views.push(event);
    else channels.add(event.channelId);
  }
  const figures: FlushBatchFigures = {
    batchId: claim.id, events: events.length, applied: false, votes: votes.length, views: views.length, viewsCounted: 0,
    subscriptions: events.length - votes.length - views.length, contentsTouched: 0, channelsTouched: channels.size,
  };
  return db.transaction(async (trx) => {
    const marked = await trx('engagement_flush_batches').where({ id: claim.id }).whereNull('applied_at').update({ applied_at: trx.fn.now() });
    if (marked === 0) return figures;
    const live = await existingContentIds(trx, [...new Set([...votes, ...views].map((e) => e.contentId))]);
    const deltas = new Map<string, { up: number; down: number; views: number }>();
    await applyVotes(trx, votes, live, deltas);
    figures.viewsCounted = await applyViews(trx, views, live, options.viewDedupWindowMs, deltas);
    await addContentCounters(trx, [...deltas].map(([id, d]) => ({ id, ...d })));
    figures.contentsTouched = await recomputeHotScores(trx, [...deltas.keys()]);
    await recountSubscribers(trx, [...channels]);
    figures.applied = true;
    await trx('engagement_flush_batches').where({ id: claim.id }).update({ figures: JSON.stringify(figures) });
    return figures;
  });
}

/** Old batch claims (kept a while for operators) go after a day. */
export async function pruneFlushBatches(db: Db, olderThanMs: number): Promise<number> {
  return db('engagement_flush_batches').whereNotNull('applied_at').where('applied_at', '<', db.raw(`now() - (? * interval '1 millisecond')`, [olderThanMs])).delete();
}
