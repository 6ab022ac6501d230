import { CHANNEL_PERMISSIONS, type ChannelPermission } from '../../domain/channels/permissions';
import { putChannelAdmin } from '../../stores/channels/admins';
import { subscribe } from '../../stores/channels/subscriptions';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import type { TestStack } from '../harness/stack';
import { createChannel } from './helpers';

/**
 * The roles of the permission table (test/channels/permissions.test.ts): who the caller is to one
 * channel. `adminWith` / `adminWithout` depend on the row's permission: an admin holding only that
 * permission, and an admin holding every other one; for rows without a grantable permission
 * (owner-only actions, public reads) they are an admin with every permission and one with none.
 */
export type ChannelRole = 'anonymous' | 'stranger' | 'subscriber' | 'platformAdmin' | 'adminWithout' | 'adminWith' | 'owner';

/** The order the table runs in: the owner last, so a destructive action (delete the channel) comes after every refusal. */
export const CHANNEL_ROLES: readonly ChannelRole[] = ['anonymous', 'stranger', 'subscriber', 'platformAdmin', 'adminWithout', 'adminWith', 'owner'];

/** Accounts shared by every team of a suite; each team has its own owner and channel. */
export interface RoleAccounts {
  stranger: TestAccount;
  subscriber: TestAccount;
  platformAdmin: TestAccount;
  /** A subscriber that rows may make an admin (PUT /admins/{accountId}) or act on. */
  candidate: TestAccount;
  /** Admins holding only that permission. */
  only: Record<ChannelPermission, TestAccount>;
  /** Admins holding every permission but that one. */
  allBut: Record<ChannelPermission, TestAccount>;
  allPermissions: TestAccount;
  noPermissions: TestAccount;
}

export async function createRoleAccounts(stack: TestStack): Promise<RoleAccounts> {
  const make = (name: string, roles: 'admin'[] = []) => createActiveAccount(stack.deps, { name, roles });
  const only = {} as Record<ChannelPermission, TestAccount>;
  const allBut = {} as Record<ChannelPermission, TestAccount>;
  for (const p of CHANNEL_PERMISSIONS) {
    only[p] = await make(`admin only ${p}`);
    allBut[p] = await make(`admin all but ${p}`);
  }
  return {
    stranger: await make('stranger'),
    subscriber: await make('subscriber'),
    platformAdmin: await make('platform admin', ['admin']),
    candidate: await make('candidate'),
    only,
    allBut,
    allPermissions: await make('admin with all'),
    noPermissions: await make('admin with none'),
  };
}

/** One channel with its whole cast: a fresh owner, the subscribers and the admins of `accounts`. */
export interface ChannelTeam {
  accounts: RoleAccounts;
  owner: TestAccount;
  channel: { id: string; handle: string };
}

export async function createChannelTeam(stack: TestStack, accounts: RoleAccounts): Promise<ChannelTeam> {
  const owner = await createActiveAccount(stack.deps, { name: 'owner' });
  const channel = await createChannel(stack, owner);
  const { db } = stack.deps;
  const admins: [TestAccount, ChannelPermission[]][] = [
    [accounts.allPermissions, [...CHANNEL_PERMISSIONS]],
    [accounts.noPermissions, []],
    ...CHANNEL_PERMISSIONS.flatMap((p): [TestAccount, ChannelPermission[]][] => [
      [accounts.only[p], [p]],
      [accounts.allBut[p], CHANNEL_PERMISSIONS.filter((q) => q !== p)],
    ]),
  ];
  for (const account of [accounts.subscriber, accounts.candidate, ...admins.map(([a]) => a)]) await subscribe(db, channel.id, account.id, false);
  for (const [account, permissions] of admins) {
    if (!(await putChannelAdmin(db, channel.id, account.id, permissions))) throw new Error('fixture admin was not subscribed');
  }
  return { accounts, owner, channel: { id: channel.id, handle: channel.handle } };
}

/** The caller playing `role` on the team's channel for a row needing `permission` (undefined: anonymous). */
export function callerOf(team: ChannelTeam, role: ChannelRole, permission?: ChannelPermission): TestAccount | undefined {
  const a = team.accounts;
  switch (role) {
    case 'anonymous':
      return undefined;
    case 'stranger':
      return a.stranger;
    case 'subscriber':
      return a.subscriber;
    case 'platformAdmin':
      return a.platformAdmin;
    case 'adminWith':
      return permission ? a.only[permission] : a.allPermissions;
    case 'adminWithout':
      return permission ? a.allBut[permission] : a.noPermissions;
    case 'owner':
      return team.owner;
  }
}

/** One route of the permission table. */
export interface PermissionRow {
  /** Tells two rows of one route apart in the test names ("by handle"). */
  label?: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path (its answers must document every status the table sees). */
  path: string;
  /** The grantable permission the route needs, if any: picks adminWith / adminWithout. */
  permission?: ChannelPermission;
  /** The row changes who is who (subscribes, deletes the channel): it gets a team of its own. */
  fresh?: boolean;
  /** The concrete request for the team (and the role, for rows whose body depends on it). */
  request: (team: ChannelTeam, role: ChannelRole) => { url: string; body?: unknown } | Promise<{ url: string; body?: unknown }>;
  expect: Record<ChannelRole, number>;
}

/** Shorthand for `expect`: `anonymous` and then one status for everyone else, overridden per role. */
export function statuses(anonymous: number, others: number, overrides: Partial<Record<ChannelRole, number>> = {}): Record<ChannelRole, number> {
  return { anonymous, stranger: others, subscriber: others, platformAdmin: others, adminWithout: others, adminWith: others, owner: others, ...overrides };
}

/**
 * Runs one row for every role, in CHANNEL_ROLES order, against real HTTP. Answers what happened and
 * what was expected (compare them whole: a failure shows every role at once), plus the statuses
 * the OpenAPI document does not list for the route.
 */
export async function runPermissionRow(stack: TestStack, row: PermissionRow, team: ChannelTeam, openapi: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }) {
  const seen: Record<string, number> = {};
  const expected: Record<string, number> = {};
  const undocumented: string[] = [];
  const documented = openapi.paths[row.path]?.[row.method.toLowerCase()]?.responses ?? {};
  for (const role of CHANNEL_ROLES) {
    const { url, body } = await row.request(team, role);
    const caller = callerOf(team, role, row.permission);
    const res = await stack.http.request(row.method, url, { body, token: caller?.token });
    seen[role] = res.status;
    expected[role] = row.expect[role];
    if (!(String(res.status) in documented)) undocumented.push(`${role}: ${res.status}`);
  }
  return { seen, expected, undocumented };
}
