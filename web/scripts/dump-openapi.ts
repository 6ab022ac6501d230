/**
 * Writes the API's OpenAPI document to web/src/api/openapi.json without starting anything:
 * the routes are built against inert dependencies (no request is ever served), and the
 * document is read from the app exactly as GET /openapi.json would answer it.
 * Run from the repository root with tsx (the web build does this before type generation).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { createApp } from '../../api/app';
import { loadConfig } from '../../platform/config';
import type { CoreDeps } from '../../platform/deps';
import { createLogger } from '../../platform/logger';

const inert = new Proxy({}, { get: () => { throw new Error('dump-openapi: dependencies are not available here'); } });

async function main(): Promise<void> {
  const deps = { config: loadConfig({ ...process.env, NODE_ENV: 'development' }), db: inert, logger: createLogger({ LOG_LEVEL: 'silent' }, 'openapi'), temporal: inert, metrics: new Registry(), ports: inert } as unknown as CoreDeps;
  const app = createApp(deps);
  const res = await app.request('/openapi.json');
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
  const out = path.resolve(__dirname, '..', 'src', 'api', 'openapi.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(await res.json(), null, 2) + '\n');
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
