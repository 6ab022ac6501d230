import path from 'node:path';
import knex, { type Knex } from 'knex';
import { types } from 'pg';
import { guardPendingMigrations } from './migration-guard';

export type Db = Knex;

// bigint (int8) columns hold money in minor units: parse them as JS numbers. Amounts stay far below 2^53.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

export function createDb(connectionString: string, poolMax = 20): Db {
  return knex({
    client: 'pg',
    connection: { connectionString, application_name: 'limelight' },
    pool: { min: 0, max: poolMax },
    migrations: migrationConfig(),
  });
}

export function migrationConfig(): Knex.MigratorConfig {
  return {
    directory: path.resolve(__dirname, '..', 'migrations'),
    loadExtensions: ['.ts', '.js'],
    tableName: 'knex_migrations',
  };
}

/**
 * Applies pending migrations. A destructive (contract) one on a database that already has
 * migrations is refused unless `allowDestructive` (platform/migration-guard.ts).
 */
export async function migrateLatest(db: Db, options: { allowDestructive?: boolean } = {}): Promise<string[]> {
  await guardPendingMigrations(db, migrationConfig(), options);
  const [, applied] = (await db.migrate.latest(migrationConfig())) as [number, string[]];
  return applied;
}

/** PostgreSQL's unique_violation (23505), optionally on one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** PostgreSQL's foreign_key_violation (23503): a row is still referenced. */
export function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === '23503';
}

/**
 * PostgreSQL is down, restarting or unreachable (not a fault of the request): the connection was
 * refused or cut, the server is shutting down or starting up (SQLSTATE 57P01-57P03, class 08), or
 * no pooled connection came in time. A caller may answer 503 and the client retry.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  if (!e) return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (/^(57P0[123]|08[0-9A-Z]{3})$/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  // knex prefixes the statement to pg's message ("select … - Connection terminated unexpectedly").
  return typeof e.message === 'string' && /Connection terminated|Connection ended unexpectedly|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)/i.test(e.message);
}

export async function isDbReachable(db: Db, timeoutMs = 2000): Promise<boolean> {
  try {
    await Promise.race([
      db.raw('select 1'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** The same server's URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates `database` on the server of `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`unsafe database name ${database}`);
  const admin = createDb(adminUrl, 1);
  try {
    const exists = await admin.raw('select 1 from pg_database where datname = ?', [database]);
    if (exists.rows.length === 0) await admin.raw(`create database "${database}"`);
  } finally {
    await admin.destroy();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`unsafe database name ${database}`);
  const admin = createDb(adminUrl, 1);
  try {
    await admin.raw(`drop database if exists "${database}" with (force)`);
  } finally {
    await admin.destroy();
  }
}
