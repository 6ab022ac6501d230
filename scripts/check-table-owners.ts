/**
 * `npm run lint` (after eslint): every table has exactly one owner (stores/owners.ts) and no code
 * outside that owner's folder names it in a query. Checks the tables the migrations create against
 * the map, then scans the source folders for knex calls (`db('t')`, `.join('t as x')`, …) and SQL
 * text (`from t`, `join t`, `into t`, `update t`) naming a table. Tests, benches and migrations
 * may read anything (they verify ground truth and shape the schema).
 *
 *   npx tsx scripts/check-table-owners.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { TABLE_OWNERS } from '../stores/owners';

const ROOT = path.resolve(__dirname, '..');
const SCANNED = ['api', 'activities', 'capabilities', 'domain', 'platform', 'providers', 'scripts', 'stores', 'workers', 'workflows'];

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Tables the migrations create. */
export function migratedTables(): string[] {
  const tables = new Set<string>();
  for (const file of filesUnder(path.join(ROOT, 'migrations'))) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/createTable\(\s*'([a-z_0-9]+)'/g)) tables.add(match[1]);
  }
  return [...tables].sort();
}

/** Code without comments, so prose ("read from accounts") is not taken for SQL. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

export function violations(): string[] {
  const problems: string[] = [];
  const migrated = migratedTables();
  for (const table of migrated) if (!TABLE_OWNERS[table]) problems.push(`table ${table} has no owner in stores/owners.ts`);
  for (const table of Object.keys(TABLE_OWNERS)) if (!migrated.includes(table)) problems.push(`stores/owners.ts names ${table}, which no migration creates`);

  const tables = Object.keys(TABLE_OWNERS).join('|');
  const knexCall = new RegExp(`(?:\\b(?:db|trx|knex)|\\.(?:from|join|leftJoin|innerJoin|rightJoin|into|table|with|update))\\s*(?:<[^>()]*>)?\\(\\s*['"\`](${tables})(?:\\s+as\\s+\\w+)?['"\`]`, 'g');
  const sqlText = new RegExp(`\\b(?:from|join|into|update|table)\\s+"?(${tables})"?\\b`, 'gi');
  for (const file of SCANNED.flatMap((dir) => filesUnder(path.join(ROOT, dir)))) {
    const rel = path.relative(ROOT, file);
    const code = stripComments(fs.readFileSync(file, 'utf8'));
    const named = new Set<string>();
    for (const match of code.matchAll(knexCall)) named.add(match[1]);
    for (const match of code.matchAll(sqlText)) named.add(match[1].toLowerCase());
    for (const table of named) {
      const owner = TABLE_OWNERS[table];
      if (owner && !rel.startsWith(`${owner}/`)) problems.push(`${rel} queries ${table}, which ${owner}/ owns: call a function of ${owner} instead`);
    }
  }
  return problems;
}

if (require.main === module) {
  const problems = violations();
  if (problems.length) {
    console.error(`table ownership (stores/owners.ts):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`table ownership: ${Object.keys(TABLE_OWNERS).length} tables, each with one owner`);
}
