import { createRoute, z } from '@hono/zod-openapi';
import { CHANNEL_ID_PREFIX } from '../../../domain/channels/handles';
import { channelDeletionWorkflowId, type ChannelDeletionInput } from '../../../domain/channels/deletion';
import { channelLimitFor } from '../../../domain/channels/limits';
import { newId } from '../../../domain/ids';
import type { CoreDeps } from '../../../platform/deps';
import { recordThenStart } from '../../../platform/record-then-start';
import { findAccount } from '../../../stores/accounts/accounts';
import { createChannelWithinLimit, findChannel, listChannels, markChannelDeleted, unmarkChannelDeleted, updateChannel } from '../../../stores/channels/channels';
import { channelDeletion } from '../../../workflows/channels/deletion';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth } from '../../middleware/auth';
import { ProblemError, problems } from '../../problem';
import { IdempotencyKeyHeader, pageOf, PageQuery, problemResponses } from '../../schemas';
import { requireChannelPermission } from './access';
import { bearer, ChannelDeletionAccepted, ChannelIdParam, ChannelInput, ChannelPatch, ChannelSchema } from './schemas';

const handleTaken = (handle: string) => new ProblemError(409, 'conflict', `The handle ${handle} is taken.`, [{ field: 'handle', message: 'already taken (handles are compared case-insensitively)' }]);

export function registerChannelRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config, temporal } = deps;
  const auth = requireAuth(config.JWT_SECRET);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/channels',
      tags: ['channels'],
      summary: 'Create a channel (verified accounts; the caller owns it)',
      description:
        'Limits by role, read from the account at the time of the request: `normal` up to CHANNELS_MAX_NORMAL (5), `premium` (an active subscription) up to ' +
        'CHANNELS_MAX_PREMIUM (10), `admin` unlimited. Over the limit → 422 naming `channels` with `limit` and `current`; two creations racing at the limit: ' +
        'exactly one succeeds. When premium ends, existing channels stay and new ones are refused until the count is under the limit. A taken handle ' +
        '(case-insensitive) → 409 naming `handle`.',
      security: bearer,
      middleware: [auth],
      request: { headers: IdempotencyKeyHeader, body: { required: true, content: { 'application/json': { schema: ChannelInput } } } },
      responses: { 201: { description: 'Created', content: { 'application/json': { schema: ChannelSchema } } }, ...problemResponses(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      const principal = c.get('principal');
      const body = c.req.valid('json');
      const account = await findAccount(db, principal.accountId);
      if (!account || account.status !== 'active') throw problems.forbidden('Only verified accounts create channels.');
      const limit = channelLimitFor(account.roles, { normal: config.CHANNELS_MAX_NORMAL, premium: config.CHANNELS_MAX_PREMIUM });
      const result = await createChannelWithinLimit(db, { id: newId(CHANNEL_ID_PREFIX), handle: body.handle, name: body.name, description: body.description ?? '', ownerId: account.id }, limit);
      if (!result.ok && result.reason === 'handle_taken') throw handleTaken(body.handle);
      if (!result.ok) {
        throw problems.unprocessable(`channels: you own ${result.current} channels, the most your role allows is ${result.limit}.`, [{ field: 'channels', message: `limit of ${result.limit} reached` }], { limit: result.limit, current: result.current });
      }
      c.header('Location', `/v1/channels/${result.channel.id}`);
      return c.json(result.channel, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/channels',
      tags: ['channels'],
      summary: 'Search channels',
      description: '`q` matches a prefix of the name or of the handle, case-insensitively; `owner` is an account id; `sort=newest` (default) orders by creation, `sort=popular` by subscriberCount descending. Deleted channels never appear.',
      request: {
        query: PageQuery.extend({
          q: z.string().max(100).optional().openapi({ description: 'Prefix of the name or the handle (case-insensitive).' }),
          owner: z.string().max(100).optional().openapi({ description: 'Only channels this account owns.' }),
          sort: z.enum(['newest', 'popular']).default('newest').openapi({ description: 'newest: creation time, newest first; popular: subscriberCount descending.' }),
        }),
      },
      responses: { 200: { description: 'A page of channels', content: { 'application/json': { schema: pageOf(ChannelSchema, 'ChannelPage') } } }, ...problemResponses(400) },
    }),
    async (c) => {
      const { q, owner, sort, limit, cursor } = c.req.valid('query');
      return c.json(await listChannels(db, { q: q?.trim() || undefined, ownerId: owner, sort, limit, cursor }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/channels/{id}',
      tags: ['channels'],
      summary: 'A channel, by id or by handle',
      request: { params: z.object({ id: z.string().min(1).max(100).openapi({ description: 'The channel id, or its handle (case-insensitive): GET /v1/channels/{idOrHandle}.' }) }) },
      responses: { 200: { description: 'The channel', content: { 'application/json': { schema: ChannelSchema } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const channel = await findChannel(db, c.req.valid('param').id);
      if (!channel) throw problems.notFound('The channel');
      return c.json(channel, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/channels/{id}',
      tags: ['channels'],
      summary: 'Change a channel (its owner, or an admin with edit_channel)',
      security: bearer,
      middleware: [auth],
      request: { params: ChannelIdParam, body: { required: true, content: { 'application/json': { schema: ChannelPatch } } } },
      responses: { 200: { description: 'The channel after the change', content: { 'application/json': { schema: ChannelSchema } } }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await requireChannelPermission(db, id, c.get('principal'), 'edit_channel');
      const body = c.req.valid('json');
      const updated = await updateChannel(db, id, { name: body.name, handle: body.handle, description: body.description });
      if (updated === 'handle_taken') throw handleTaken(body.handle!);
      if (!updated) throw problems.notFound('The channel');
      return c.json(updated, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/channels/{id}',
      tags: ['channels'],
      summary: 'Delete a channel (its owner): gone from reads at once, handle freed; the channelDeletion-<id> workflow removes its contents, media files, admins and subscriptions in batches',
      security: bearer,
      middleware: [auth],
      request: { params: ChannelIdParam },
      responses: { 202: { description: 'Deleting: the workflow runs on', content: { 'application/json': { schema: ChannelDeletionAccepted } } }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await requireChannelPermission(db, id, c.get('principal'), 'delete_channel');
      const workflowId = channelDeletionWorkflowId(id);
      const input: ChannelDeletionInput = { channelId: id, batchSize: config.CHANNEL_DELETION_BATCH };
      await recordThenStart({
        record: async () => {
          // A concurrent deletion got there first: for this caller the channel is simply gone.
          if (!(await markChannelDeleted(db, id))) throw problems.notFound('The channel');
        },
        start: () => temporal.workflow.start(channelDeletion, { taskQueue: config.TASK_QUEUE, workflowId, args: [input] }),
        undo: () => unmarkChannelDeleted(db, id),
      });
      return c.json({ id, workflowId }, 202);
    },
  );
}
