/**
 * The npm registry this project installs from lacks some other platforms' optional binaries
 * (e.g. @swc/core-darwin-arm64 answers 404), so `npm install` leaves them out of
 * package-lock.json and `npm ci` then refuses the lock as out of sync. This adds an entry for each
 * missing optional platform package, with the os/cpu its name declares, so `npm ci` recognises it
 * and skips it on platforms it does not fit. Run after changing dependencies:
 *   npx tsx scripts/fix-lockfile.ts
 */
import fs from 'node:fs';
import path from 'node:path';

const OS = ['darwin', 'win32', 'linux', 'freebsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'mips64el'];

interface LockPackage {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}

const file = path.resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8')) as { packages: Record<string, LockPackage> };
const added: string[] = [];
for (const [where, pkg] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${where ? where + '/' : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[hoisted]) continue;
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) {
      console.warn(`skipped ${name}@${spec}: not an exact version`);
      continue;
    }
    const tokens = name.split('/').pop()!.split('-');
    const entry: LockPackage = { version: spec, optional: true };
    const os = tokens.filter((t) => OS.includes(t));
    const cpu = tokens.filter((t) => CPU.includes(t));
    if (os.length) entry.os = os;
    if (cpu.length) entry.cpu = cpu;
    if (tokens.includes('musl') || tokens.includes('musleabihf')) entry.libc = ['musl'];
    else if (tokens.includes('gnu') || tokens.includes('gnueabihf')) entry.libc = ['glibc'];
    lock.packages[hoisted] = entry;
    added.push(`${name}@${spec}`);
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(added.length ? `added ${added.length}: ${added.join(' ')}` : 'nothing to add');
