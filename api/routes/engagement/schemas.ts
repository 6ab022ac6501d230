import { z } from '@hono/zod-openapi';
import { ContentSchema } from '../contents/schemas';
import { EngagementFields } from './content-fields';

export const bearer = [{ bearer: [] }];
/** Anonymous or signed in (a bad token is still a 401). */
export const optionalBearer: Record<string, string[]>[] = [{ bearer: [] }, {}];
export const json = <T>(schema: T) => ({ 'application/json': { schema } });

export const ContentIdParam = z.object({ id: z.string().min(1).max(100).openapi({ description: 'The content id.' }) });
export const CommentIdParam = z.object({ id: z.string().min(1).max(100).openapi({ description: 'The comment id.' }) });
export const ChannelIdParam = z.object({ id: z.string().min(1).max(100).openapi({ description: 'The channel id.' }) });



export const DiscoveredContentSchema = ContentSchema.extend({ ...EngagementFields, hotScore: z.number().openapi({ description: 'The trending score (README: hot score).' }) }).openapi('DiscoveredContent');

export const VoteSchema = z.object({ contentId: z.string(), myVote: EngagementFields.myVote }).openapi('Vote');

export const VoteInput = z.object({ value: z.union([z.literal(1), z.literal(-1)]).openapi({ description: '1 (up) or -1 (down).' }) }).openapi('VoteInput');

export const ViewInput = z
  .object({ watchedSeconds: z.number().min(0).max(1e7).optional().openapi({ description: 'Seconds watched so far; a view counts only after VIEW_COUNTS_AFTER (10 s by default).' }) })
  .openapi('ViewInput');
export const ViewAccepted = z.object({ contentId: z.string(), accepted: z.literal(true) }).openapi('ViewAccepted');

export const CommentSchema = z
  .object({
    id: z.string(),
    contentId: z.string(),
    threadId: z.string().nullable().openapi({ description: 'The top-level comment of the thread; null for a top-level comment.' }),
    parentId: z.string().nullable(),
    replyToAccountId: z.string().nullable().openapi({ description: 'Whom a reply to a reply answers.' }),
    replyToName: z.string().nullable().openapi({ description: "The display name of replyToAccountId; null when there is none or that account is gone or deactivated." }),
    authorId: z.string().nullable().openapi({ description: 'Null once deleted.' }),
    authorName: z.string().nullable().openapi({ description: "The author's display name; null once deleted or when the account is gone or deactivated." }),
    body: z.string().openapi({ description: '`[deleted]` for a deleted comment that keeps its thread.' }),
    replyCount: z.number().int(),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    deleted: z.boolean(),
  })
  .openapi('Comment');
export const CommentPage = z.object({ items: z.array(CommentSchema), nextCursor: z.string().nullable() }).openapi('CommentPage');
const Body = z.string().trim().min(1).max(5000).openapi({ description: '1–5,000 characters.' });
export const CommentInput = z.object({ body: Body, parentId: z.string().min(1).max(100).optional() }).openapi('CommentInput');
export const CommentPatch = z.object({ body: Body }).openapi('CommentPatch');

export const HistoryItem = z.object({ contentId: z.string(), watchedAt: z.string(), title: z.string().nullable(), kind: z.enum(['video', 'track']).nullable() }).openapi('HistoryItem');
export const HistoryPage = z.object({ items: z.array(HistoryItem), nextCursor: z.string().nullable() }).openapi('HistoryPage');

export const SubscriptionItem = z.object({ channelId: z.string(), accountId: z.string(), notify: z.boolean(), subscribedAt: z.string() }).openapi('ChannelSubscriptionItem');
export const SubscriptionPage = z.object({ items: z.array(SubscriptionItem), nextCursor: z.string().nullable() }).openapi('ChannelSubscriptionPage');
export const SubscriberItem = SubscriptionItem.extend({ name: z.string().nullable().openapi({ description: "The subscriber's display name; null when the account is gone or deactivated." }) }).openapi('ChannelSubscriberItem');
export const SubscriberPage = z.object({ items: z.array(SubscriberItem), nextCursor: z.string().nullable() }).openapi('ChannelSubscriberPage');

export const ReportInput = z.object({ reason: z.enum(['spam', 'abuse', 'copyright', 'other']), detail: z.string().max(2000).optional() }).openapi('ReportInput');
export const ReportSchema = z
  .object({
    id: z.string(),
    targetKind: z.enum(['content', 'comment']),
    targetId: z.string(),
    reporterId: z.string(),
    reason: z.enum(['spam', 'abuse', 'copyright', 'other']),
    detail: z.string().nullable(),
    status: z.enum(['open', 'resolved']),
    createdAt: z.string(),
    resolvedAt: z.string().nullable(),
    resolution: z.object({ action: z.enum(['dismiss', 'remove', 'deactivate_author']), note: z.string(), actorId: z.string() }).nullable(),
  })
  .openapi('Report');
export const ReportPage = z.object({ items: z.array(ReportSchema), nextCursor: z.string().nullable() }).openapi('ReportPage');
export const ResolveInput = z.object({ action: z.enum(['dismiss', 'remove', 'deactivate_author']), note: z.string().trim().min(1).max(2000) }).openapi('ReportResolution');
