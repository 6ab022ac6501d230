import { createRoute, z } from '@hono/zod-openapi';
import type { CoreDeps } from '../../../platform/deps';
import { findContent } from '../../../stores/contents/contents';
import { listHistory, removeHistoryEntry } from '../../../stores/engagement/history';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth } from '../../middleware/auth';
import { PageQuery, problemResponses } from '../../schemas';
import { bearer, HistoryPage, json } from './schemas';

/** What I watched (from my views, after the flush), newest first, removable one by one. */
export function registerHistoryRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config } = deps;
  const auth = requireAuth(config.JWT_SECRET);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/history',
      tags: ['engagement'],
      summary: 'My watch history, newest first',
      security: bearer,
      middleware: [auth],
      request: { query: PageQuery },
      responses: { 200: { description: 'One page', content: json(HistoryPage) }, ...problemResponses(400, 401) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await listHistory(db, c.get('principal').accountId, query.limit, query.cursor);
      const items = await Promise.all(
        page.items.map(async (entry) => {
          const content = await findContent(db, entry.contentId);
          return { ...entry, title: content?.title ?? null, kind: content?.kind ?? null };
        }),
      );
      return c.json({ items, nextCursor: page.nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/me/history/{contentId}',
      tags: ['engagement'],
      summary: 'Remove one content from my history (idempotent)',
      security: bearer,
      middleware: [auth],
      request: { params: z.object({ contentId: z.string().min(1).max(100) }) },
      responses: { 204: { description: 'Not in the history (any more)' }, ...problemResponses(401) },
    }),
    async (c) => {
      await removeHistoryEntry(db, c.get('principal').accountId, c.req.valid('param').contentId);
      return c.body(null, 204);
    },
  );
}
