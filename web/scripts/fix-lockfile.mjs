// The npm registry this project installs from lacks some other platforms' optional packages (vite's
// napi-windows-process-start-time answers 404), so `npm install` leaves them out of web/package-lock.json
// and `npm ci` then refuses the lock as out of sync. This adds an entry for each missing optional
// package, with the os/cpu its name declares, so `npm ci` recognises it and skips it where it does not
// fit (as scripts/fix-lockfile.ts does for the root lock). Run after changing web/'s dependencies:
//   node web/scripts/fix-lockfile.mjs
import fs from 'node:fs';

const OS = { darwin: 'darwin', win32: 'win32', windows: 'win32', linux: 'linux', freebsd: 'freebsd', android: 'android', sunos: 'sunos', aix: 'aix', netbsd: 'netbsd', openbsd: 'openbsd' };
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'];

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const added = [];
for (const [where, pkg] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    if (lock.packages[`${where ? where + '/' : ''}node_modules/${name}`] || lock.packages[`node_modules/${name}`]) continue;
    const version = /^[\^~]?(\d+\.\d+\.\d+(-[\w.]+)?)$/.exec(spec)?.[1];
    if (!version) {
      console.warn(`skipped ${name}@${spec}: not a plain version range`);
      continue;
    }
    const tokens = name.split('/').pop().split('-');
    const entry = { version, optional: true };
    const os = [...new Set(tokens.filter((t) => t in OS).map((t) => OS[t]))];
    const cpu = tokens.filter((t) => CPU.includes(t));
    if (os.length) entry.os = os;
    if (cpu.length) entry.cpu = cpu;
    lock.packages[`node_modules/${name}`] = entry;
    added.push(`${name}@${version}`);
  }
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(added.length ? `added ${added.join(', ')}` : 'nothing missing');
