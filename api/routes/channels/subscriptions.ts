import { createRoute } from '@hono/zod-openapi';
import type { CoreDeps } from '../../../platform/deps';
import { subscribe, unsubscribe } from '../../../stores/channels/subscriptions';
import type { AppOpenAPI } from '../../app-types';
import { emptyJsonBodyIsAbsent } from '../../middleware/empty-json-body';
import { requireAuth } from '../../middleware/auth';
import { problems } from '../../problem';
import { problemResponses } from '../../schemas';
import { recordSubscriptionChange } from '../engagement/fields';
import { bearer, ChannelIdParam, ChannelSubscriptionInput, ChannelSubscriptionSchema } from './schemas';

/** The caller's subscription to a channel: any signed-in account may subscribe. */
export function registerChannelSubscriptionRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config } = deps;
  const auth = requireAuth(config.JWT_SECRET);

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/channels/{id}/subscription',
      tags: ['channels'],
      summary: 'Subscribe to a channel (idempotent; notify defaults to false, and a repeat sets it)',
      description: 'The first subscription adds one to the channel\'s subscriberCount; repeating it changes only `notify`.',
      security: bearer,
      middleware: [auth, emptyJsonBodyIsAbsent],
      request: { params: ChannelIdParam, body: { required: false, content: { 'application/json': { schema: ChannelSubscriptionInput } } } },
      responses: { 200: { description: 'Subscribed', content: { 'application/json': { schema: ChannelSubscriptionSchema } } }, ...problemResponses(400, 401, 404, 503) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const body = (c.req.valid('json') as { notify?: boolean } | undefined) ?? {};
      // The channel's check is inside the statement (a missing or deleted channel: undefined).
      const result = await subscribe(db, id, principal.accountId, body.notify ?? false);
      if (!result) throw problems.notFound('The channel');
      if (result.created) await recordSubscriptionChange(deps, id, principal.accountId);
      return c.json(result.subscription, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/channels/{id}/subscription',
      tags: ['channels'],
      summary: 'Unsubscribe (idempotent); an admin who unsubscribes loses the admin role',
      security: bearer,
      middleware: [auth],
      request: { params: ChannelIdParam },
      responses: { 204: { description: 'Not subscribed (any more)' }, ...problemResponses(401, 404, 503) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const removed = await unsubscribe(db, id, principal.accountId);
      if (removed === undefined) throw problems.notFound('The channel');
      if (removed) await recordSubscriptionChange(deps, id, principal.accountId);
      return c.body(null, 204);
    },
  );
}
