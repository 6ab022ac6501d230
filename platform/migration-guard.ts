/**
 * Expand/contract guard of the migration runner. A migration that drops, renames or narrows what the
 * running version of the code still uses (a "contract" step) breaks the old pods of a rolling deploy
 * and destroys data; it must come one release after the code stopped using it, and it runs only
 * with an explicit flag (`npm run migrate -- --allow-destructive`). See CONTRIBUTING.md.
 *
 * The check reads the source of each pending migration's `up` and looks for destructive statements
 * (knex schema builder calls and raw SQL). A database with no migration applied yet (a fresh
 * install: no data, no old version running) is not guarded.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';

const PATTERNS: { what: string; re: RegExp }[] = [
  { what: 'drops a table', re: /\.dropTable(IfExists)?\s*\(|\bdrop\s+table\b/i },
  { what: 'drops a column', re: /\.dropColumns?\s*\(|\bdrop\s+column\b/i },
  { what: 'renames a column or table', re: /\.rename(Column|Table)\s*\(|\brename\s+(column\b|to\b)/i },
  { what: 'drops a schema, view or type', re: /\.dropSchema(IfExists)?\s*\(|\bdrop\s+(schema|view|materialized\s+view|type)\b/i },
  { what: 'changes a column type', re: /\.alter\s*\(\s*\)|\balter\s+column\s+"?\w+"?\s+(set\s+data\s+)?type\b/i },
  { what: 'makes a column NOT NULL', re: /\.dropNullable\s*\(|\bset\s+not\s+null\b/i },
  { what: 'deletes rows', re: /\.truncate\s*\(|\.del(ete)?\s*\(|[`'"]\s*truncate\b|\bdelete\s+from\b/i },
];

/** The body of `up` (up to `down`), comments removed. */
function upSource(source: string): string {
  const start = source.search(/export\s+(async\s+)?function\s+up\b|export\s+const\s+up\b|\bup\s*:\s*(async\s*)?\(/);
  if (start < 0) return '';
  const rest = source.slice(start);
  const end = rest.search(/export\s+(async\s+)?function\s+down\b|export\s+const\s+down\b|\bdown\s*:\s*(async\s*)?\(/);
  return (end < 0 ? rest : rest.slice(0, end)).replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

/** What is destructive in a migration's `up`, one line per finding (`<what>: <source line>`). */
export function destructiveStatements(source: string): string[] {
  const found: string[] = [];
  for (const line of upSource(source).split('\n')) {
    for (const { what, re } of PATTERNS) if (re.test(line)) found.push(`${what}: ${line.trim()}`);
  }
  return found;
}

export class DestructiveMigrationError extends Error {
  constructor(readonly findings: { file: string; statements: string[] }[]) {
    super(
      `refusing to run destructive (contract) migrations without --allow-destructive:\n` +
        findings.map((f) => `  ${f.file}\n${f.statements.map((s) => `    - ${s}`).join('\n')}`).join('\n') +
        `\nRun contract steps only once no deployed version uses what they remove (CONTRIBUTING.md, "Migrations: expand/contract").`,
    );
  }
}

/** Throws DestructiveMigrationError when a pending migration is destructive and the database is not fresh. */
export async function guardPendingMigrations(db: Knex, config: Knex.MigratorConfig, options: { allowDestructive?: boolean } = {}): Promise<void> {
  if (options.allowDestructive) return;
  const [completed, pending] = (await db.migrate.list(config)) as [unknown[], { file: string; directory: string }[]];
  if (completed.length === 0) return;
  const findings: { file: string; statements: string[] }[] = [];
  for (const m of pending) {
    const file = path.join(m.directory, m.file);
    const statements = destructiveStatements(fs.readFileSync(file, 'utf8'));
    if (statements.length) findings.push({ file: m.file, statements });
  }
  if (findings.length) throw new DestructiveMigrationError(findings);
}
