import type { CoreDeps } from '../../../platform/deps';
import type { AppOpenAPI } from '../../app-types';
import { createContentViewer } from '../contents/viewer';
import { registerCommentRoutes } from './comments';
import { registerDiscoverRoutes } from './discover';
import { registerHistoryRoutes } from './history';
import { registerReportRoutes } from './reports';
import { registerSubscriptionListRoutes } from './subscriptions';
import { registerViewRoutes } from './views';
import { createVisibilityCache } from './visible';
import { registerVoteRoutes } from './votes';

/**
 * Routes of the engagement capability. Votes and views go to the engagement buffer (counts
 * converge after the flush); comments and reports are written to PostgreSQL directly. Every
 * content-scoped route sees contents as the contents routes do (createContentViewer): a content
 * the caller may not see is a 404.
 */
export function registerEngagementRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const viewer = createContentViewer(deps);
  registerDiscoverRoutes(app, deps, viewer);
  const visible = createVisibilityCache(viewer);
  registerVoteRoutes(app, deps, visible);
  registerViewRoutes(app, deps, visible);
  registerCommentRoutes(app, deps, viewer);
  registerHistoryRoutes(app, deps);
  registerSubscriptionListRoutes(app, deps);
  registerReportRoutes(app, deps, viewer);
}
