import path from 'node:path';
import { spawnJsonReady, stopChild, type ManagedProcess } from './child-process';

export interface EmbeddedPostgres extends ManagedProcess {
  url: string;
}

const ROOT = path.resolve(__dirname, '..');

/** Starts the embedded PostgreSQL (see scripts/embedded-postgres.ts) in its own process. */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedPostgres> {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const { child, ready } = await spawnJsonReady<{ url: string }>(tsx, [path.join(ROOT, 'scripts', 'embedded-postgres.ts'), '--dir', path.resolve(dataDir, 'postgres'), '--port', String(port)], { cwd: ROOT, timeoutMs: 180_000 });
  return { child, url: ready.url, stop: () => stopChild(child, 20_000) };
}
