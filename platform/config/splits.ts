import { z } from 'zod';

/** Variables of the splits capability. */
export const splitsSchema = z.object({});

export type SplitsConfig = z.infer<typeof splitsSchema>;
