import { z } from '@hono/zod-openapi';

/** What every content carries about engagement (counts converge after the flush; myVote is the caller's at once). */
export const EngagementFields = {
  upvotes: z.number().int(),
  downvotes: z.number().int(),
  score: z.number().int().openapi({ description: 'upvotes − downvotes.' }),
  myVote: z.union([z.literal(1), z.literal(-1)]).nullable().openapi({ description: "The caller's vote (null: none, or anonymous); seen at once, before the flush." }),
  viewCount: z.number().int(),
  commentsEnabled: z.boolean(),
};

/** The same, optional: on content answers that are not about engagement (a fresh draft, an upload accepted). */
export const OptionalEngagementFields = Object.fromEntries(Object.entries(EngagementFields).map(([k, v]) => [k, v.optional()])) as {
  [K in keyof typeof EngagementFields]: z.ZodOptional<(typeof EngagementFields)[K]>;
};
