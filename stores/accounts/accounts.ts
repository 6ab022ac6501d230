import type { AccountKind, Role } from '../../domain/auth';
import type { Db } from '../../platform/db';

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

export async function findAccount(db: Db, id: string): Promise<AccountRow | undefined> {
  return db('accounts').where({ id }).first();
}

