import type { Knex } from 'knex';

/**
 * The transactional outbox of reporting events for Kafka: written in the same transaction as the
 * event itself (when KAFKA_BROKERS is set), published in `seq` order by the relay, and marked
 * published once the brokers acknowledged it (at least once: a crash between the two re-sends).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('billing_event_outbox', (t) => {
    t.bigIncrements('seq').primary();
    t.text('event_id').notNullable().unique().references('billing_events.id');
    t.text('partition_key').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('published_at', { useTz: true });
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
  });
  await knex.raw(`create index billing_event_outbox_unpublished on billing_event_outbox (seq) where published_at is null`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('billing_event_outbox');
}
