import type { CoreDeps } from '../../../platform/deps';
import type { AppOpenAPI } from '../../app-types';
import { registerContentRoutes } from './contents';
import { registerPlaybackRoutes } from './playback';
import { registerUploadRoutes } from './upload';
import { createContentViewer } from './viewer';

/**
 * Routes of channel contents: CRUD and lists, the media upload (workflow `contentPublishing-<id>`),
 * and playback (HLS, download, poster, waveform) by bearer token or signed URL. Every channel
 * permission goes through requireChannelPermission / loadChannelRelation (api/routes/channels/access.ts).
 */
export function registerContentsRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const viewer = createContentViewer(deps);
  registerContentRoutes(app, deps, viewer);
  registerUploadRoutes(app, deps, viewer);
  registerPlaybackRoutes(app, deps, viewer);
}
