import type { Knex } from 'knex';

/**
 * Split payments: payout accounts (recipients), the append-only event log of every split payment
 * (the source of truth), its projection (the state the events fold to, kept in step in the same
 * database transaction) and the alerts raised to admins when a compensation cannot complete.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payout_accounts', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id');
    t.text('provider').notNullable();
    t.text('provider_account_id').notNullable();
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'created_at']);
    t.unique(['provider', 'provider_account_id']);
  });
  await knex.raw(`alter table payout_accounts add constraint payout_accounts_provider_check check (provider in ('stripe', 'sandbox'))`);

  // The projection: one row per split payment, `state` = fold(events), `version` = last sequence.
  await knex.schema.createTable('split_payments', (t) => {
    t.text('id').primary();
    t.text('workflow_id').notNullable().unique();
    t.text('created_by').notNullable();
    t.text('status').notNullable();
    t.bigInteger('total_amount').notNullable();
    t.text('currency').notNullable();
    t.integer('version').notNullable();
    t.jsonb('state').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['created_by', 'created_at']);
    t.index(['status']);
  });

  await knex.schema.createTable('split_events', (t) => {
    // Deterministic per step (`split-<id>/charge`), so a retried activity never appends twice.
    t.text('id').primary();
    t.text('aggregate_id').notNullable().references('split_payments.id');
    t.integer('sequence').notNullable();
    t.text('type').notNullable();
    t.jsonb('data').notNullable().defaultTo('{}');
    t.text('correlation_id').notNullable();
    t.text('causation_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['aggregate_id', 'sequence']);
  });
  await knex.raw(`alter table split_events add constraint split_events_sequence_check check (sequence >= 1)`);
  // Append-only whatever the code does (forbid_change() comes from the platform migration).
  await knex.raw(`create trigger split_events_append_only before update or delete on split_events for each row execute function forbid_change()`);
  await knex.raw(`create trigger split_events_no_truncate before truncate on split_events for each statement execute function forbid_change()`);

  await knex.schema.createTable('admin_alerts', (t) => {
    t.text('id').primary();
    t.text('kind').notNullable();
    t.text('subject').notNullable();
    t.text('aggregate_id');
    t.jsonb('detail').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('resolved_at', { useTz: true });
    t.index(['resolved_at', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('admin_alerts');
  await knex.schema.dropTableIfExists('split_events');
  await knex.schema.dropTableIfExists('split_payments');
  await knex.schema.dropTableIfExists('payout_accounts');
}
