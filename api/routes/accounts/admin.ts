import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { grantRole, roleHistory, revokeRoleFromSources } from '../../../stores/accounts/roles';
import { accountView, deactivateAccount, findAccount, type AccountRow } from '../../../stores/accounts/accounts';
import type { CoreDeps } from '../../../platform/deps';
import { accountPurge } from '../../../workflows/accounts';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth, requireRole } from '../../middleware/auth';
import { problems } from '../../problem';
import { problemResponses } from '../../schemas';
import { AccountSchema, bearer } from './schemas';

export const purgeWorkflowId = (accountId: string) => `account-purge-${accountId}`;

const AccountId = z.object({ id: z.string().min(1).max(100) });

export function registerAdminAccountRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, temporal, config } = deps;
  const adminOnly = [requireAuth(config.JWT_SECRET), requireRole('admin')];

  const deactivate = createRoute({
    method: 'post',
    path: '/v1/admin/accounts/{id}/deactivate',
    tags: ['admin'],
    summary: 'Deactivate an account: it can no longer log in, its sessions end, and it is purged after the retention period',
    security: bearer,
    middleware: adminOnly,
    request: { params: AccountId },
    responses: {
      200: { description: 'Deactivated', content: { 'application/json': { schema: AccountSchema.extend({ purgeAfter: z.string() }).openapi('DeactivatedAccount') } } },
      ...problemResponses(401, 403, 404, 422),
    },
  });

  const changeRole = createRoute({
    method: 'post',
    path: '/v1/admin/accounts/{id}/roles',
    tags: ['admin'],
    summary: 'Grant or revoke admin/premium by hand (recorded with its reason; subscription grants are left to subscriptions)',
    security: bearer,
    middleware: adminOnly,
    request: {
      params: AccountId,
      body: { required: true, content: { 'application/json': { schema: z.object({ role: z.enum(['admin', 'premium']), action: z.enum(['grant', 'revoke']), reason: z.string().trim().min(1).max(500) }) } } },
    },
    responses: {
      200: { description: 'The roles after the change', content: { 'application/json': { schema: z.object({ id: z.string(), roles: z.array(z.string()) }).openapi('AccountRoles') } } },
      ...problemResponses(400, 401, 403, 404, 422),
    },
  });

  const listGrants = createRoute({
    method: 'get',
    path: '/v1/admin/accounts/{id}/roles',
    tags: ['admin'],
    summary: 'The roles of an account and every grant and revocation behind them',
    security: bearer,
    middleware: adminOnly,
    request: { params: AccountId },
    responses: {
      200: {
        description: 'Roles and grant history',
        content: {
          'application/json': {
            schema: z
              .object({
                id: z.string(),
                roles: z.array(z.string()),
                grants: z.array(z.object({ role: z.string(), source: z.string(), reason: z.string(), grantedAt: z.string(), revokedAt: z.string().nullable(), revokeReason: z.string().nullable() })),
              })
              .openapi('RoleGrants'),
          },
        },
      },
      ...problemResponses(401, 403, 404),
    },
  });

  const mustExist = async (id: string): Promise<AccountRow> => {
    const account = await findAccount(db, id);
    if (!account) throw problems.notFound(`Account ${id}`);
    return account;
  };

  app.openapi(deactivate, async (c) => {
    const { id } = c.req.valid('param');
    const admin = c.get('principal');
    if (id === admin.accountId) throw problems.field('id', 'an admin cannot deactivate their own account');
    await mustExist(id);
    // Idempotent: deactivating again keeps the first deactivation time (and so the purge date).
    await deactivateAccount(db, id);
    const account = await mustExist(id);
    const deactivatedAt = account.deactivated_at ?? new Date();
    const retentionMs = Math.max(0, deactivatedAt.getTime() + config.DEACTIVATED_RETENTION - Date.now());
    try {
      await temporal.workflow.start(accountPurge, { taskQueue: config.TASK_QUEUE, workflowId: purgeWorkflowId(id), args: [{ accountId: id, retentionMs }] });
    } catch (error) {
      // A repeated deactivation finds the purge already scheduled.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return c.json({ ...accountView(account), purgeAfter: new Date(deactivatedAt.getTime() + config.DEACTIVATED_RETENTION).toISOString() }, 200);
  });

  app.openapi(changeRole, async (c) => {
    const { id } = c.req.valid('param');
    const { role, action, reason } = c.req.valid('json');
    const admin = c.get('principal');
    await mustExist(id);
    if (action === 'revoke' && role === 'admin' && id === admin.accountId) throw problems.field('id', 'an admin cannot revoke their own admin role');
    const roles =
      action === 'grant'
        ? await grantRole(db, { accountId: id, role, source: `admin:${admin.accountId}`, reason })
        : await revokeRoleFromSources(db, { accountId: id, role, sourcePrefixes: ['admin:', 'cli:'], reason: `${reason} (by admin:${admin.accountId})` });
    return c.json({ id, roles }, 200);
  });

  app.openapi(listGrants, async (c) => {
    const { id } = c.req.valid('param');
    const account = await mustExist(id);
    const history = await roleHistory(db, id);
    return c.json(
      {
        id,
        roles: account.roles,
        grants: history.map((g) => ({ role: g.role, source: g.source, reason: g.reason, grantedAt: g.granted_at.toISOString(), revokedAt: g.revoked_at?.toISOString() ?? null, revokeReason: g.revoke_reason })),
      },
      200,
    );
  });
}
