import fs from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

/** The project folder, from source (tsx) or compiled (dist/) code alike: assets are read from here. */
export const PROJECT_ROOT = findRoot(__dirname);
