import { createHash } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import type { CoreDeps } from '../../../platform/deps';
import type { EngagementConfig } from '../../../platform/config/engagement';
import type { AppOpenAPI } from '../../app-types';
import { emptyJsonBodyIsAbsent } from '../../middleware/empty-json-body';
import { problems } from '../../problem';
import { problemResponses } from '../../schemas';
import { clientIp } from '../accounts/auth';
import { optionalPrincipal } from '../contents/viewer';
import { appendEvents } from './fields';
import type { VisibilityCache } from './visible';
import { ContentIdParam, json, ViewAccepted, ViewInput, optionalBearer } from './schemas';

/**
 * Views: a player reports one after VIEW_COUNTS_AFTER watched. The viewer is the account, or for
 * anonymous viewers a salted hash of address + user agent; the flush counts one viewer once per
 * content within VIEW_DEDUP_WINDOW and writes signed-in viewers' history.
 */
export function registerViewRoutes(app: AppOpenAPI, deps: CoreDeps, visible: VisibilityCache): void {
  const config = deps.config as CoreDeps['config'] & EngagementConfig;
  const trustProxy = config.TRUST_PROXY;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/contents/{id}/views',
      tags: ['engagement'],
      summary: 'Report a view (anonymous or signed in)',
      description: 'Accepted into the engagement buffer; viewCount moves after the flush. The same viewer counts once per VIEW_DEDUP_WINDOW (1 h). `watchedSeconds` below VIEW_COUNTS_AFTER → 422.',
      security: optionalBearer,
      middleware: [emptyJsonBodyIsAbsent],
      request: { params: ContentIdParam, body: { required: false, content: json(ViewInput) } },
      responses: { 202: { description: 'Accepted', content: json(ViewAccepted) }, ...problemResponses(400, 401, 404, 422, 503) },
    }),
    async (c) => {
      const principal = await optionalPrincipal(c, config.JWT_SECRET);
      const { id } = c.req.valid('param');
      const body = (c.req.valid('json') as { watchedSeconds?: number } | undefined) ?? {};
      await visible.requireVisible(id, principal);
      if (body.watchedSeconds !== undefined && body.watchedSeconds * 1000 < config.VIEW_COUNTS_AFTER) {
        throw problems.field('watchedSeconds', `a view counts after ${config.VIEW_COUNTS_AFTER / 1000} s watched`);
      }
      const viewerKey = principal
        ? `acc:${principal.accountId}`
        : `anon:${createHash('sha256').update(`${config.VIEW_HASH_SALT}\n${clientIp(c, trustProxy)}\n${c.req.header('user-agent') ?? ''}`).digest('base64url')}`;
      await appendEvents(deps, [{ kind: 'view', contentId: id, viewerKey, ...(principal ? { accountId: principal.accountId } : {}), at: new Date().toISOString() }]);
      return c.json({ contentId: id, accepted: true as const }, 202);
    },
  );
}
