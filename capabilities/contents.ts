import { createContentsActivities, createContentsMediaActivities } from '../activities/contents';
import { registerContentsRoutes } from '../api/routes/contents';
import { contentsSchema } from '../platform/config/contents';
import { defineCapability } from './capability';

/** Channel contents: videos (HLS) and music tracks (normalised AAC + waveform), their upload, publishing and playback. */
export const contentsCapability = defineCapability({
  name: 'contents',
  config: contentsSchema,
  routes: registerContentsRoutes,
  // The upload streams to storage and bounds itself by CONTENT_VIDEO_MAX_BYTES / CONTENT_TRACK_MAX_BYTES.
  bodyLimits: [{ method: 'POST', path: '/v1/contents/{id}/media', limit: 'streamed' }],
  activities: { main: createContentsActivities, media: createContentsMediaActivities },
});
