import { randomUUID } from 'node:crypto';
import { grantRole } from '../../stores/accounts/roles';
import type { AccountKind, Role } from '../../domain/auth';
import { newId } from '../../domain/ids';
import type { CoreDeps } from '../../platform/deps';
import { signAccessToken } from '../../platform/tokens';

export interface TestAccount {
  id: string;
  email: string;
  name: string;
  kind: AccountKind;
  roles: Role[];
  token: string;
}

/**
 * An active account written straight to the database, with a signed access token: for suites
 * that need a fan, a talent or an admin but are not testing signup itself.
 */
export async function createActiveAccount(deps: Pick<CoreDeps, 'db' | 'config'>, options: { kind?: AccountKind; roles?: Exclude<Role, 'normal'>[]; name?: string; email?: string } = {}): Promise<TestAccount> {
  const id = newId('acc');
  const kind = options.kind ?? 'fan';
  const name = options.name ?? `Test ${kind} ${id.slice(-6)}`;
  const email = (options.email ?? `${kind}-${randomUUID().slice(0, 8)}@example.test`).toLowerCase();
  await deps.db('accounts').insert({ id, email, name, kind, status: 'active', verified_at: deps.db.fn.now() });
  let roles: Role[] = ['normal'];
  for (const role of options.roles ?? []) roles = await grantRole(deps.db, { accountId: id, role, source: 'test', reason: 'test fixture' });
  const token = await signAccessToken(deps.config.JWT_SECRET, { accountId: id, roles, kind });
  return { id, email, name, kind, roles, token };
}
