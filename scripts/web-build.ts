/**
 * The web app (web/, its own package.json and lock file): installs its dependencies when missing,
 * then builds it (OpenAPI types from the API's contract → type check → Vite) into web/dist.
 *   npx tsx scripts/web-build.ts            build (npm run build does this)
 *   npx tsx scripts/web-build.ts --missing  build only when web/dist is missing (npm start does this)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const WEB = path.resolve(__dirname, '..', 'web');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export function webBuilt(): boolean {
  return fs.existsSync(path.join(WEB, 'dist', 'index.html'));
}

export function buildWeb(options: { onlyWhenMissing?: boolean; say?: (line: string) => void } = {}): void {
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (options.onlyWhenMissing && webBuilt()) return;
  if (!fs.existsSync(path.join(WEB, 'node_modules', '.package-lock.json'))) {
    say('installing the web app\'s dependencies (web/package-lock.json)…');
    execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: WEB, stdio: 'inherit' });
  }
  say('building the web app (web/dist)…');
  execFileSync(npm, ['run', 'build'], { cwd: WEB, stdio: 'inherit' });
}

if (require.main === module) buildWeb({ onlyWhenMissing: process.argv.includes('--missing') });
