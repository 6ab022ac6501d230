import type { Knex } from 'knex';

/**
 * Every email the platform sends, keyed by its idempotency key (`<workflowId>/email/<what>`):
 * the SMTP adapter records what it delivered so a retried activity never sends twice, and the
 * outbox adapter (no SMTP_URL) keeps the message itself here for GET /dev/mailbox.
 * Permanent failures (SMTP 5xx) are recorded with the server's answer.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('email_messages', (t) => {
    t.text('id').primary();
    t.text('idempotency_key').notNullable().unique();
    t.text('transport').notNullable();
    t.text('kind').notNullable();
    t.text('to').notNullable();
    t.text('subject').notNullable();
    // Bodies are kept only by the outbox (dev mailbox); SMTP sends keep the envelope, not the
    // content, so codes and links do not linger in the database.
    t.text('text');
    t.text('html');
    t.text('status').notNullable();
    t.text('provider_message_id');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('error');
    t.integer('response_code');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('failed_at', { useTz: true });
    t.index(['to', 'created_at']);
  });
  await knex.raw(`alter table email_messages add constraint email_messages_transport_check check (transport in ('outbox', 'smtp'))`);
  await knex.raw(`alter table email_messages add constraint email_messages_status_check check (status in ('sending', 'sent', 'failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('email_messages');
}
