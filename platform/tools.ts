import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = '1.5.1';
/** `go install` stamps the CLI as 0.0.0-DEV; the server line it embeds identifies the pinned build. */
export const TEMPORAL_SERVER_LINE = 'Server 1.29.1';
export const STRIPE_MOCK_VERSION = '0.197.0';

const ROOT = path.resolve(__dirname, '..');

function versionOf(binary: string): string | undefined {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  } catch {
    return undefined;
  }
}

/**
 * The pinned Temporal CLI: the project's tools folder first, then PATH. Installed by
 * `npm run tools:install` (scripts/install-tools.sh), which CI and `npm start` run.
 */
export function temporalBinary(toolsDir = '.tools'): string {
  const local = path.resolve(ROOT, toolsDir, 'bin', 'temporal');
  for (const candidate of [local, 'temporal']) {
    const version = versionOf(candidate);
    if (version?.includes(`version ${TEMPORAL_CLI_VERSION}`) || version?.includes(TEMPORAL_SERVER_LINE)) return candidate;
  }
  throw new Error(`Temporal CLI ${TEMPORAL_CLI_VERSION} not found in ${local} or on PATH: run "npm run tools:install" (needs Go from https://go.dev/dl or your package manager).`);
}

export function stripeMockBinary(toolsDir = '.tools'): string {
  const local = path.resolve(ROOT, toolsDir, 'bin', 'stripe-mock');
  if (fs.existsSync(local)) return local;
  throw new Error(`stripe-mock not found in ${local}: run "npm run tools:install".`);
}
