import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { EngagementActivities } from '../../activities/engagement';
import type { UploadNotificationInput, UploadNotificationResult } from '../../domain/engagement/flush';

/**
 * `uploadNotification-<contentId>`: started when a content is published. Mails the channel's
 * subscribers who opted in, a page at a time in account-id order; each mail is sent once (an
 * idempotency key per subscriber and a delivery row), so a worker killed mid-page resumes the page
 * without mailing anyone twice and without skipping anyone. Continues as new every 200 pages.
 */
const notify = proxyActivities<EngagementActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const PAGES_PER_RUN = 200;

export async function uploadNotification(input: UploadNotificationInput): Promise<UploadNotificationResult> {
  const result: UploadNotificationResult = { ...(input.soFar ?? { pages: 0, mailed: 0, skipped: 0 }) };
  let after = input.afterAccountId ?? null;
  for (let i = 0; i < PAGES_PER_RUN; i++) {
    const page = await notify.engagementNotifyPage({ contentId: input.contentId, afterAccountId: after, pageSize: input.pageSize });
    result.pages += 1;
    result.mailed += page.mailed;
    result.skipped += page.skipped;
    if (page.done || page.lastAccountId === null) return result;
    after = page.lastAccountId;
  }
  return continueAsNew<typeof uploadNotification>({ ...input, afterAccountId: after, soFar: result });
}

