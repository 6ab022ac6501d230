import { Context } from '@temporalio/activity';
import { unsubscribeToken } from '../../domain/engagement/unsubscribe';
import { uploadNotificationWorkflowId } from '../../domain/engagement/flush';
import { publicBaseUrl } from '../../platform/config/platform';
import type { CoreDeps } from '../../platform/deps';
import { accountContacts } from '../../stores/accounts/accounts';
import { channelLabel, notifySubscribersPage } from '../../stores/channels/engagement';
import { findContent } from '../../stores/contents/contents';
import { deliveredAmong, recordDelivery } from '../../stores/engagement/notifications';
import { renderEmail } from '../email/templates';

/**
 * One page of the upload notification: the next `pageSize` opted-in subscribers (by account id)
 * are mailed, each once: the mail carries the idempotency key `<workflowId>/<accountId>` (a retried
 * page does not send again) and a delivery row (a later page or run skips who has one).
 */
export function createEngagementNotifyActivities(deps: CoreDeps) {
  const { db, ports, config } = deps;

  return {
    async engagementNotifyPage(input: { contentId: string; afterAccountId: string | null; pageSize: number }): Promise<{ lastAccountId: string | null; mailed: number; skipped: number; done: boolean }> {
      const content = await findContent(db, input.contentId);
      if (!content || content.status !== 'published' || content.visibility === 'private') return { lastAccountId: null, mailed: 0, skipped: 0, done: true };
      const channel = await channelLabel(db, content.channelId);
      const ids = await notifySubscribersPage(db, content.channelId, input.afterAccountId, input.pageSize);
      const delivered = await deliveredAmong(db, content.id, ids);
      const contacts = await accountContacts(db, ids.filter((id) => !delivered.has(id)));
      const base = publicBaseUrl(config);
      let mailed = 0;
      for (const accountId of ids) {
        const contact = contacts.get(accountId);
        if (delivered.has(accountId) || !contact) continue;
        const rendered = renderEmail('content-published', {
          name: contact.name,
          channelName: channel?.name ?? 'A channel you follow',
          title: content.title,
          contentUrl: `${base}/v1/contents/${content.id}`,
          unsubscribeUrl: `${base}/v1/notifications/unsubscribe?token=${unsubscribeToken(config.JWT_SECRET, content.channelId, accountId)}`,
        });
        const sent = await ports.mailer.send({ ...rendered, to: contact.email, kind: 'content-published' }, { idempotencyKey: `${uploadNotificationWorkflowId(content.id)}/${accountId}` });
        await recordDelivery(db, content.id, accountId, sent.messageId);
        mailed += 1;
        Context.current().heartbeat({ accountId });
      }
      return { lastAccountId: ids[ids.length - 1] ?? null, mailed, skipped: ids.length - mailed, done: ids.length < input.pageSize };
    },
  };
}
