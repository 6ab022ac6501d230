import type { Knex } from 'knex';

/** Accounts and the role grants their roles derive from (premium comes and goes with subscriptions). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.text('id').primary();
    t.text('email').notNullable().unique();
    t.text('name').notNullable();
    t.text('kind').notNullable();
    t.text('status').notNullable().defaultTo('pending_verification');
    t.specificType('roles', 'text[]').notNullable().defaultTo(knex.raw(`'{normal}'::text[]`));
    t.text('password_hash');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('verified_at', { useTz: true });
    t.timestamp('deactivated_at', { useTz: true });
  });
  await knex.raw(`alter table accounts add constraint accounts_kind_check check (kind in ('fan', 'talent'))`);
  await knex.raw(`alter table accounts add constraint accounts_status_check check (status in ('pending_verification', 'active', 'deactivated'))`);
  await knex.raw(`alter table accounts add constraint accounts_email_lower check (email = lower(email))`);

  await knex.schema.createTable('role_grants', (t) => {
    t.bigIncrements('id');
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('role').notNullable();
    t.text('source').notNullable();
    t.text('reason').notNullable();
    t.timestamp('granted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoke_reason');
    t.index(['account_id']);
  });
  // One live grant per (account, role, source): granting twice from the same subscription is a no-op.
  await knex.raw(`create unique index role_grants_live on role_grants (account_id, role, source) where revoked_at is null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('role_grants');
  await knex.schema.dropTableIfExists('accounts');
}
