import { createDb, ensureDatabase, isDbReachable, withDatabase, type Db } from './db';
import type { Config } from './config';
import { startEmbeddedPostgres } from './embedded-postgres';

/** The database `npm start` creates on its embedded PostgreSQL. */
export const EMBEDDED_DATABASE = 'limelight';

export interface ScriptDatabase {
  db: Db;
  /** Where it is, for messages (password-free). */
  where: string;
  close(): Promise<void>;
}

/**
 * The database a command-line script works on, found the way `npm start` finds it: DATABASE_URL
 * when set; else the embedded PostgreSQL that a running `npm start` serves on EMBEDDED_PG_PORT;
 * else that same embedded server started for the length of the script on its data folder, so `npm run admin:create` works beside or before `npm start`, as the README shows.
 */
export async function openScriptDatabase(config: Config, poolMax = 2): Promise<ScriptDatabase> {
  if (config.DATABASE_URL) {
    const db = createDb(config.DATABASE_URL, poolMax);
    return { db, where: redact(config.DATABASE_URL), close: () => db.destroy() };
  }
  const serverUrl = `postgres://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/postgres`;
  const url = withDatabase(serverUrl, EMBEDDED_DATABASE);
  const running = createDb(url, poolMax);
  if (await isDbReachable(running)) return { db: running, where: redact(url), close: () => running.destroy() };
  await running.destroy();

  const pg = await startEmbeddedPostgres(config.DATA_DIR, config.EMBEDDED_PG_PORT);
  try {
    await ensureDatabase(pg.url, EMBEDDED_DATABASE);
    const db = createDb(withDatabase(pg.url, EMBEDDED_DATABASE), poolMax);
    return {
      db,
      where: `${redact(url)} (embedded, started for this command)`,
      close: async () => {
        await db.destroy();
        await pg.stop();
      },
    };
  } catch (error) {
    await pg.stop();
    throw error;
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
