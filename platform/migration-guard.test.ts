import { destructiveStatements } from './migration-guard';

const migration = (up: string, down = 'await knex.schema.dropTable("x");') => `import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
${up}
}
export async function down(knex: Knex): Promise<void> {
${down}
}
`;

describe('destructiveStatements (expand/contract guard)', () => {
  it('accepts additive changes, and destructive ones in down()', () => {
    expect(destructiveStatements(migration(`await knex.schema.createTable('x', (t) => { t.text('id').primary(); });
  await knex.schema.alterTable('y', (t) => { t.text('nickname').nullable(); t.index(['nickname']); });
  await knex.raw(\`alter table y add constraint y_check check (a is not null)\`);
  await knex.raw(\`create trigger y_no_truncate before truncate on y for each statement execute function forbid_change()\`);
  // we will drop column legacy_name in the next release
  await knex.raw('drop index if exists y_old_idx');`))).toEqual([]);
  });

  it.each([
    ['drops a table', `await knex.schema.dropTable('x');`],
    ['drops a table', `await knex.raw('DROP TABLE x');`],
    ['drops a column', `await knex.schema.alterTable('y', (t) => t.dropColumn('name'));`],
    ['drops a column', `await knex.raw('alter table y drop column name');`],
    ['renames a column or table', `await knex.schema.alterTable('y', (t) => t.renameColumn('a', 'b'));`],
    ['renames a column or table', `await knex.raw('alter table y rename column a to b');`],
    ['changes a column type', `await knex.schema.alterTable('y', (t) => t.integer('a').alter());`],
    ['changes a column type', `await knex.raw('alter table y alter column a type bigint');`],
    ['makes a column NOT NULL', `await knex.raw('alter table y alter column a set not null');`],
    ['deletes rows', `await knex('y').where({ a: 1 }).del();`],
    ['deletes rows', `await knex.raw('delete from y where a = 1');`],
  ])('flags a migration that %s', (what, up) => {
    const found = destructiveStatements(migration(up));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(what);
  });
});
