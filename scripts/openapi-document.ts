/**
 * Writes the API's OpenAPI document (what /openapi.json serves) to a file, without a database or
 * Temporal: routes only read their dependencies when a request comes in.
 *
 *   npx tsx scripts/openapi-document.ts [out.json]     default: .data/openapi.json
 *
 * `npm run lint` lints it with Redocly's recommended rules (redocly.yaml).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { createApp } from '../api/app';
import { configWith } from '../platform/config';
import { createLogger } from '../platform/logger';
import type { CoreDeps } from '../platform/deps';

export async function openApiDocument(): Promise<unknown> {
  const config = configWith({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });
  // Only what building the routes touches; a request would need the real ones.
  const deps = { config, logger: createLogger(config, 'openapi'), metrics: new Registry(), db: {}, temporal: {}, ports: {} } as unknown as CoreDeps;
  const res = await createApp(deps).request('/openapi.json');
  return res.json();
}

if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '.data', 'openapi.json'));
  void openApiDocument().then((doc) => {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
    process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
  });
}
