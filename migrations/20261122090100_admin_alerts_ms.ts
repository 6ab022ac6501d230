import type { Knex } from 'knex';

/**
 * Admin alerts are listed with keyset cursors that carry ISO timestamps (milliseconds): their
 * created_at must have millisecond precision too, or rows raised in the same millisecond as a
 * page's last row fall between pages (expand-only: a default and a rounding of existing values).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table admin_alerts alter column created_at set default date_trunc('milliseconds', now())`);
  await knex.raw(`update admin_alerts set created_at = date_trunc('milliseconds', created_at)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`alter table admin_alerts alter column created_at set default now()`);
}
