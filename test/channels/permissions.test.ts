import { startTestStack, type TestStack } from '../harness/stack';
import { uniqueHandle } from './helpers';
import { createChannelTeam, createRoleAccounts, runPermissionRow, statuses, type ChannelTeam, type PermissionRow, type RoleAccounts } from './roles';

/**
 * Every channel route × every role (test/channels/roles.ts): owner, admin with / without the
 * permission, subscriber, stranger, platform admin, anonymous. Content routes add their rows here.
 * Each status seen must also be documented in /openapi.json for the route.
 */
const ROWS: PermissionRow[] = [
  { method: 'POST', path: '/v1/channels', request: () => ({ url: '/v1/channels', body: { name: 'Table channel', handle: uniqueHandle('tbl') } }), expect: statuses(401, 201) },
  { method: 'GET', path: '/v1/channels', request: (t) => ({ url: `/v1/channels?owner=${t.owner.id}` }), expect: statuses(200, 200) },
  { method: 'GET', path: '/v1/channels/{id}', request: (t) => ({ url: `/v1/channels/${t.channel.id}` }), expect: statuses(200, 200) },
  { label: 'by handle', method: 'GET', path: '/v1/channels/{id}', request: (t) => ({ url: `/v1/channels/${t.channel.handle.toUpperCase()}` }), expect: statuses(200, 200) },
  {
    method: 'PATCH', path: '/v1/channels/{id}', permission: 'edit_channel',
    request: (t, role) => ({ url: `/v1/channels/${t.channel.id}`, body: { description: `edited by ${role}` } }),
    expect: statuses(401, 403, { adminWith: 200, owner: 200 }),
  },
  {
    method: 'DELETE', path: '/v1/channels/{id}', fresh: true,
    request: (t) => ({ url: `/v1/channels/${t.channel.id}` }),
    expect: statuses(401, 403, { owner: 202 }),
  },
  {
    method: 'PUT', path: '/v1/channels/{id}/admins/{accountId}',
    request: (t) => ({ url: `/v1/channels/${t.channel.id}/admins/${t.accounts.candidate.id}`, body: { permissions: ['moderate_comments'] } }),
    expect: statuses(401, 403, { owner: 200 }),
  },
  {
    method: 'GET', path: '/v1/channels/{id}/admins',
    request: (t) => ({ url: `/v1/channels/${t.channel.id}/admins` }),
    expect: statuses(401, 403, { adminWithout: 200, adminWith: 200, owner: 200 }),
  },
  {
    method: 'DELETE', path: '/v1/channels/{id}/admins/{accountId}',
    request: (t) => ({ url: `/v1/channels/${t.channel.id}/admins/${t.accounts.candidate.id}` }),
    expect: statuses(401, 403, { owner: 204 }),
  },
  {
    method: 'PUT', path: '/v1/channels/{id}/subscription', fresh: true,
    request: (t) => ({ url: `/v1/channels/${t.channel.id}/subscription`, body: { notify: true } }),
    expect: statuses(401, 200),
  },
  {
    method: 'DELETE', path: '/v1/channels/{id}/subscription', fresh: true,
    request: (t) => ({ url: `/v1/channels/${t.channel.id}/subscription` }),
    expect: statuses(401, 204),
  },
  // Contents (test/contents): drafts are the team's (404 to everyone else, platform admins included).
  {
    method: 'POST', path: '/v1/channels/{id}/contents', permission: 'add_content',
    request: (t, role) => ({ url: `/v1/channels/${t.channel.id}/contents`, body: { kind: 'video', title: `added by ${role}` } }),
    expect: statuses(401, 403, { adminWith: 201, owner: 201 }),
  },
  { method: 'GET', path: '/v1/channels/{id}/contents', request: (t) => ({ url: `/v1/channels/${t.channel.id}/contents?sort=oldest` }), expect: statuses(200, 200) },
  {
    label: 'a draft', method: 'GET', path: '/v1/contents/{id}',
    request: async (t) => ({ url: `/v1/contents/${await ownersDraft(t)}` }),
    expect: statuses(404, 404, { adminWithout: 200, adminWith: 200, owner: 200 }),
  },
  {
    label: 'a draft', method: 'PATCH', path: '/v1/contents/{id}', permission: 'edit_content',
    request: async (t, role) => ({ url: `/v1/contents/${await ownersDraft(t)}`, body: { title: `edited by ${role}` } }),
    expect: statuses(401, 404, { adminWithout: 403, adminWith: 200, owner: 200 }),
  },
  {
    label: 'a draft', method: 'DELETE', path: '/v1/contents/{id}', permission: 'delete_content',
    request: async (t) => ({ url: `/v1/contents/${await ownersDraft(t, true)}` }),
    expect: statuses(401, 404, { adminWithout: 403, adminWith: 202, owner: 202 }),
  },
  {
    // The permission is checked before a byte of the body is read: with the right one, a JSON body is then refused as not multipart.
    label: 'a draft', method: 'POST', path: '/v1/contents/{id}/media', permission: 'add_content',
    request: async (t) => ({ url: `/v1/contents/${await ownersDraft(t)}/media`, body: {} }),
    expect: statuses(401, 404, { adminWithout: 403, adminWith: 415, owner: 415 }),
  },
];

