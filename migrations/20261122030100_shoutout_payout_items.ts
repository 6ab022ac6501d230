import type { Knex } from 'knex';

/**
 * Payouts pay every delivered order exactly once. `shoutout_payout_months` records which months
 * are frozen (and when); `shoutout_payout_items` names each delivery and each refund a payout
 * counted, at most once (primary key): a delivery or refund that lands in a month after it was
 * frozen is carried into the next payout as an adjustment (`shoutout_payouts.adjustments`).
 * Months frozen before this migration are backfilled with what their rows could have counted:
 * what had landed in the month before the row was written.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('shoutout_payouts', (t) => {
    t.bigInteger('adjustments').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('shoutout_payout_months', (t) => {
    t.text('month').primary();
    t.timestamp('frozen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('shoutout_payout_items', (t) => {
    t.text('kind').notNullable();
    t.text('ref_id').notNullable();
    t.text('payout_id').notNullable().references('shoutout_payouts.id');
    // The talent's money this item moves: + share of a delivery, − portion of a refund.
    t.bigInteger('amount').notNullable();
    t.boolean('adjustment').notNullable().defaultTo(false);
    t.primary(['kind', 'ref_id']);
    t.index(['payout_id']);
  });
  await knex.raw(`alter table shoutout_payout_items add constraint shoutout_payout_items_kind check (kind in ('delivery', 'refund'))`);

  await knex.raw(`insert into shoutout_payout_months (month, frozen_at) select month, min(created_at) from shoutout_payouts group by month`);
  await knex.raw(`
    insert into shoutout_payout_items (kind, ref_id, payout_id, amount)
    select 'delivery', o.id, p.id, o.price_amount - coalesce(o.platform_fee_amount, 0)
    from shoutout_payouts p
    join shoutout_orders o on o.talent_id = p.talent_id and o.currency = p.currency
      and to_char(o.delivered_at at time zone 'UTC', 'YYYY-MM') = p.month and o.delivered_at < p.created_at
    on conflict do nothing`);
  await knex.raw(`
    insert into shoutout_payout_items (kind, ref_id, payout_id, amount)
    select 'refund', r.id, p.id, -r.talent_portion
    from shoutout_payouts p
    join shoutout_refunds r on r.talent_id = p.talent_id and r.currency = p.currency and r.status = 'succeeded'
      and to_char(r.completed_at at time zone 'UTC', 'YYYY-MM') = p.month and r.completed_at < p.created_at
    on conflict do nothing`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('shoutout_payout_items');
  await knex.schema.dropTableIfExists('shoutout_payout_months');
  await knex.schema.alterTable('shoutout_payouts', (t) => {
    t.dropColumn('adjustments');
  });
}
