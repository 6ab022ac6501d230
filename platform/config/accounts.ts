import { z } from 'zod';

/** Variables of the accounts capability. */
export const accountsSchema = z.object({});

export type AccountsConfig = z.infer<typeof accountsSchema>;
