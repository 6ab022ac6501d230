import { z } from '@hono/zod-openapi';
import { CONTENT_AUDIENCES, CONTENT_KINDS, CONTENT_STATUSES, CONTENT_VISIBILITIES } from '../../../domain/contents';
import { OptionalEngagementFields } from '../engagement/content-fields';

export const bearer: Record<string, string[]>[] = [{ bearer: [] }];
/** Media routes take a bearer token, a signed URL (`exp` + `sig`), or nothing for public contents. */
export const mediaSecurity: Record<string, string[]>[] = [{ bearer: [] }, {}];

export const ContentIdParam = z.object({ id: z.string().min(1).max(100).openapi({ description: 'The content id.' }) });
export const ChannelIdParam = z.object({ id: z.string().min(1).max(100).openapi({ description: 'The channel id.' }) });

const Title = z.string().trim().min(1).max(200);
const Description = z.string().max(5000);
const Credit = z.string().trim().min(1).max(200);

export const ContentInput = z
  .object({
    kind: z.enum(CONTENT_KINDS),
    title: Title,
    description: Description.optional(),
    visibility: z.enum(CONTENT_VISIBILITIES).default('public'),
    audience: z.enum(CONTENT_AUDIENCES).default('everyone'),
    artist: Credit.optional().openapi({ description: 'Tracks only (422 on a video).' }),
    album: Credit.optional().openapi({ description: 'Tracks only (422 on a video).' }),
  })
  .openapi('ContentInput');

export const ContentPatch = z
  .object({
    title: Title.optional(),
    description: Description.optional(),
    visibility: z.enum(CONTENT_VISIBILITIES).optional(),
    audience: z.enum(CONTENT_AUDIENCES).optional(),
    artist: Credit.nullable().optional().openapi({ description: 'Tracks only; null clears it.' }),
    album: Credit.nullable().optional().openapi({ description: 'Tracks only; null clears it.' }),
    commentsEnabled: z.boolean().optional().openapi({ description: 'false turns comments off on this content.' }),
  })
  .openapi('ContentPatch');

const Playback = z
  .object({
    expiresAt: z.string().openapi({ description: 'When the signed URLs below stop working; fetch the content again for fresh ones.' }),
    hls: z.string().optional().openapi({ description: 'Videos: the signed master playlist (its playlists and segments come signed too).' }),
    download: z.string().openapi({ description: 'Signed progressive MP4 (videos) or AAC m4a (tracks); supports Range.' }),
    poster: z.string().optional().openapi({ description: 'Videos: signed poster JPEG.' }),
    waveform: z.string().optional().openapi({ description: 'Tracks: signed waveform JSON (800 peaks).' }),
  })
  .openapi('ContentPlayback');

export const ContentSchema = z
  .object({
    id: z.string().openapi({ example: 'cnt_0f8c1d2e3b4a59687766554433221100' }),
    channelId: z.string(),
    kind: z.enum(CONTENT_KINDS),
    title: z.string(),
    description: z.string(),
    authorId: z.string(),
    status: z.enum(CONTENT_STATUSES),
    visibility: z.enum(CONTENT_VISIBILITIES),
    audience: z.enum(CONTENT_AUDIENCES),
    durationSeconds: z.number().nullable(),
    artist: z.string().nullable().optional().openapi({ description: 'Tracks only.' }),
    album: z.string().nullable().optional().openapi({ description: 'Tracks only.' }),
    failureReason: z.string().nullable().openapi({ description: 'Why the last upload failed (status failed).' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    publishedAt: z.string().nullable(),
    renditions: z.array(z.object({ name: z.string(), width: z.number().int(), height: z.number().int(), bandwidth: z.number().int() })).optional().openapi({ description: 'Published videos: the HLS renditions.' }),
    premiumRequired: z.boolean().openapi({ description: 'The caller may see this content but not play it: premium members only.' }),
    playback: Playback.nullable().openapi({ description: 'Signed media URLs, when the content is published and the caller may play it.' }),
    // Votes, views and comments (the engagement capability): on GET, lists and PATCH.
    ...OptionalEngagementFields,
  })
  .openapi('Content');

export const ContentPage = z.object({ items: z.array(ContentSchema), nextCursor: z.string().nullable() }).openapi('ContentPage');

export const ContentListQuery = z.object({
  kind: z.enum(CONTENT_KINDS).optional(),
  sort: z.enum(['newest', 'oldest']).default('newest'),
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: 'Page size (1–200).' }),
  cursor: z.string().max(500).optional().openapi({ description: 'The nextCursor of the previous page (with the same sort).' }),
});

export const ContentDeletionAccepted = z
  .object({ id: z.string(), workflowId: z.string().openapi({ example: 'contentPublishing-cnt_0f8c1d2e3b4a59687766554433221100' }) })
  .openapi('ContentDeletionAccepted');

export const UploadAccepted = z
  .object({
    content: ContentSchema,
    workflowId: z.string(),
    upload: z.object({ bytes: z.number().int(), filename: z.string(), durationSeconds: z.number() }),
  })
  .openapi('ContentUploadAccepted');

/** The signed-URL query every media route accepts. */
export const SignedQuery = z.object({
  exp: z.string().max(20).optional().openapi({ description: 'Signed URL: expiry (unix seconds).' }),
  sig: z.string().max(100).optional().openapi({ description: 'Signed URL: signature.' }),
});
