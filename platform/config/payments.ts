import { z } from 'zod';

/** Variables of the payments capability. */
export const paymentsSchema = z.object({});

export type PaymentsConfig = z.infer<typeof paymentsSchema>;
