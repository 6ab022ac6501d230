import { createRoute, z } from '@hono/zod-openapi';
import type { CoreDeps } from '../../../platform/deps';
import { findContent } from '../../../stores/contents/contents';
import { discoverContentIds } from '../../../stores/contents/engagement';
import type { AppOpenAPI } from '../../app-types';
import { problemResponses } from '../../schemas';
import { optionalPrincipal, type ContentViewer } from '../contents/viewer';
import { engagementOf } from './fields';
import { DiscoveredContentSchema, json, optionalBearer } from './schemas';

/** Discover: published public contents by trending (hot score, recomputed by the flush), newest or top. */
export function registerDiscoverRoutes(app: AppOpenAPI, deps: CoreDeps, viewer: ContentViewer): void {
  const { db, config } = deps;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/contents',
      tags: ['engagement'],
      summary: 'Discover contents: trending, newest or top',
      description:
        'Published public contents of live channels. trending: hot score = (upvotes − downvotes + ln(1 + views)) / (hours since publication + 2)^1.5, recomputed by the flush; ' +
        'newest: publication time; top: upvotes − downvotes. Highest first.',
      security: optionalBearer,
      request: {
        query: z.object({
          sort: z.enum(['trending', 'newest', 'top']).default('trending'),
          kind: z.enum(['video', 'track']).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'Page size (1–100).' }),
          cursor: z.string().optional().openapi({ description: 'The nextCursor of the previous page.' }),
        }),
      },
      responses: { 200: { description: 'One page', content: json(z.object({ items: z.array(DiscoveredContentSchema), nextCursor: z.string().nullable() }).openapi('DiscoverPage')) }, ...problemResponses(400, 401) },
    }),
    async (c) => {
      const principal = await optionalPrincipal(c, config.JWT_SECRET);
      const query = c.req.valid('query');
      const { ids, nextCursor } = await discoverContentIds(db, query);
      const contents = (await Promise.all(ids.map((id) => findContent(db, id)))).filter((x) => x !== undefined);
      const engagement = await engagementOf(deps, ids, principal?.accountId);
      const items = contents.map((content) => ({
        ...viewer.resource(content, { isOwner: false, isSubscriber: false, roles: principal?.roles }),
        ...engagement.get(content.id)!,
      }));
      return c.json({ items, nextCursor }, 200);
    },
  );
}
