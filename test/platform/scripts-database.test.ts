import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../platform/child-process';
import { createDb, ensureDatabase, withDatabase } from '../../platform/db';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../platform/embedded-postgres';
import { EMBEDDED_DATABASE } from '../../platform/script-database';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The README's `npm run admin:create -- --email … --name …` works as written, without
 * DATABASE_URL: beside a running `npm start` (its embedded PostgreSQL on EMBEDDED_PG_PORT), and
 * with nothing running (the script starts that embedded server on DATA_DIR for itself).
 */
describe('command-line scripts find the embedded PostgreSQL of npm start', () => {
  let dataDir: string;
  let port: number;
  let pg: EmbeddedPostgres | undefined;

  const env = () => {
    const e: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port), ADMIN_PASSWORD: 'correct horse battery staple', NODE_ENV: 'development' };
    delete e.DATABASE_URL;
    return e;
  };
  const adminCreate = (email: string) => run('npm', ['run', '--silent', 'admin:create', '--', '--email', email, '--name', 'Ada Admin'], { cwd: ROOT, env: env(), timeout: 180_000 });
  const emailsIn = async (url: string) => {
    const db = createDb(url, 1);
    try {
      return (await db('accounts').orderBy('email').pluck('email')) as string[];
    } finally {
      await db.destroy();
    }
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'limelight-scripts-'));
    port = await freePort();
  });

  afterAll(async () => {
    await pg?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the admin in the embedded database of a running npm start', async () => {
    // What npm start does before it migrates: the embedded server and its `limelight` database.
    pg = await startEmbeddedPostgres(dataDir, port);
    await ensureDatabase(pg.url, EMBEDDED_DATABASE);
    const { stdout } = await adminCreate('first-admin@example.com');
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ email: 'first-admin@example.com', roles: ['admin'], created: true });
    expect(await emailsIn(withDatabase(pg.url, EMBEDDED_DATABASE))).toEqual(['first-admin@example.com']);
  }, 240_000);

  it('starts the embedded database itself when npm start is not running, and stops it again', async () => {
    await pg!.stop();
    pg = undefined;
    const { stdout } = await adminCreate('second-admin@example.com');
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ email: 'second-admin@example.com', created: true });
    // It stopped what it started: the port is free for npm start, whose data now holds both admins.
    pg = await startEmbeddedPostgres(dataDir, port);
    expect(await emailsIn(withDatabase(pg.url, EMBEDDED_DATABASE))).toEqual(['first-admin@example.com', 'second-admin@example.com']);
  }, 240_000);
});
