import type { Knex } from 'knex';

/**
 * The streaming community's content side: channels, their admins and subscribers, and contents
 * (videos and music tracks). A deleted channel or content is marked `deleted_at` at once (gone
 * from every read) and then removed by its workflow in batches.
 */
export async function up(knex: Knex): Promise<void> {
  const ms = knex.raw(`date_trunc('milliseconds', now())`);
  await knex.schema.createTable('channels', (t) => {
    t.text('id').primary();
    t.text('handle').notNullable();
    t.text('name').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('owner_id').notNullable().references('accounts.id');
    t.integer('subscriber_count').notNullable().defaultTo(0);
    t.integer('content_count').notNullable().defaultTo(0);
    // Millisecond precision: keyset cursors carry ISO timestamps (ms), and must compare equal.
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(ms);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true });
    t.index(['owner_id']);
    t.index(['created_at', 'id']);
  });
  // Handles are unique case-insensitively among live channels; a deleted channel frees its handle.
  await knex.raw(`create unique index channels_handle_live on channels (lower(handle)) where deleted_at is null`);
  await knex.raw(`create index channels_name_search on channels (lower(name) text_pattern_ops) where deleted_at is null`);

  await knex.schema.createTable('channel_admins', (t) => {
    t.text('channel_id').notNullable().references('channels.id').onDelete('CASCADE');
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.specificType('permissions', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(ms);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['channel_id', 'account_id']);
    t.index(['account_id']);
  });

  await knex.schema.createTable('channel_subscriptions', (t) => {
    t.text('channel_id').notNullable().references('channels.id').onDelete('CASCADE');
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.boolean('notify').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(ms);
    t.primary(['channel_id', 'account_id']);
    t.index(['account_id', 'created_at']);
  });

  await knex.schema.createTable('contents', (t) => {
    t.text('id').primary();
    t.text('channel_id').notNullable().references('channels.id').onDelete('CASCADE');
    t.text('kind').notNullable();
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('author_id').notNullable().references('accounts.id');
    t.text('status').notNullable().defaultTo('draft');
    t.text('visibility').notNullable().defaultTo('public');
    t.text('audience').notNullable().defaultTo('everyone');
    t.double('duration_seconds');
    t.text('artist');
    t.text('album');
    t.text('failure_reason');
    // Storage keys of the published media (HLS master and renditions, download, poster, waveform) and their sizes.
    t.jsonb('media');
    t.integer('upload_count').notNullable().defaultTo(0);
    t.boolean('comments_enabled').notNullable().defaultTo(true);
    t.integer('upvotes').notNullable().defaultTo(0);
    t.integer('downvotes').notNullable().defaultTo(0);
    t.bigInteger('view_count').notNullable().defaultTo(0);
    t.double('hot_score').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(ms);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('published_at', { useTz: true });
    t.timestamp('deleted_at', { useTz: true });
    t.index(['channel_id', 'created_at', 'id']);
    t.index(['status', 'published_at']);
  });
  await knex.raw(`alter table contents add constraint contents_enums check (
    kind in ('video', 'track') and status in ('draft', 'processing', 'published', 'failed')
    and visibility in ('public', 'unlisted', 'private') and audience in ('everyone', 'premium'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('contents');
  await knex.schema.dropTableIfExists('channel_subscriptions');
  await knex.schema.dropTableIfExists('channel_admins');
  await knex.schema.dropTableIfExists('channels');
}
