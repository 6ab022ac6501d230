import { z } from 'zod';

/** Variables of the shoutouts capability. */
export const shoutoutsSchema = z.object({});

export type ShoutoutsConfig = z.infer<typeof shoutoutsSchema>;
