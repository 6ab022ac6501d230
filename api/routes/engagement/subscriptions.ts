import { createRoute, z } from '@hono/zod-openapi';
import { readUnsubscribeToken } from '../../../domain/engagement/unsubscribe';
import type { CoreDeps } from '../../../platform/deps';
import { listAccountSubscriptions, listChannelSubscribers, turnNotificationsOff } from '../../../stores/channels/engagement';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth } from '../../middleware/auth';
import { problems } from '../../problem';
import { PageQuery, problemResponses } from '../../schemas';
import { accountNames } from '../account-names';
import { requireChannelPermission } from '../channels/access';
import { bearer, ChannelIdParam, json, SubscriberPage, SubscriptionPage } from './schemas';

/**
 * Subscription lists, and the unsubscribe link of upload notification mails. The membership rows
 * are the channels store's (read at once); the subscriber counter is recounted by the flush.
 */
export function registerSubscriptionListRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config } = deps;
  const auth = requireAuth(config.JWT_SECRET);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/channel-subscriptions',
      tags: ['engagement'],
      summary: 'The channels I subscribe to, newest first',
      security: bearer,
      middleware: [auth],
      request: { query: PageQuery },
      responses: { 200: { description: 'One page', content: json(SubscriptionPage) }, ...problemResponses(400, 401) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await listAccountSubscriptions(db, c.get('principal').accountId, query.limit, query.cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/channels/{id}/subscribers',
      tags: ['engagement'],
      summary: "A channel's subscribers, newest first (its owner and admins)",
      security: bearer,
      middleware: [auth],
      request: { params: ChannelIdParam, query: PageQuery },
      responses: { 200: { description: 'One page, each subscriber with their display name', content: json(SubscriberPage) }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      await requireChannelPermission(db, id, c.get('principal'), 'view_admins');
      const page = await listChannelSubscribers(db, id, query.limit, query.cursor);
      const nameOf = await accountNames(db, page.items.map((s) => s.accountId));
      return c.json({ ...page, items: page.items.map((s) => ({ ...s, name: nameOf(s.accountId) })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/notifications/unsubscribe',
      tags: ['engagement'],
      summary: "The unsubscribe link of an upload notification: turns that channel's notifications off (no sign-in; the token is signed)",
      request: { query: z.object({ token: z.string().min(1).max(500) }) },
      responses: { 200: { description: 'Notifications off', content: json(z.object({ channelId: z.string(), notify: z.literal(false) }).openapi('NotificationsOff')) }, ...problemResponses(400, 404) },
    }),
    async (c) => {
      const target = readUnsubscribeToken(config.JWT_SECRET, c.req.valid('query').token);
      if (!target) throw problems.badRequest('token: not an unsubscribe link of ours', [{ field: 'token', message: 'invalid' }]);
      await turnNotificationsOff(db, target.channelId, target.accountId);
      return c.json({ channelId: target.channelId, notify: false as const }, 200);
    },
  );
}
