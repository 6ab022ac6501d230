import { createRoute, z } from '@hono/zod-openapi';
import type { Principal } from '../../../domain/auth';
import { mayOnChannel } from '../../../domain/channels/permissions';
import { newId } from '../../../domain/ids';
import type { CoreDeps } from '../../../platform/deps';
import { contentEngagement } from '../../../stores/contents/engagement';
import { deleteComment, editComment, findComment, insertComment, listReplies, listThreads, ParentCommentError, type Comment } from '../../../stores/engagement/comments';
import type { AppOpenAPI } from '../../app-types';
import { accountNames } from '../account-names';
import { requireAuth } from '../../middleware/auth';
import { problems } from '../../problem';
import { IdempotencyKeyHeader, PageQuery, problemResponses } from '../../schemas';
import { optionalPrincipal, type ContentViewer } from '../contents/viewer';
import { bearer, CommentIdParam, CommentInput, CommentPage, CommentPatch, CommentSchema, ContentIdParam, json, optionalBearer } from './schemas';

/**
 * Comments, written to PostgreSQL directly (content, not counters). Only on contents the caller
 * may see (404 otherwise) and whose comments are on (422 naming commentsEnabled otherwise).
 */
export function registerCommentRoutes(app: AppOpenAPI, deps: CoreDeps, viewer: ContentViewer): void {
  const { db, config } = deps;
  const auth = requireAuth(config.JWT_SECRET);

  /** The comment and its content as the caller may see them; 404 for either. */
  async function loadComment(id: string, principal: Principal | undefined): Promise<{ comment: Comment; view: Awaited<ReturnType<ContentViewer['load']>> }> {
    const comment = await findComment(db, id);
    if (!comment) throw problems.notFound('The comment');
    const view = await viewer.load(comment.contentId, principal).catch(() => {
      throw problems.notFound('The comment');
    });
    return { comment, view };
  }

  /** The comments as answered: each with its author's name and, for a reply to a reply, the answered person's. */
  async function named(comments: Comment[]): Promise<(Comment & { authorName: string | null; replyToName: string | null })[]> {
    const nameOf = await accountNames(db, comments.flatMap((c) => [c.authorId, c.replyToAccountId]));
    return comments.map((c) => ({ ...c, authorName: nameOf(c.authorId), replyToName: nameOf(c.replyToAccountId) }));
  }

  async function requireCommentsOn(contentId: string): Promise<void> {
    const enabled = (await contentEngagement(db, [contentId])).get(contentId)?.commentsEnabled ?? true;
    if (!enabled) throw problems.field('commentsEnabled', 'comments are turned off on this content');
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/contents/{id}/comments',
      tags: ['engagement'],
      summary: 'Comment on a content, or reply (parentId)',
      description: 'A reply to a reply joins the same thread and names whom it answers (replyToAccountId). Comments turned off → 422 naming commentsEnabled; an unknown or deleted parent → 422 naming parentId.',
      security: bearer,
      middleware: [auth],
      request: { params: ContentIdParam, headers: IdempotencyKeyHeader, body: { required: true, content: json(CommentInput) } },
      responses: { 201: { description: 'Created', content: json(CommentSchema) }, ...problemResponses(400, 401, 404, 422) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const body = c.req.valid('json');
      await viewer.load(id, principal);
      await requireCommentsOn(id);
      try {
        const comment = await insertComment(db, { id: newId('cmt'), contentId: id, authorId: principal.accountId, body: body.body, parentId: body.parentId });
        c.header('Location', `/v1/comments/${comment.id}`);
        return c.json((await named([comment]))[0], 201);
      } catch (error) {
        if (error instanceof ParentCommentError) throw problems.field('parentId', 'no such comment on this content');
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/contents/{id}/comments',
      tags: ['engagement'],
      summary: "A content's top-level comments, each with replyCount",
      security: optionalBearer,
      request: { params: ContentIdParam, query: PageQuery.extend({ sort: z.enum(['newest', 'top']).default('newest').openapi({ description: 'newest first, or top: most replies first.' }) }) },
      responses: { 200: { description: 'One page', content: json(CommentPage) }, ...problemResponses(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      await viewer.load(id, await optionalPrincipal(c, config.JWT_SECRET));
      const page = await listThreads(db, id, query.sort, query.limit, query.cursor);
      return c.json({ ...page, items: await named(page.items) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/comments/{id}/replies',
      tags: ['engagement'],
      summary: "A thread's replies, oldest first",
      security: optionalBearer,
      request: { params: CommentIdParam, query: PageQuery },
      responses: { 200: { description: 'One page', content: json(CommentPage) }, ...problemResponses(400, 401, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      const { comment } = await loadComment(id, await optionalPrincipal(c, config.JWT_SECRET));
      const page = await listReplies(db, comment.threadId ?? comment.id, query.limit, query.cursor);
      return c.json({ ...page, items: await named(page.items) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/comments/{id}',
      tags: ['engagement'],
      summary: 'Edit my comment (sets editedAt)',
      security: bearer,
      middleware: [auth],
      request: { params: CommentIdParam, body: { required: true, content: json(CommentPatch) } },
      responses: { 200: { description: 'Edited', content: json(CommentSchema) }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const { comment } = await loadComment(id, principal);
      if (comment.deleted) throw problems.notFound('The comment');
      if (comment.authorId !== principal.accountId) throw problems.forbidden('Only the author edits a comment.');
      const edited = await editComment(db, id, c.req.valid('json').body);
      if (!edited) throw problems.notFound('The comment');
      return c.json((await named([edited]))[0], 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/comments/{id}',
      tags: ['engagement'],
      summary: 'Delete a comment: its author, the channel owner, a channel admin with moderate_comments, or a platform admin',
      description: 'A top-level comment with replies becomes `[deleted]` and keeps its thread; any other comment is removed.',
      security: bearer,
      middleware: [auth],
      request: { params: CommentIdParam },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      const { comment, view } = await loadComment(id, principal);
      if (comment.deleted) throw problems.notFound('The comment');
      if (comment.authorId !== principal.accountId && !mayOnChannel(view.relation, 'moderate_comments')) {
        throw problems.forbidden('This needs the channel permission moderate_comments (or being the author).');
      }
      await deleteComment(db, id);
      return c.body(null, 204);
    },
  );
}
