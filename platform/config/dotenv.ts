import fs from 'node:fs';

/** Entrypoints read `.env` when there is one (Node's own parser); variables already set win. */
export function loadDotEnv(file = '.env'): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
