import type { Knex } from 'knex';

/**
 * The community's engagement: votes, views (with their dedup marks), watch history, comments,
 * reports and moderation actions, the PostgreSQL adapter's append-only buffer, the flush's batch
 * claims, and the upload notification deliveries. Counters live on `contents` (upvotes, downvotes,
 * view_count, hot_score) and `channels` (subscriber_count); the flush moves them.
 */
export async function up(knex: Knex): Promise<void> {
  const ms = knex.raw(`date_trunc('milliseconds', now())`);

  // The PostgreSQL EngagementBuffer: append-only, drained in id order by the flush (providers/engagement).
  await knex.schema.createTable('engagement_buffer_events', (t) => {
    t.bigIncrements('id').primary();
    t.text('kind').notNullable();
    t.text('content_id');
    t.text('channel_id');
    t.text('account_id');
    t.text('viewer_key');
    t.smallint('value');
    t.timestamp('at', { useTz: true }).notNullable();
  });
  // myVote before the flush: the newest pending vote of one account on one content.
  await knex.raw(`create index engagement_buffer_events_votes on engagement_buffer_events (content_id, account_id, id) where kind = 'vote'`);

  // One row per batch the flush claimed: `id` is the buffer position of its first event, so a retried flush finds it.
  await knex.schema.createTable('engagement_flush_batches', (t) => {
    t.text('id').primary();
    t.text('adapter').notNullable();
    t.text('last_position').notNullable();
    t.integer('events').notNullable();
    // The exact buffer positions of the batch: a retry re-reads and acknowledges these, nothing else.
    t.jsonb('positions').notNullable();
    t.timestamp('claimed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('applied_at', { useTz: true });
    t.jsonb('figures');
  });

  await knex.schema.createTable('content_votes', (t) => {
    t.text('content_id').notNullable().references('contents.id').onDelete('CASCADE');
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.smallint('value').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.primary(['content_id', 'account_id']);
  });
  await knex.raw(`alter table content_votes add constraint content_votes_value check (value in (-1, 1))`);

  // The last counted view of one viewer (account id or salted hash) on one content: dedups inside VIEW_DEDUP_WINDOW.
  await knex.schema.createTable('content_view_marks', (t) => {
    t.text('content_id').notNullable().references('contents.id').onDelete('CASCADE');
    t.text('viewer_key').notNullable();
    t.timestamp('counted_at', { useTz: true }).notNullable();
    t.primary(['content_id', 'viewer_key']);
  });

  await knex.schema.createTable('watch_history', (t) => {
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('content_id').notNullable().references('contents.id').onDelete('CASCADE');
    t.timestamp('watched_at', { useTz: true }).notNullable();
    t.primary(['account_id', 'content_id']);
    t.index(['account_id', 'watched_at']);
  });

  await knex.schema.createTable('comments', (t) => {
    t.text('id').primary();
    t.text('content_id').notNullable().references('contents.id').onDelete('CASCADE');
    // Null for a top-level comment; a reply (to a reply, too) belongs to its top-level comment's thread.
    t.text('thread_id').references('comments.id').onDelete('CASCADE');
    t.text('parent_id');
    t.text('reply_to_account_id');
    t.text('author_id').notNullable().references('accounts.id');
    t.text('body').notNullable();
    t.integer('reply_count').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(ms);
    t.timestamp('edited_at', { useTz: true });
    t.timestamp('deleted_at', { useTz: true });
    t.index(['content_id', 'created_at', 'id']);
    t.index(['thread_id', 'created_at', 'id']);
  });

  await knex.schema.createTable('engagement_reports', (t) => {
    t.text('id').primary();
    t.text('target_kind').notNullable();
    t.text('target_id').notNullable();
    t.text('reporter_id').notNullable().references('accounts.id');
    t.text('reason').notNullable();
    t.text('detail');
    t.text('status').notNullable().defaultTo('open');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(ms);
    t.timestamp('resolved_at', { useTz: true });
    t.index(['status', 'created_at', 'id']);
  });
  await knex.raw(`alter table engagement_reports add constraint engagement_reports_enums check (
    target_kind in ('content', 'comment') and reason in ('spam', 'abuse', 'copyright', 'other') and status in ('open', 'resolved'))`);

  // Every moderation decision, kept (who, what, why).
  await knex.schema.createTable('moderation_actions', (t) => {
    t.text('id').primary();
    t.text('report_id').notNullable().references('engagement_reports.id');
    t.text('action').notNullable();
    t.text('note').notNullable();
    t.text('actor_id').notNullable().references('accounts.id');
    t.text('target_kind').notNullable();
    t.text('target_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(ms);
    t.unique(['report_id']);
  });

  // One row per subscriber mailed about one published content: the fan-out skips who is here.
  await knex.schema.createTable('notification_deliveries', (t) => {
    t.text('content_id').notNullable();
    t.text('account_id').notNullable();
    t.text('message_id').notNullable();
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['content_id', 'account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['notification_deliveries', 'moderation_actions', 'engagement_reports', 'comments', 'watch_history', 'content_view_marks', 'content_votes', 'engagement_flush_batches', 'engagement_buffer_events']) {
    await knex.schema.dropTableIfExists(table);
  }
}
