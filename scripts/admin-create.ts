/**
 * `npm run admin:create -- --email x --name y [--kind fan|talent]`: creates the first admin (or
 * makes an existing account admin). The password comes from ADMIN_PASSWORD, else a hidden prompt;
 * the account is active at once (no emailed code: whoever runs this has the database). The grant
 * is recorded with source `cli:admin-create`.
 */
import { parseArgs } from 'node:util';
import { hashPassword, passwordProblem, scryptParamsOf } from '../platform/passwords';
import { grantRole } from '../stores/accounts/roles';
import { findAccountByEmail, insertAccount, normalizeEmail } from '../stores/accounts/accounts';
import type { AccountKind } from '../domain/auth';
import { newId } from '../domain/ids';
import { loadConfig } from '../platform/config';
import { migrateLatest } from '../platform/db';
import { openScriptDatabase } from '../platform/script-database';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run admin:create -- --email admin@example.com --name "Ada Admin" [--kind fan|talent]\n(password from ADMIN_PASSWORD, else asked)`);
  process.exit(2);
}

/** Reads a line from the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    // Piped input: read the first line.
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) {
      chunks.push(chunk as Buffer);
      if (Buffer.concat(chunks).includes(10)) break;
    }
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  }
  process.stdout.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (key: string) => {
      for (const ch of key) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          return reject(new Error('cancelled'));
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string', default: 'fan' } } });
  if (!values.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) usage('--email is required and must be an email address');
  if (!values.name?.trim()) usage('--name is required');
  if (values.kind !== 'fan' && values.kind !== 'talent') usage('--kind must be fan or talent');
  const email = normalizeEmail(values.email);
  const kind = values.kind as AccountKind;

  const config = loadConfig();
  const database = await openScriptDatabase(config);
  const { db } = database;
  try {
    await migrateLatest(db);
    const existing = await findAccountByEmail(db, email);
    if (existing) {
      const roles = await grantRole(db, { accountId: existing.id, role: 'admin', source: 'cli:admin-create', reason: 'admin:create on an existing account' });
      console.log(JSON.stringify({ id: existing.id, email, status: existing.status, roles, created: false }));
      if (existing.status !== 'active') console.warn(`note: the account is ${existing.status}; it cannot log in until it is active.`);
      return;
    }
    const password = process.env.ADMIN_PASSWORD ?? (await promptHidden(`Password for ${email}: `));
    const problem = passwordProblem(password);
    if (problem) usage(`password ${problem}`);
    const passwordHash = await hashPassword(password, scryptParamsOf(config));
    const id = newId('acc');
    // The account and its admin grant land together or not at all.
    const roles = await db.transaction(async (trx) => {
      await insertAccount(trx, { id, email, name: values.name!.trim(), kind, status: 'active', passwordHash });
      return grantRole(trx, { accountId: id, role: 'admin', source: 'cli:admin-create', reason: 'first admin, created from the command line' });
    });
    console.log(JSON.stringify({ id, email, status: 'active', roles, created: true }));
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
