import type { AccountKind, Role } from '../../domain/auth';
import { isForeignKeyViolation, type Db } from '../../platform/db';
import { revokeAllRefreshTokens } from './refresh-tokens';

export type AccountStatus = 'pending_verification' | 'active' | 'deactivated';

export interface AccountRow {
  id: string;
  email: string;
  name: string;
  kind: AccountKind;
  status: AccountStatus;
  roles: Role[];
  password_hash: string | null;
  created_at: Date;
  updated_at: Date;
  verified_at: Date | null;
  deactivated_at: Date | null;
}

/** The account as the API shows it (never the password hash). */
export interface AccountView {
  id: string;
  email: string;
  name: string;
  kind: AccountKind;
  status: AccountStatus;
  roles: Role[];
  createdAt: string;
  verifiedAt: string | null;
  deactivatedAt: string | null;
}

/** Emails are compared and stored trimmed and lower-cased (the table enforces lower case). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function accountView(row: AccountRow): AccountView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    kind: row.kind,
    status: row.status,
    roles: row.roles,
    createdAt: row.created_at.toISOString(),
    verifiedAt: row.verified_at?.toISOString() ?? null,
    deactivatedAt: row.deactivated_at?.toISOString() ?? null,
  };
}

export async function findAccountByEmail(db: Db, email: string): Promise<AccountRow | undefined> {
  return db('accounts').where({ email: normalizeEmail(email) }).first();
}

/** One account by id (also inside another capability's transaction: a `Knex.Transaction` is a Db). */
export async function findAccount(db: Db, id: string): Promise<AccountRow | undefined> {
  return db('accounts').where({ id }).first();
}

/** Several accounts by id (missing ids are simply absent), for lists that show their people. */
export async function findAccounts(db: Db, ids: readonly string[]): Promise<AccountRow[]> {
  if (ids.length === 0) return [];
  return db('accounts').whereIn('id', [...new Set(ids)]);
}

/** Where to reach an account: its email, and the name to greet it by. */
export interface AccountContact {
  email: string;
  name: string;
}

/**
 * The contacts of several accounts, keyed by account id, so other capabilities can address mail
 * (payouts, split notices, price-change notices) without reading the accounts table themselves.
 */
export async function accountContacts(db: Db, ids: readonly string[]): Promise<Map<string, AccountContact>> {
  if (ids.length === 0) return new Map();
  const rows: { id: string; email: string; name: string }[] = await db('accounts').whereIn('id', [...new Set(ids)]).select('id', 'email', 'name');
  return new Map(rows.map((r) => [r.id, { email: r.email, name: r.name }]));
}

/** The email of one account, if it exists. */
export async function accountEmail(db: Db, id: string): Promise<string | undefined> {
  const row = await db('accounts').where({ id }).first('email');
  return row?.email as string | undefined;
}

/** Emails of active admins, oldest accounts first (who is told about alerts that need a person). */
export async function activeAdminEmails(db: Db, limit = 20): Promise<string[]> {
  return db('accounts').whereRaw(`'admin' = any(roles)`).andWhere({ status: 'active' }).orderBy('created_at').limit(limit).pluck('email');
}

export interface NewAccount {
  id: string;
  email: string;
  name: string;
  kind: AccountKind;
  /** Signups start pending; accounts made by an operator (CLI, test fixtures) start active and verified. */
  status: Exclude<AccountStatus, 'deactivated'>;
  passwordHash: string | null;
}

/**
 * Writes a new account. The unique index on the email decides between two racing signups: the
 * loser gets a unique violation (the caller maps it with `isUniqueViolation`).
 */
export async function insertAccount(db: Db, account: NewAccount): Promise<void> {
  await db('accounts').insert({
    id: account.id,
    email: normalizeEmail(account.email),
    name: account.name,
    kind: account.kind,
    status: account.status,
    password_hash: account.passwordHash,
    verified_at: account.status === 'active' ? db.fn.now() : null,
  });
}

/**
 * Deletes the account only while it is still unverified (a signup whose workflow never started,
 * or whose deadline passed): the email becomes free again. Answers whether a row went.
 */
export async function deletePendingAccount(db: Db, id: string): Promise<boolean> {
  const deleted = await db('accounts').where({ id, status: 'pending_verification' }).delete();
  return deleted > 0;
}

/** pending_verification → active; answers the status the account ends in (idempotent), undefined if it does not exist. */
export async function activateAccount(db: Db, id: string): Promise<AccountStatus | undefined> {
  await db('accounts').where({ id, status: 'pending_verification' }).update({ status: 'active', verified_at: db.fn.now(), updated_at: db.fn.now() });
  const row = await db('accounts').where({ id }).first('status');
  return row?.status as AccountStatus | undefined;
}

/**
 * Deactivates the account and ends every session, together. Idempotent: deactivating again keeps
 * the first deactivation time (and so the purge date).
 */
export async function deactivateAccount(db: Db, id: string): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('accounts').where({ id }).whereNot({ status: 'deactivated' }).update({ status: 'deactivated', deactivated_at: trx.fn.now(), updated_at: trx.fn.now() });
    await revokeAllRefreshTokens(trx, id, 'account-deactivated');
  });
}

/**
 * Purges a deactivated account; a reactivated one stays (undefined). Without business records the
 * row goes (grants and refresh tokens cascade). Orders, subscriptions and splits must outlive it
 * (money was moved), so when a foreign key still references it the account is anonymised instead:
 * personal data scrubbed, the email freed, sessions gone.
 */
export async function purgeDeactivatedAccount(db: Db, id: string): Promise<'deleted' | 'anonymized' | undefined> {
  try {
    const deleted = await db('accounts').where({ id, status: 'deactivated' }).delete();
    return deleted ? 'deleted' : undefined;
  } catch (error) {
    if (!isForeignKeyViolation(error)) throw error;
  }
  const anonymized = await db.transaction(async (trx) => {
    const n = await trx('accounts')
      .where({ id, status: 'deactivated' })
      .update({ email: `purged+${id}@purged.invalid`, name: 'Deleted account', password_hash: null, updated_at: trx.fn.now() });
    if (n) await trx('refresh_tokens').where({ account_id: id }).delete();
    return n;
  });
  return anonymized ? 'anonymized' : undefined;
}
