import type { Knex } from 'knex';

/**
 * Stark Bank: our records of issued invoices, every webhook event received, and transfers sent;
 * plus the sandbox adapter's own "bank" (invoices, transfers, its signing key).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('starkbank_invoices', (t) => {
    t.text('id').primary();
    t.text('provider').notNullable();
    t.text('run_id').notNullable();
    t.text('workflow_id').notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('fee').notNullable().defaultTo(0);
    t.text('status').notNullable();
    t.text('name').notNullable();
    t.text('tax_id').notNullable();
    t.timestamp('due', { useTz: true }).notNullable();
    t.integer('expiration').notNullable();
    t.jsonb('tags').notNullable().defaultTo('[]');
    t.timestamp('credited_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['run_id']);
    t.index(['created_at', 'id']);
  });

  await knex.schema.createTable('starkbank_events', (t) => {
    t.text('id').primary();
    t.text('subscription').notNullable();
    t.text('log_type').notNullable();
    t.text('invoice_id');
    t.jsonb('data').notNullable();
    /** For a credited invoice: amount − fee, to forward (the outbox column); null for other events. */
    t.bigInteger('forward_amount');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    /** Lease of the API process signalling it to the transfer batcher. */
    t.timestamp('claimed_at', { useTz: true });
    /** Set once handled (signalled, or nothing to do). */
    t.timestamp('processed_at', { useTz: true });
    t.index(['invoice_id']);
  });
  await knex.raw('create index starkbank_events_unprocessed on starkbank_events (received_at) where processed_at is null');

  await knex.schema.createTable('starkbank_transfers', (t) => {
    t.text('external_id').primary();
    t.text('id');
    t.text('invoice_id').notNullable();
    t.text('batch_id').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('status').notNullable();
    t.text('bank_code').notNullable();
    t.text('branch_code').notNullable();
    t.text('account_number').notNullable();
    t.text('name').notNullable();
    t.text('tax_id').notNullable();
    t.text('account_type').notNullable();
    t.text('failure_message');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['batch_id']);
    t.index(['created_at', 'external_id']);
  });

  await knex.schema.createTable('starkbank_sandbox_keys', (t) => {
    t.text('id').primary();
    t.text('private_key_pem').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('starkbank_sandbox_invoices', (t) => {
    t.text('id').primary();
    t.bigInteger('amount').notNullable();
    t.bigInteger('fee').notNullable().defaultTo(0);
    t.text('status').notNullable();
    t.text('name').notNullable();
    t.text('tax_id').notNullable();
    t.timestamp('due', { useTz: true }).notNullable();
    t.integer('expiration').notNullable();
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('pay_at', { useTz: true });
    t.timestamp('paid_at', { useTz: true });
    t.text('event_id');
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index starkbank_sandbox_invoices_tags on starkbank_sandbox_invoices using gin (tags)');
  await knex.raw(`create index starkbank_sandbox_invoices_due_pay on starkbank_sandbox_invoices (pay_at) where status = 'created' and pay_at is not null`);
  await knex.raw(`create index starkbank_sandbox_invoices_undelivered on starkbank_sandbox_invoices (paid_at) where status = 'paid' and delivered_at is null`);
  await knex.schema.createTable('starkbank_sandbox_transfers', (t) => {
    t.text('id').primary();
    t.text('external_id').notNullable().unique();
    t.bigInteger('amount').notNullable();
    t.bigInteger('fee').notNullable().defaultTo(0);
    t.text('status').notNullable();
    t.text('name').notNullable();
    t.text('tax_id').notNullable();
    t.text('bank_code').notNullable();
    t.text('branch_code').notNullable();
    t.text('account_number').notNullable();
    t.text('account_type').notNullable();
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index starkbank_sandbox_transfers_tags on starkbank_sandbox_transfers using gin (tags)');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['starkbank_sandbox_transfers', 'starkbank_sandbox_invoices', 'starkbank_sandbox_keys', 'starkbank_transfers', 'starkbank_events', 'starkbank_invoices']) {
    await knex.schema.dropTableIfExists(table);
  }
}
