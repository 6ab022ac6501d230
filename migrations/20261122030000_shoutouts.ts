import type { Knex } from 'knex';

/**
 * Shoutouts: talent profiles, orders (the business row of each `shoutout-<orderId>` workflow)
 * with their timeline, refunds after delivery, and monthly talent payouts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('shoutout_talents', (t) => {
    t.text('account_id').primary().references('accounts.id').onDelete('CASCADE');
    t.text('display_name').notNullable();
    t.text('bio').notNullable().defaultTo('');
    t.text('category').notNullable();
    t.bigInteger('price_amount').notNullable();
    t.text('currency').notNullable();
    t.integer('turnaround_days').notNullable().defaultTo(7);
    t.bigInteger('business_price_amount');
    t.boolean('accepting_orders').notNullable().defaultTo(true);
    // Millisecond precision: keyset cursors carry ISO timestamps (ms), and must compare equal.
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.raw(`date_trunc('milliseconds', now())`));
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['category', 'created_at']);
    t.index(['created_at', 'account_id']);
  });
  await knex.raw(`alter table shoutout_talents add constraint shoutout_talents_amounts check (price_amount > 0 and (business_price_amount is null or business_price_amount > 0) and turnaround_days between 1 and 60)`);
  await knex.raw(`create index shoutout_talents_name on shoutout_talents (lower(display_name) text_pattern_ops)`);

  await knex.schema.createTable('shoutout_orders', (t) => {
    t.text('id').primary();
    t.text('workflow_id').notNullable().unique();
    t.text('fan_id').notNullable().references('accounts.id');
    t.text('talent_id').notNullable().references('accounts.id');
    t.text('status').notNullable();
    t.text('recipient_name').notNullable();
    t.text('occasion').notNullable();
    t.text('instructions').notNullable().defaultTo('');
    t.boolean('business_use').notNullable().defaultTo(false);
    t.bigInteger('price_amount').notNullable();
    t.text('currency').notNullable();
    t.bigInteger('platform_fee_amount');
    t.bigInteger('talent_share_amount');
    t.bigInteger('refunded_amount').notNullable().defaultTo(0);
    t.text('payment_id');
    t.text('failure_reason');
    t.text('video_key');
    t.text('poster_key');
    t.bigInteger('video_bytes');
    t.timestamp('deadline_at', { useTz: true });
    t.timestamp('accepted_at', { useTz: true });
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.raw(`date_trunc('milliseconds', now())`));
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['fan_id', 'created_at', 'id']);
    t.index(['talent_id', 'created_at', 'id']);
    t.index(['delivered_at']);
  });
  await knex.raw(`alter table shoutout_orders add constraint shoutout_orders_amounts check (price_amount > 0 and refunded_amount >= 0 and refunded_amount <= price_amount)`);

  // The timeline: one row per step, keyed by the workflow's deterministic event id.
  await knex.schema.createTable('shoutout_events', (t) => {
    t.text('id').primary();
    t.text('order_id').notNullable().references('shoutout_orders.id');
    t.integer('seq').notNullable();
    t.text('type').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.jsonb('data').notNullable().defaultTo('{}');
    t.index(['order_id', 'seq']);
  });

  await knex.schema.createTable('shoutout_refunds', (t) => {
    t.text('id').primary();
    t.text('order_id').notNullable().references('shoutout_orders.id');
    t.text('talent_id').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.bigInteger('talent_portion').notNullable();
    t.bigInteger('fee_portion').notNullable();
    t.text('reason').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.text('provider_refund_id');
    t.text('requested_by').notNullable();
    t.text('failure_reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.index(['order_id']);
    t.index(['talent_id', 'completed_at']);
  });
  await knex.raw(`alter table shoutout_refunds add constraint shoutout_refunds_amounts check (amount > 0 and talent_portion >= 0 and fee_portion >= 0 and talent_portion + fee_portion = amount)`);

  await knex.schema.createTable('shoutout_payouts', (t) => {
    t.text('id').primary();
    t.text('month').notNullable();
    t.text('talent_id').notNullable().references('accounts.id');
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.integer('orders').notNullable();
    t.bigInteger('gross').notNullable();
    t.bigInteger('platform_fee').notNullable();
    t.bigInteger('refunds').notNullable();
    t.bigInteger('amount_due').notNullable();
    t.text('currency').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.timestamp('paid_at', { useTz: true });
    t.text('reference');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['month', 'talent_id', 'currency']);
  });
  await knex.raw(`alter table shoutout_payouts add constraint shoutout_payouts_status check (status in ('pending', 'paid', 'failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('shoutout_payouts');
  await knex.schema.dropTableIfExists('shoutout_refunds');
  await knex.schema.dropTableIfExists('shoutout_events');
  await knex.schema.dropTableIfExists('shoutout_orders');
  await knex.schema.dropTableIfExists('shoutout_talents');
}
