import { createRoute } from '@hono/zod-openapi';
import type { CoreDeps } from '../../../platform/deps';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth } from '../../middleware/auth';
import { problemResponses } from '../../schemas';
import { appendEvents } from './fields';
import { bearer, ContentIdParam, json, VoteInput, VoteSchema } from './schemas';
import type { VisibilityCache } from './visible';

/**
 * Votes: one per account per content, the last one wins. The vote goes to the engagement buffer
 * and the answer follows at once (myVote shows it); counts converge after the flush.
 */
export function registerVoteRoutes(app: AppOpenAPI, deps: CoreDeps, visible: VisibilityCache): void {
  const { config } = deps;
  const auth = requireAuth(config.JWT_SECRET);
  const vote = async (contentId: string, accountId: string, value: -1 | 0 | 1) => {
    await appendEvents(deps, [{ kind: 'vote', contentId, accountId, value, at: new Date().toISOString() }]);
    // The caller's vote as it now stands (what they see at once); counts come with the content after the flush.
    return { contentId, myVote: value === 0 ? null : value === 1 ? (1 as const) : (-1 as const) };
  };

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/contents/{id}/vote',
      tags: ['engagement'],
      summary: 'Vote on a content (1 or -1; the last vote wins)',
      description: 'myVote shows the vote at once; upvotes, downvotes and score change when the flush applies it (within a few ENGAGEMENT_FLUSH_INTERVALs).',
      security: bearer,
      middleware: [auth],
      request: { params: ContentIdParam, body: { required: true, content: json(VoteInput) } },
      responses: { 200: { description: 'The vote is recorded', content: json(VoteSchema) }, ...problemResponses(400, 401, 404, 503) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      await visible.requireVisible(id, principal);
      return c.json(await vote(id, principal.accountId, c.req.valid('json').value), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/contents/{id}/vote',
      tags: ['engagement'],
      summary: 'Withdraw my vote (idempotent)',
      security: bearer,
      middleware: [auth],
      request: { params: ContentIdParam },
      responses: { 200: { description: 'No vote any more', content: json(VoteSchema) }, ...problemResponses(401, 404, 503) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const principal = c.get('principal');
      await visible.requireVisible(id, principal);
      return c.json(await vote(id, principal.accountId, 0), 200);
    },
  );
}