/** The suite's stack, for rows that set up what they act on. */
let rowsStack: TestStack | undefined;

/** A draft video of the team's channel, by its owner: one per team, or a new one each call (`fresh`, for deletions). */
const drafts = new Map<string, Promise<string>>();
function ownersDraft(team: ChannelTeam, fresh = false): Promise<string> {
  const create = async () => {
    const res = await rowsStack!.http.post(`/v1/channels/${team.channel.id}/contents`, { kind: 'video', title: 'Draft' }, { token: team.owner.token });
    if (res.status !== 201) throw new Error(`draft: ${res.status} ${res.text}`);
    return (res.body as { id: string }).id;
  };
  if (fresh) return create();
  if (!drafts.has(team.channel.id)) drafts.set(team.channel.id, create());
  return drafts.get(team.channel.id)!;
}

describe('channel permissions: every route × every role', () => {
  let stack: TestStack;
  let accounts: RoleAccounts;
  let shared: ChannelTeam;
  let openapi: Parameters<typeof runPermissionRow>[3];

  beforeAll(async () => {
    stack = await startTestStack();
    accounts = await createRoleAccounts(stack);
    shared = await createChannelTeam(stack, accounts);
    rowsStack = stack;
    openapi = (await stack.http.get('/openapi.json')).body;
  }, 120_000);
  afterAll(() => stack?.stop());

  it.each(ROWS.map((row) => [`${row.method} ${row.path}${row.permission ? ` (${row.permission})` : ''}${row.label ? ` ${row.label}` : ''}`, row] as const))('%s', async (_name, row) => {
    const team = row.fresh ? await createChannelTeam(stack, accounts) : shared;
    const { seen, expected, undocumented } = await runPermissionRow(stack, row, team, openapi);
    expect(seen).toEqual(expected);
    expect(undocumented).toEqual([]);
  });

  it('answers 404 on every channel-scoped route for a channel that does not exist (after 401 for anonymous)', async () => {
    const missing = 'chn_00000000000000000000000000000000';
    const token = accounts.stranger.token;
    const calls: [string, string, unknown?][] = [
      ['GET', `/v1/channels/${missing}`], ['PATCH', `/v1/channels/${missing}`, { name: 'x' }], ['DELETE', `/v1/channels/${missing}`],
      ['PUT', `/v1/channels/${missing}/admins/${accounts.candidate.id}`, { permissions: [] }], ['GET', `/v1/channels/${missing}/admins`],
      ['DELETE', `/v1/channels/${missing}/admins/${accounts.candidate.id}`], ['PUT', `/v1/channels/${missing}/subscription`], ['DELETE', `/v1/channels/${missing}/subscription`],
    ];
    const seen = [];
    for (const [method, url, body] of calls) seen.push([method, url, (await stack.http.request(method, url, { body, token })).status, (await stack.http.request(method, url, { body })).status]);
    expect(seen).toEqual(calls.map(([method, url]) => [method, url, 404, method === 'GET' && !url.endsWith('/admins') ? 404 : 401]));
  });
});
