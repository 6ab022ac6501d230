/**
 * Trending ("hot") score of a published content, recomputed by every flush for the contents it
 * touched and for every content published within the trending horizon:
 *
 *   hot = (upvotes − downvotes + ln(1 + views)) / (hours since publication + 2) ^ GRAVITY
 *
 * Votes count linearly and views logarithmically (a thousand views weigh about as much as seven
 * net upvotes, so views lift a content without drowning votes); the denominator makes every score
 * decay with age (GRAVITY 1.5, as the well-known news-site formula), the +2 keeps brand-new
 * contents from dividing by nearly zero. stores/contents/engagement.ts computes the same in SQL.
 */
export const HOT_GRAVITY = 1.5;
export const HOT_AGE_OFFSET_HOURS = 2;

export function hotScore(input: { upvotes: number; downvotes: number; views: number; publishedAt: Date; now: Date }): number {
  const hours = Math.max(0, (input.now.getTime() - input.publishedAt.getTime()) / 3_600_000);
  return (input.upvotes - input.downvotes + Math.log(1 + Math.max(0, input.views))) / Math.pow(hours + HOT_AGE_OFFSET_HOURS, HOT_GRAVITY);
}
