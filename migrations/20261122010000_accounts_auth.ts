import type { Knex } from 'knex';

/**
 * Authentication state: rotating refresh tokens (stored as SHA-256 hashes, grouped in families so
 * the reuse of a rotated token can revoke every descendant) and login rate-limit counters kept in
 * PostgreSQL so that every API instance counts the same attempts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('refresh_tokens', (t) => {
    t.text('id').primary();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('family_id').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    /** Set when the token was exchanged for its successor: presenting it again is reuse. */
    t.timestamp('rotated_at', { useTz: true });
    t.text('replaced_by');
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoke_reason');
    t.index(['family_id']);
    t.index(['account_id']);
  });

  await knex.schema.createTable('auth_rate_limits', (t) => {
    /** `login:email:<email>` or `login:ip:<address>`. */
    t.text('key').primary();
    t.timestamp('window_started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('hits').notNullable().defaultTo(0);
    t.index(['window_started_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('auth_rate_limits');
  await knex.schema.dropTableIfExists('refresh_tokens');
}
