import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, dropDatabase, ensureDatabase, withDatabase, type Db } from '../../platform/db';
import { DestructiveMigrationError, guardPendingMigrations } from '../../platform/migration-guard';

/** The runner's guard on a real PostgreSQL database: expand runs, contract needs the flag. */
describe('migration runner refuses a destructive change without --allow-destructive', () => {
  const database = `limelight_guard_${process.pid}_${Date.now()}`;
  let dir: string;
  let db: Db;
  const config = () => ({ directory: dir, loadExtensions: ['.ts'], tableName: 'knex_migrations' });
  const write = (name: string, up: string) =>
    fs.writeFileSync(path.join(dir, name), `import type { Knex } from 'knex';\nexport async function up(knex: Knex): Promise<void> {\n  ${up}\n}\nexport async function down(): Promise<void> {}\n`);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'limelight-migrations-'));
    await ensureDatabase(process.env.TEST_ADMIN_DATABASE_URL!, database);
    db = createDb(withDatabase(process.env.TEST_ADMIN_DATABASE_URL!, database), 2);
  });
  afterAll(async () => {
    await db.destroy();
    await dropDatabase(process.env.TEST_ADMIN_DATABASE_URL!, database);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets a fresh database take every migration, then guards contract steps', async () => {
    write('001_people.ts', `await knex.schema.createTable('people', (t) => { t.text('id').primary(); t.text('full_name'); });`);
    write('002_drop_old.ts', `await knex.schema.alterTable('people', (t) => t.dropColumn('full_name'));`);
    // Fresh database (nothing applied): no old version runs on it, nothing to lose.
    await guardPendingMigrations(db, config());

    await db.migrate.up(config()); // 001 only: the database is now live
    await db('people').insert({ id: 'p1', full_name: 'Ana' });

    // Expand: an additive migration passes the guard.
    write('003_expand.ts', `await knex.schema.alterTable('people', (t) => { t.text('display_name'); });`);
    fs.renameSync(path.join(dir, '002_drop_old.ts'), path.join(dir, '004_contract.ts'));
    const expandOnly = path.join(dir, 'contract-later');
    fs.mkdirSync(expandOnly);
    fs.renameSync(path.join(dir, '004_contract.ts'), path.join(expandOnly, '004_contract.ts'));
    await guardPendingMigrations(db, config());
    await db.migrate.latest(config());
    expect(await db('people').first()).toMatchObject({ id: 'p1', full_name: 'Ana', display_name: null });

    // Contract: refused without the flag, and nothing ran.
    fs.renameSync(path.join(expandOnly, '004_contract.ts'), path.join(dir, '004_contract.ts'));
    fs.rmdirSync(expandOnly);
    const refused = await guardPendingMigrations(db, config()).catch((e) => e);
    expect(refused).toBeInstanceOf(DestructiveMigrationError);
    expect(refused.message).toContain('004_contract.ts');
    expect(refused.message).toContain('drops a column');
    expect(await db('people').first()).toHaveProperty('full_name', 'Ana');

    // With the explicit flag it runs.
    await guardPendingMigrations(db, config(), { allowDestructive: true });
    await db.migrate.latest(config());
    expect(await db('people').first()).not.toHaveProperty('full_name');
  });
});
