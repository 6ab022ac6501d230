import { createRoute } from '@hono/zod-openapi';
import { contentWorkflowId } from '../../../domain/contents';
import { listFilterFor } from '../../../domain/contents/access';
import { newId } from '../../../domain/ids';
import type { CoreDeps } from '../../../platform/deps';
import { recordThenStart } from '../../../platform/record-then-start';
import { insertContent, listChannelContents, markDeleted, unmarkDeleted, updateContent } from '../../../stores/contents/contents';
import { InvalidCursorError } from '../../../stores/pagination';
import { contentDeletedSignal, contentPublishing } from '../../../workflows/contents/publishing';
import { contentPublishingInput } from './publishing-input';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth } from '../../middleware/auth';
import { problems } from '../../problem';
import { IdempotencyKeyHeader, problemResponses } from '../../schemas';
import { loadChannelRelation, requireChannelPermission } from '../channels/access';
import { bearer, ChannelIdParam, ContentDeletionAccepted, ContentIdParam, ContentInput, ContentListQuery, ContentPage, ContentPatch, ContentSchema, mediaSecurity } from './schemas';
import { optionalPrincipal, type ContentViewer } from './viewer';
import { contentEngagementFields, engagementOf } from '../engagement/fields';
import { setCommentsEnabled } from '../../../stores/contents/engagement';

const json = <T>(schema: T) => ({ 'application/json': { schema } });

export function registerContentRoutes(app: AppOpenAPI, deps: CoreDeps, viewer: ContentViewer): void {
  const { db, config, temporal } = deps;
  const auth = requireAuth(config.JWT_SECRET);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/channels/{id}/contents',
      tags: ['contents'],
      summary: 'Add a content (a video or a track) to a channel, as a draft: its owner, or an admin with add_content',
      description: 'Then upload its media with POST /v1/contents/{id}/media. `artist` and `album` are for tracks (422 naming the field on a video).',
      security: bearer,
      middleware: [auth],
      request: { params: ChannelIdParam, headers: IdempotencyKeyHeader, body: { required: true, content: json(ContentInput) } },
      responses: { 201: { description: 'The draft', content: json(ContentSchema) }, ...problemResponses(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const { id: channelId } = c.req.valid('param');
      const principal = c.get('principal');
      const body = c.req.valid('json');
      const relation = await requireChannelPermission(db, channelId, principal, 'add_content');
      if (body.kind === 'video' && body.artist !== undefined) throw problems.field('artist', 'only tracks have an artist');
      if (body.kind === 'video' && body.album !== undefined) throw problems.field('album', 'only tracks have an album');
      const content = await insertContent(db, {
        id: newId('cnt'),
        channelId,
        kind: body.kind,
        title: body.title,
        description: body.description ?? '',
        authorId: principal.accountId,
        visibility: body.visibility,
        audience: body.audience,
        artist: body.artist ?? null,
        album: body.album ?? null,
      });
      c.header('Location', `/v1/contents/${content.id}`);
      return c.json(viewer.resource(content, relation), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/channels/{id}/contents',
      tags: ['contents'],
      summary: "A channel's contents, newest or oldest first",
      description: 'The channel team (owner and admins) sees every content, drafts and private ones included; everyone else (anonymous too) sees published public contents. Unlisted contents are reachable by id only.',
      security: mediaSecurity,
      request: { params: ChannelIdParam, query: ContentListQuery },
      responses: { 200: { description: 'A page of contents', content: json(ContentPage) }, ...problemResponses(400, 401, 404) },
    }),
    async (c) => {
      const { id: channelId } = c.req.valid('param');
      const query = c.req.valid('query');
      const principal = await optionalPrincipal(c, config.JWT_SECRET);
      const relation = await loadChannelRelation(db, channelId, principal);
      try {
        const page = await listChannelContents(db, channelId, { ...query, filter: listFilterFor(relation) });
        const engagement = await engagementOf(deps, page.items.map((content) => content.id), principal?.accountId);
        return c.json({ items: page.items.map((content) => ({ ...viewer.resource(content, relation), ...engagement.get(content.id) })), nextCursor: page.nextCursor }, 200);
      } catch (error) {
        if (error instanceof InvalidCursorError) throw problems.badRequest('The cursor is not valid.', [{ field: 'cursor', message: 'not a cursor from this list' }]);
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/contents/{id}',
      tags: ['contents'],
      summary: 'A content, with signed playback URLs when the caller may play it',
      description:
        'Private contents and contents not yet published exist only for the channel team (404 for others). Premium contents are shown to everyone with `premiumRequired: true` and no playback for callers who are not premium members, platform admins or the team.',
      security: mediaSecurity,
      request: { params: ContentIdParam },
      responses: { 200: { description: 'The content', content: json(ContentSchema) }, ...problemResponses(401, 404) },
    }),
    async (c) => {
      const principal = await optionalPrincipal(c, config.JWT_SECRET);
      const { content, relation } = await viewer.load(c.req.valid('param').id, principal);
      return c.json({ ...viewer.resource(content, relation), ...(await contentEngagementFields(deps, content.id, principal?.accountId)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/contents/{id}',
      tags: ['contents'],
      summary: 'Edit a content: its owner, or an admin with edit_content',
      security: bearer,
      middleware: [auth],
      request: { params: ContentIdParam, body: { required: true, content: json(ContentPatch) } },
      responses: { 200: { description: 'The content after the change', content: json(ContentSchema) }, ...problemResponses(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const patch = c.req.valid('json');
      const { content } = await viewer.load(id, c.get('principal'));
      const relation = await requireChannelPermission(db, content.channelId, c.get('principal'), 'edit_content');
      if (content.kind === 'video' && patch.artist != null) throw problems.field('artist', 'only tracks have an artist');
      if (content.kind === 'video' && patch.album != null) throw problems.field('album', 'only tracks have an album');
      const { commentsEnabled, ...fields } = patch;
      if (commentsEnabled !== undefined) await setCommentsEnabled(db, id, commentsEnabled);
      const updated = await updateContent(db, id, fields);
      if (!updated) throw problems.notFound('The content');
      return c.json({ ...viewer.resource(updated, relation), ...(await contentEngagementFields(deps, id, c.get('principal').accountId)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/contents/{id}',
      tags: ['contents'],
      summary: 'Delete a content: its owner, or an admin with delete_content',
      description: 'The content disappears at once; its workflow (contentPublishing-<id>) stops any processing in flight and removes its media files, then the row.',
      security: bearer,
      middleware: [auth],
      request: { params: ContentIdParam },
      responses: { 202: { description: 'Deleted; media removal runs in the workflow', content: json(ContentDeletionAccepted) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { content } = await viewer.load(id, c.get('principal'));
      await requireChannelPermission(db, content.channelId, c.get('principal'), 'delete_content');
      const workflowId = contentWorkflowId(id);
      const input = contentPublishingInput(config, { id, kind: content.kind, title: content.title });
      const deleted = await recordThenStart({
        record: async () => {
          const row = await markDeleted(db, id);
          if (!row) throw problems.notFound('The content');
          return row;
        },
        // A run processing an upload is told (and cancels it); otherwise a run starts just to remove.
        start: () => temporal.workflow.signalWithStart(contentPublishing, { workflowId, taskQueue: config.TASK_QUEUE, args: [input], signal: contentDeletedSignal, signalArgs: [] }),
        undo: () => unmarkDeleted(db, id),
      });
      return c.json({ id: deleted.id, workflowId }, 202);
    },
  );
}
