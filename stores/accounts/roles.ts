import type { Role } from '../../domain/auth';
import type { Db } from '../../platform/db';

/**
 * Roles derive from live grants: an account holds a role while at least one source grants it
 * (two subscriptions granting premium: ending one keeps premium). With no grant it is `normal`.
 * Every grant and revocation is kept with its reason.
 */
export interface RoleChange {
  accountId: string;
  role: Exclude<Role, 'normal'>;
  /** Who grants it: `subscription:<id>`, `admin:<accountId>`, `cli:admin-create`. */
  source: string;
  reason: string;
}

export async function grantRole(db: Db, change: RoleChange): Promise<Role[]> {
  return db.transaction(async (trx) => {
    await trx.raw(`select 1 from accounts where id = ? for update`, [change.accountId]);
    await trx.raw(
      `insert into role_grants (account_id, role, source, reason) values (?, ?, ?, ?) on conflict (account_id, role, source) where revoked_at is null do nothing`,
      [change.accountId, change.role, change.source, change.reason],
    );
    return refreshRoles(trx, change.accountId);
  });
}

export async function revokeRole(db: Db, change: RoleChange): Promise<Role[]> {
  return db.transaction(async (trx) => {
    await trx.raw(`select 1 from accounts where id = ? for update`, [change.accountId]);
    await trx('role_grants').where({ account_id: change.accountId, role: change.role, source: change.source }).whereNull('revoked_at').update({ revoked_at: trx.fn.now(), revoke_reason: change.reason });
    return refreshRoles(trx, change.accountId);
  });
}

/** Recomputes accounts.roles from the live grants. */
async function refreshRoles(db: Db, accountId: string): Promise<Role[]> {
  const rows: { role: Role }[] = await db('role_grants').distinct('role').where({ account_id: accountId }).whereNull('revoked_at');
  const order: Role[] = ['admin', 'premium'];
  const granted = order.filter((r) => rows.some((row) => row.role === r));
  const roles: Role[] = granted.length ? granted : ['normal'];
  await db('accounts').where({ id: accountId }).update({ roles, updated_at: db.fn.now() });
  return roles;
}

export async function rolesOf(db: Db, accountId: string): Promise<Role[]> {
  const row = await db('accounts').where({ id: accountId }).first('roles');
  return (row?.roles as Role[] | undefined) ?? [];
}

/** A row of `role_grants`: one grant, live until revoked. */
export interface RoleGrantRow {
  id: number;
  account_id: string;
  role: Exclude<Role, 'normal'>;
  source: string;
  reason: string;
  granted_at: Date;
  revoked_at: Date | null;
  revoke_reason: string | null;
}

/** Every grant and revocation of an account, in the order they were made. */
export async function roleHistory(db: Db, accountId: string): Promise<RoleGrantRow[]> {
  return db('role_grants').where({ account_id: accountId }).orderBy('id');
}

/**
 * Revokes `role` from every live grant whose source starts with one of `sourcePrefixes` (e.g. an
 * admin taking back what any admin or the CLI granted, while grants owned by subscriptions stay
 * with their subscriptions). One transaction: the roles are recomputed once.
 */
export async function revokeRoleFromSources(db: Db, change: Omit<RoleChange, 'source'> & { sourcePrefixes: string[] }): Promise<Role[]> {
  return db.transaction(async (trx) => {
    await trx.raw(`select 1 from accounts where id = ? for update`, [change.accountId]);
    await trx('role_grants')
      .where({ account_id: change.accountId, role: change.role })
      .whereNull('revoked_at')
      .andWhere((q) => {
        for (const prefix of change.sourcePrefixes) q.orWhere('source', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`);
      })
      .update({ revoked_at: trx.fn.now(), revoke_reason: change.reason });
    return refreshRoles(trx, change.accountId);
  });
}
