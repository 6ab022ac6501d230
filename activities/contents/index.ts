import { contentFolder, mediaPrefix, type ContentMedia } from '../../domain/contents';
import type { CoreDeps } from '../../platform/deps';
import { markFailed, markPublished, purgeDeletedContent } from '../../stores/contents/contents';

export { createContentsMediaActivities, type ContentsMediaActivities, type PublishContentInput, type PublishedContent } from './media';

/** Activities of the `main` task queue for contents: the row's state, and removing uploads and media. */
export function createContentsActivities(deps: CoreDeps) {
  const { db } = deps;
  const { storage } = deps.ports;
  return {
    /** Publishes upload `version`; false when the content was deleted meanwhile. */
    async contentsMarkPublished(input: { contentId: string; version: number; media: ContentMedia; durationSeconds: number }): Promise<boolean> {
      return markPublished(db, input.contentId, input.version, input.media, input.durationSeconds);
    },

    async contentsMarkFailed(input: { contentId: string; version: number; reason: string }): Promise<boolean> {
      return markFailed(db, input.contentId, input.version, input.reason);
    },

    /** The upload is not needed once processed (published or refused): the outputs are what is served. */
    async contentsRemoveUpload(input: { key: string }): Promise<void> {
      await storage.delete(input.key);
    },

    /** The media of one upload, published for a content that went away meanwhile. */
    async contentsRemoveMediaVersion(input: { contentId: string; version: number }): Promise<{ files: number }> {
      return { files: await storage.deletePrefix(mediaPrefix(input.contentId, input.version)) };
    },

    /** A deleted content: every file under `contents/<id>/` (uploads and every version's media), then its row. */
    async contentsRemoveContent(input: { contentId: string }): Promise<{ files: number; rowRemoved: boolean }> {
      const files = await storage.deletePrefix(contentFolder(input.contentId));
      const rowRemoved = await purgeDeletedContent(db, input.contentId);
      return { files, rowRemoved };
    },
  };
}

export type ContentsActivities = ReturnType<typeof createContentsActivities>;
