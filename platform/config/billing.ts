import { z } from 'zod';

/** Variables of the billing capability. */
export const billingSchema = z.object({});

export type BillingConfig = z.infer<typeof billingSchema>;
