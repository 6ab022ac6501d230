import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineSignal,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ContentsActivities, ContentsMediaActivities, PublishContentInput, PublishedContent } from '../../activities/contents';
import type { EmailActivities } from '../../activities/email/activities';
import { UNREADABLE_MEDIA, type ContentKind } from '../../domain/contents';
import { startUploadNotification } from '../engagement/start-upload-notification';

/**
 * `contentPublishing-<contentId>`: one run per upload (and one to remove a deleted content).
 *
 * An upload: process it on the media queue (HLS renditions + download + poster for a video;
 * loudness-normalised AAC + waveform for a track; heartbeats, retries resume) → publish the row,
 * or mark it failed with a reason and email the uploader → drop the upload file. A deletion
 * (signal, or a run started by it) cancels the processing in flight and removes every file of the
 * content, then its row.
 */
export interface ContentPublishingInput {
  contentId: string;
  kind: ContentKind;
  title: string;
  /** Absent in a run started only to remove a deleted content. */
  upload?: { version: number; key: string; bytes: number; filename: string; probe?: PublishContentInput['probe'] };
  uploader?: { id: string; email: string; name: string };
  /** Workflows cannot read configuration: the starter passes what they need. */
  mediaTaskQueue: string;
  processingTimeoutMs: number;
  heartbeatTimeoutMs: number;
  attempts: number;
  /** Where links in emails point. */
  baseUrl: string;
  /** Subscribers per page of the upload notification (NOTIFY_PAGE_SIZE; the engagement capability). */
  notifyPageSize?: number;
}

export interface ContentPublishingResult {
  outcome: 'published' | 'failed' | 'removed';
  reason?: string;
}

/** The DELETE route signals (with start) the content's workflow. */
export const contentDeletedSignal = defineSignal('contentDeleted');

const store = proxyActivities<ContentsActivities>({ startToCloseTimeout: '2 minutes', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } });
const mail = proxyActivities<EmailActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute', maximumAttempts: 20 } });

function failureReason(error: unknown, kind: ContentKind): string {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (cause instanceof ApplicationFailure && cause.type === UNREADABLE_MEDIA) {
    return kind === 'video' ? 'The upload could not be decoded as a video (mp4, mov or webm).' : 'The upload could not be decoded as audio (mp3, flac, wav, ogg or m4a).';
  }
  return 'The media could not be processed; please upload it again.';
}

export async function contentPublishing(input: ContentPublishingInput): Promise<ContentPublishingResult> {
  const { workflowId } = workflowInfo();
  let deleted = false;
  setHandler(contentDeletedSignal, () => {
    deleted = true;
  });
  let result: ContentPublishingResult = { outcome: 'removed' };

  if (input.upload) {
    const { upload } = input;
    const media = proxyActivities<ContentsMediaActivities>({
      taskQueue: input.mediaTaskQueue,
      startToCloseTimeout: input.processingTimeoutMs,
      heartbeatTimeout: input.heartbeatTimeoutMs,
      // A deletion waits for the activity to stop (ffmpeg killed) before the files are removed.
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
      retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: input.attempts, nonRetryableErrorTypes: [UNREADABLE_MEDIA] },
    });
    const args: PublishContentInput = { contentId: input.contentId, version: upload.version, sourceKey: upload.key, probe: upload.probe };
    const scope = new CancellationScope();
    let settled = false;
    // Bounded by the processing itself: it resolves when the work settles or a deletion arrives first.
    const cancelOnDelete = condition(() => deleted || settled).then(() => {
      if (!settled) scope.cancel();
    });
    let published: PublishedContent | undefined;
    let reason: string | undefined;
    try {
      published = await scope.run(() => (input.kind === 'video' ? media.contentsPublishVideo(args) : media.contentsPublishTrack(args)));
    } catch (error) {
      if (!isCancellation(error)) reason = failureReason(error, input.kind);
    } finally {
      settled = true;
    }
    await cancelOnDelete;

    if (published && !deleted) {
      const ok = await store.contentsMarkPublished({ contentId: input.contentId, version: upload.version, media: published.media, durationSeconds: published.durationSeconds });
      // The content went away meanwhile (its channel deleted): its new media go too.
      if (!ok) await store.contentsRemoveMediaVersion({ contentId: input.contentId, version: upload.version });
      result = { outcome: ok ? 'published' : 'removed' };
      // Opted-in subscribers hear about it (workflows/engagement/upload-notification.ts).
      if (ok && patched('upload-notification')) await startUploadNotification(input.contentId, input.notifyPageSize ?? 100);
    } else if (reason !== undefined && !deleted) {
      const marked = await store.contentsMarkFailed({ contentId: input.contentId, version: upload.version, reason });
      if (marked && input.uploader) {
        await mail.sendEmail({
          to: input.uploader.email,
          template: 'content-failed',
          vars: { name: input.uploader.name, title: input.title, reason, contentUrl: `${input.baseUrl}/v1/contents/${input.contentId}` },
          idempotencyKey: `${workflowId}/m${upload.version}/email/failed`,
        });
      }
      result = { outcome: 'failed', reason };
    }
    await store.contentsRemoveUpload({ key: upload.key });
  }

  // Last, so a deletion signalled during any step above is seen.
  if (deleted || !input.upload) {
    await store.contentsRemoveContent({ contentId: input.contentId });
    result = { outcome: 'removed' };
  }
  return result;
}
