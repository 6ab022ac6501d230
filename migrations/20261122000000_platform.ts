import type { Knex } from 'knex';

/**
 * Platform tables shared by every capability: idempotent API requests, the ping round trip,
 * payments with their append-only event log, and the double-entry ledger.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.text('scope').notNullable();
    t.text('key').notNullable();
    t.text('request_hash').notNullable();
    t.text('state').notNullable().defaultTo('in_progress');
    t.integer('response_status');
    t.jsonb('response_headers');
    t.text('response_body');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.primary(['scope', 'key']);
    t.index(['created_at']);
  });

  await knex.schema.createTable('pings', (t) => {
    t.text('id').primary();
    t.text('workflow_id').notNullable();
    t.text('message');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('payments', (t) => {
    t.text('id').primary();
    t.text('account_id');
    t.text('kind').notNullable();
    t.text('reference').notNullable();
    t.text('provider').notNullable();
    t.text('provider_payment_id');
    t.text('status').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.bigInteger('amount_captured').notNullable().defaultTo(0);
    t.bigInteger('amount_refunded').notNullable().defaultTo(0);
    t.text('failure_code');
    t.text('failure_message');
    t.text('workflow_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'created_at']);
    t.index(['kind', 'reference']);
    t.index(['status', 'created_at']);
  });
  await knex.raw(`alter table payments add constraint payments_amounts_check check (amount >= 0 and amount_captured >= 0 and amount_refunded >= 0 and amount_refunded <= greatest(amount_captured, 0))`);

  await knex.schema.createTable('payment_events', (t) => {
    t.text('id').primary();
    t.text('payment_id').notNullable().references('payments.id');
    t.text('type').notNullable();
    t.jsonb('data').notNullable().defaultTo('{}');
    t.text('correlation_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['payment_id', 'created_at']);
  });

  // The log is append-only, enforced by the database whatever the code does.
  await knex.raw(`
    create function forbid_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'restrict_violation';
    end $$;
  `);
  await knex.raw(`create trigger payment_events_append_only before update or delete on payment_events for each row execute function forbid_change()`);
  await knex.raw(`create trigger payment_events_no_truncate before truncate on payment_events for each statement execute function forbid_change()`);

  await knex.schema.createTable('ledger_transactions', (t) => {
    t.text('id').primary();
    t.text('kind').notNullable();
    t.text('reference').notNullable();
    t.text('description');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['reference']);
  });
  await knex.schema.createTable('ledger_entries', (t) => {
    t.bigIncrements('id');
    t.text('transaction_id').notNullable().references('ledger_transactions.id');
    t.integer('entry_no').notNullable();
    t.text('account').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['transaction_id', 'entry_no']);
    t.index(['account', 'currency']);
  });
  await knex.raw(`create trigger ledger_entries_append_only before update or delete on ledger_entries for each row execute function forbid_change()`);
  // A transaction's entries must sum to zero per currency when the database transaction commits.
  await knex.raw(`
    create function ledger_check_balance() returns trigger language plpgsql as $$
    declare unbalanced text;
    begin
      select currency into unbalanced from ledger_entries where transaction_id = new.transaction_id
        group by currency having sum(amount) <> 0 limit 1;
      if unbalanced is not null then
        raise exception 'ledger transaction % does not balance in %', new.transaction_id, unbalanced using errcode = 'check_violation';
      end if;
      return null;
    end $$;
  `);
  await knex.raw(`create constraint trigger ledger_entries_balanced after insert on ledger_entries deferrable initially deferred for each row execute function ledger_check_balance()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ledger_entries');
  await knex.schema.dropTableIfExists('ledger_transactions');
  await knex.schema.dropTableIfExists('payment_events');
  await knex.schema.dropTableIfExists('payments');
  await knex.schema.dropTableIfExists('pings');
  await knex.schema.dropTableIfExists('idempotency_keys');
  await knex.raw('drop function if exists ledger_check_balance()');
  await knex.raw('drop function if exists forbid_change()');
}
