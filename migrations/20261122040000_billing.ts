import type { Knex } from 'knex';

/**
 * Billing: the catalogue (films and plans, with their price history), film purchases,
 * subscriptions (a listing copy; the live state is the workflow's), the reporting event log
 * and outbound webhook endpoints with their deliveries and attempts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('products', (t) => {
    t.text('id').primary();
    t.text('kind').notNullable();
    t.text('name').notNullable();
    t.text('description');
    t.bigInteger('price_amount').notNullable();
    t.text('currency').notNullable();
    t.integer('access_days');
    t.text('interval');
    t.integer('interval_count');
    t.integer('trial_days');
    t.text('grants_role');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['kind', 'active', 'created_at']);
  });
  await knex.raw(`alter table products add constraint products_kind_check check (kind in ('film', 'plan'))`);
  await knex.raw(`alter table products add constraint products_price_check check (price_amount >= 0)`);
  await knex.raw(`alter table products add constraint products_plan_check check (kind <> 'plan' or (interval is not null and interval_count >= 1))`);

  await knex.schema.createTable('product_price_changes', (t) => {
    t.text('id').primary();
    t.text('product_id').notNullable().references('products.id');
    t.bigInteger('old_amount').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.timestamp('changed_at', { useTz: true }).notNullable();
    t.timestamp('subscribers_from', { useTz: true }).notNullable();
    t.index(['product_id', 'changed_at']);
  });

  await knex.schema.createTable('purchases', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id');
    t.text('product_id').notNullable().references('products.id');
    t.text('status').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.text('payment_id');
    t.integer('access_days');
    t.timestamp('access_granted_at', { useTz: true });
    t.timestamp('access_expires_at', { useTz: true });
    t.text('failure_code');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'created_at']);
  });
  await knex.raw(`alter table purchases add constraint purchases_status_check check (status in ('pending', 'active', 'expired', 'failed', 'refunded'))`);
  // One live purchase of a film per account: buying it again while owned is a conflict.
  await knex.raw(`create unique index purchases_owned on purchases (account_id, product_id) where status in ('pending', 'active')`);

  await knex.schema.createTable('subscriptions', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id');
    t.text('plan_id').notNullable().references('products.id');
    t.text('status').notNullable();
    t.bigInteger('price_amount').notNullable();
    t.text('currency').notNullable();
    t.integer('period').notNullable().defaultTo(0);
    t.timestamp('current_period_start', { useTz: true });
    t.timestamp('current_period_end', { useTz: true });
    t.boolean('cancel_at_period_end').notNullable().defaultTo(false);
    t.text('pending_plan_id');
    t.timestamp('cancelled_at', { useTz: true });
    t.text('cancel_reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'created_at']);
    t.index(['plan_id', 'status']);
  });

  await knex.schema.createTable('billing_events', (t) => {
    t.text('id').primary();
    t.text('type').notNullable();
    t.text('account_id');
    t.text('subject_id');
    t.jsonb('data').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['type', 'created_at']);
    t.index(['subject_id', 'created_at']);
  });
  await knex.raw(`create trigger billing_events_append_only before update or delete on billing_events for each row execute function forbid_change()`);

  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.text('id').primary();
    t.text('url').notNullable();
    t.specificType('events', 'text[]').notNullable();
    t.text('secret').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.text('id').primary();
    t.text('endpoint_id').notNullable().references('webhook_endpoints.id');
    t.text('event_id').notNullable().references('billing_events.id');
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('last_status_code');
    t.text('last_error');
    t.timestamp('next_attempt_at', { useTz: true });
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['endpoint_id', 'created_at']);
  });

  await knex.schema.createTable('webhook_delivery_attempts', (t) => {
    t.text('delivery_id').notNullable().references('webhook_deliveries.id');
    t.integer('attempt').notNullable();
    t.integer('status_code');
    t.text('error');
    t.integer('duration_ms').notNullable();
    t.timestamp('attempted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['delivery_id', 'attempt']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_delivery_attempts');
  await knex.schema.dropTableIfExists('webhook_deliveries');
  await knex.schema.dropTableIfExists('webhook_endpoints');
  await knex.schema.dropTableIfExists('billing_events');
  await knex.schema.dropTableIfExists('subscriptions');
  await knex.schema.dropTableIfExists('purchases');
  await knex.schema.dropTableIfExists('product_price_changes');
  await knex.schema.dropTableIfExists('products');
}
