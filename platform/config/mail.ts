import { z } from 'zod';

/** Variables of the mail capability. */
export const mailSchema = z.object({});

export type MailConfig = z.infer<typeof mailSchema>;
