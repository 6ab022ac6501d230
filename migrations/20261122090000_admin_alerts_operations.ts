import type { Knex } from 'knex';

/**
 * Operations alerts share `admin_alerts` with the alerts a step raises once: a fault key (the same
 * capture failing again, a schedule failing repeatedly) keeps one row whose occurrences grow, with
 * its severity and when it was last seen, so the admin list shows what is recurring.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('admin_alerts', (t) => {
    t.text('severity').notNullable().defaultTo('error');
    t.integer('occurrences').notNullable().defaultTo(1);
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['last_seen_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('admin_alerts', (t) => {
    t.dropIndex(['last_seen_at']);
    t.dropColumns('severity', 'occurrences', 'last_seen_at');
  });
}
