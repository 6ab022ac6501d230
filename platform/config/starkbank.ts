import { z } from 'zod';

/** Variables of the starkbank capability. */
export const starkbankSchema = z.object({});

export type StarkbankConfig = z.infer<typeof starkbankSchema>;
