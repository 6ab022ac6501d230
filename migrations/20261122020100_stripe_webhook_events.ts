import type { Knex } from 'knex';

/**
 * Every Stripe webhook event that passed signature verification, once per event id (Stripe
 * delivers at least once). `processed_at` is set when the event was routed (or found to have no
 * route), in the same transaction that holds the row lock, so a redelivery either waits and sees it
 * processed or retries a routing that failed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stripe_webhook_events', (t) => {
    t.text('id').primary();
    t.text('type').notNullable();
    t.boolean('livemode').notNullable();
    t.text('api_version');
    // The object the event is about (pi_…, ch_…, tr_…), for lookups by provider id.
    t.text('object_id');
    t.jsonb('payload').notNullable();
    t.timestamp('event_created_at', { useTz: true }).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('deliveries').notNullable().defaultTo(1);
    t.timestamp('processed_at', { useTz: true });
    // signalled | unrouted (no entry in the routing table) | no_workflow (no workflow id found) | workflow_not_found
    t.text('outcome');
    t.text('workflow_id');
    t.text('signal_name');
    t.index(['type', 'received_at']);
    t.index(['object_id']);
    t.index(['workflow_id']);
  });
  await knex.raw(`alter table stripe_webhook_events add constraint stripe_webhook_events_outcome_check check (outcome is null or outcome in ('signalled', 'unrouted', 'no_workflow', 'workflow_not_found'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('stripe_webhook_events');
}
