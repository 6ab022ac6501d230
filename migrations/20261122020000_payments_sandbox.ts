import type { Knex } from 'knex';

/**
 * The sandbox payment provider's own state (activities/payments/sandbox.ts): a stateful simulator
 * of the parts of Stripe the platform uses. Amounts are integer minor units; CHECK constraints keep
 * the simulator from ever reaching a state the real provider could not be in.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sandbox_idempotency_keys', (t) => {
    t.text('key').primary();
    t.text('operation').notNullable();
    t.text('request_hash').notNullable();
    // {result} or {error}; null only inside the transaction that is executing the request.
    t.jsonb('response');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['created_at']);
  });

  await knex.schema.createTable('sandbox_customers', (t) => {
    t.text('id').primary();
    t.text('email').notNullable();
    t.text('name');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('sandbox_payment_methods', (t) => {
    t.text('id').primary();
    t.text('customer_id').notNullable().references('sandbox_customers.id');
    // The test card it was made from (pm_card_visa, pm_card_chargeDeclined, …): decides how charges behave.
    t.text('card').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['customer_id']);
  });

  await knex.schema.createTable('sandbox_payment_intents', (t) => {
    t.text('id').primary();
    t.text('customer_id');
    t.text('payment_method').notNullable();
    t.text('card').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.text('status').notNullable();
    t.text('capture_method').notNullable();
    t.boolean('off_session').notNullable().defaultTo(false);
    t.bigInteger('amount_captured').notNullable().defaultTo(0);
    t.bigInteger('amount_refunded').notNullable().defaultTo(0);
    t.text('failure_code');
    t.text('decline_code');
    t.text('cancellation_reason');
    t.text('description');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table sandbox_payment_intents add constraint sandbox_pi_status_check check (status in ('requires_capture', 'succeeded', 'canceled', 'requires_payment_method'))`);
  await knex.raw(`alter table sandbox_payment_intents add constraint sandbox_pi_amounts_check check (amount > 0 and amount_captured >= 0 and amount_captured <= amount and amount_refunded >= 0 and amount_refunded <= amount_captured)`);

  await knex.schema.createTable('sandbox_refunds', (t) => {
    t.text('id').primary();
    t.text('payment_intent_id').notNullable().references('sandbox_payment_intents.id');
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['payment_intent_id']);
  });
  await knex.raw(`alter table sandbox_refunds add constraint sandbox_refunds_amount_check check (amount > 0)`);

  await knex.schema.createTable('sandbox_accounts', (t) => {
    t.text('id').primary();
    t.text('email').notNullable();
    t.text('name');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // A connected account's available balance per currency: transfers credit it, payouts and reversals
  // debit it, and it can never go negative (which is what makes a reversal after a payout fail).
  await knex.schema.createTable('sandbox_balances', (t) => {
    t.text('account_id').notNullable().references('sandbox_accounts.id');
    t.text('currency').notNullable();
    t.bigInteger('available').notNullable().defaultTo(0);
    t.primary(['account_id', 'currency']);
  });
  await knex.raw(`alter table sandbox_balances add constraint sandbox_balances_available_check check (available >= 0)`);

  await knex.schema.createTable('sandbox_transfers', (t) => {
    t.text('id').primary();
    t.text('destination').notNullable().references('sandbox_accounts.id');
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.text('source_payment_id').references('sandbox_payment_intents.id');
    t.text('transfer_group');
    t.bigInteger('amount_reversed').notNullable().defaultTo(0);
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['source_payment_id']);
    t.index(['destination']);
  });
  await knex.raw(`alter table sandbox_transfers add constraint sandbox_transfers_amounts_check check (amount > 0 and amount_reversed >= 0 and amount_reversed <= amount)`);

  await knex.schema.createTable('sandbox_transfer_reversals', (t) => {
    t.text('id').primary();
    t.text('transfer_id').notNullable().references('sandbox_transfers.id');
    t.bigInteger('amount').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['transfer_id']);
  });

  await knex.schema.createTable('sandbox_payouts', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('sandbox_accounts.id');
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'sandbox_payouts',
    'sandbox_transfer_reversals',
    'sandbox_transfers',
    'sandbox_balances',
    'sandbox_accounts',
    'sandbox_refunds',
    'sandbox_payment_intents',
    'sandbox_payment_methods',
    'sandbox_customers',
    'sandbox_idempotency_keys',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
