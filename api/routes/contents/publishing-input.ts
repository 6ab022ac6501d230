import type { Config } from '../../../platform/config';
import { publicBaseUrl } from '../../../platform/config/platform';
import type { Content } from '../../../domain/contents';
import type { ContentPublishingInput } from '../../../workflows/contents/publishing';

/**
 * The input of `contentPublishing-<id>` from configuration: the upload route adds the upload and its
 * uploader; the deletions (by the channel team, by a report's resolution) start it with no upload.
 */
export function contentPublishingInput(config: Config, content: Pick<Content, 'id' | 'kind' | 'title'>, extra: Partial<ContentPublishingInput> = {}): ContentPublishingInput {
  return {
    contentId: content.id,
    kind: content.kind,
    title: content.title,
    mediaTaskQueue: config.MEDIA_TASK_QUEUE,
    processingTimeoutMs: config.CONTENT_PROCESSING_TIMEOUT,
    heartbeatTimeoutMs: config.CONTENT_PROCESSING_HEARTBEAT_TIMEOUT,
    attempts: config.CONTENT_PROCESSING_ATTEMPTS,
    baseUrl: publicBaseUrl(config),
    ...extra,
  };
}
