import { createRoute, z } from '@hono/zod-openapi';
import type { CoreDeps } from '../../../platform/deps';
import { listChannelAdmins, putChannelAdmin, removeChannelAdmin } from '../../../stores/channels/admins';
import type { AppOpenAPI } from '../../app-types';
import { accountNames } from '../account-names';
import { requireAuth } from '../../middleware/auth';
import { problems } from '../../problem';
import { pageOf, problemResponses } from '../../schemas';
import { requireChannelPermission } from './access';
import { bearer, ChannelAdminInput, ChannelAdminSchema } from './schemas';

const AdminParams = z.object({ id: z.string().min(1).max(100).openapi({ description: 'The channel id.' }), accountId: z.string().min(1).max(100).openapi({ description: 'The admin account.' }) });

/** Channel admins: the owner alone grants and revokes; the team (owner and admins) sees the list. */
export function registerChannelAdminRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config } = deps;
  const auth = requireAuth(config.JWT_SECRET);

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/channels/{id}/admins/{accountId}',
      tags: ['channels'],
      summary: 'Make a subscriber an admin with exactly these permissions (the owner only)',
      description: 'The account must subscribe to the channel (else 422 naming `accountId`); an admin who unsubscribes loses the role. The owner holds every permission already and cannot be an admin.',
      security: bearer,
      middleware: [auth],
      request: { params: AdminParams, body: { required: true, content: { 'application/json': { schema: ChannelAdminInput } } } },
      responses: { 200: { description: 'The admin', content: { 'application/json': { schema: ChannelAdminSchema } } }, ...problemResponses(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const { id, accountId } = c.req.valid('param');
      const relation = await requireChannelPermission(db, id, c.get('principal'), 'manage_admins');
      if (accountId === relation.channel.ownerId) throw problems.field('accountId', 'the owner holds every permission already');
      const admin = await putChannelAdmin(db, id, accountId, c.req.valid('json').permissions);
      if (!admin) throw problems.field('accountId', 'must subscribe to the channel first');
      const nameOf = await accountNames(db, [admin.accountId]);
      return c.json({ ...admin, name: nameOf(admin.accountId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/channels/{id}/admins',
      tags: ['channels'],
      summary: "The channel's admins and their permissions (the owner and the admins)",
      security: bearer,
      middleware: [auth],
      request: { params: AdminParams.pick({ id: true }) },
      responses: { 200: { description: 'Every admin (one page: nextCursor is always null)', content: { 'application/json': { schema: pageOf(ChannelAdminSchema, 'ChannelAdminList') } } }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await requireChannelPermission(db, id, c.get('principal'), 'view_admins');
      const admins = await listChannelAdmins(db, id);
      const nameOf = await accountNames(db, admins.map((a) => a.accountId));
      return c.json({ items: admins.map((a) => ({ ...a, name: nameOf(a.accountId) })), nextCursor: null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/channels/{id}/admins/{accountId}',
      tags: ['channels'],
      summary: 'Take the admin role away (the owner only; idempotent)',
      security: bearer,
      middleware: [auth],
      request: { params: AdminParams },
      responses: { 204: { description: 'Not an admin (any more)' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id, accountId } = c.req.valid('param');
      await requireChannelPermission(db, id, c.get('principal'), 'manage_admins');
      await removeChannelAdmin(db, id, accountId);
      return c.body(null, 204);
    },
  );
}
