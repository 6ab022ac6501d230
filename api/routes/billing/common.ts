import { z } from '@hono/zod-openapi';
import type { PlanTerms } from '../../../domain/billing/plans';
import type { ProductRow } from '../../../stores/billing/products';
import { MoneySchema } from '../../schemas';

export type { ProductRow } from '../../../stores/billing/products';

export const bearer = [{ bearer: [] }];
export const IdParam = z.object({ id: z.string().min(1).max(200) });

export const ProductSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['film', 'plan']),
    name: z.string(),
    description: z.string().nullable(),
    price: MoneySchema,
    accessDays: z.number().int().nullable(),
    interval: z.enum(['day', 'month', 'year', 'second']).nullable(),
    intervalCount: z.number().int().nullable(),
    trialDays: z.number().int().nullable(),
    grantsRole: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Product');

export function productView(row: ProductRow): z.infer<typeof ProductSchema> {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    description: row.description,
    price: { amount: Number(row.price_amount), currency: row.currency },
    accessDays: row.access_days,
    interval: row.interval,
    intervalCount: row.interval_count,
    trialDays: row.trial_days,
    grantsRole: row.grants_role,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function planTerms(row: ProductRow): PlanTerms {
  return {
    id: row.id,
    name: row.name,
    price: { amount: Number(row.price_amount), currency: row.currency },
    interval: row.interval ?? 'month',
    intervalCount: row.interval_count ?? 1,
    trialDays: row.trial_days ?? 0,
    grantsRole: row.grants_role ?? 'premium',
  };
}

export const SubscriptionSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    accountId: z.string(),
    planId: z.string(),
    planName: z.string(),
    status: z.enum(['incomplete', 'trialing', 'active', 'past_due', 'cancelled']),
    period: z.number().int(),
    price: MoneySchema,
    currentPeriodStart: z.string().nullable(),
    currentPeriodEnd: z.string().nullable(),
    cancelAtPeriodEnd: z.boolean(),
    pendingPlanId: z.string().nullable(),
    failedAttempts: z.number().int(),
    nextRetryAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
    refunded: MoneySchema.nullable(),
  })
  .openapi('Subscription');
