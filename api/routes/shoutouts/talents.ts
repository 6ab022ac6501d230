import { createRoute, z } from '@hono/zod-openapi';
import { isKnownCurrency } from '../../../domain/money';
import { getTalent, searchTalents, upsertTalent } from '../../../stores/shoutouts/talents';
import type { CoreDeps } from '../../../platform/deps';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth } from '../../middleware/auth';
import { problems } from '../../problem';
import { MoneySchema, pageOf, PageQuery, problemResponses } from '../../schemas';

export const TalentSchema = z
  .object({
    id: z.string().openapi({ description: 'The talent account id.' }),
    displayName: z.string(),
    bio: z.string(),
    category: z.string(),
    price: MoneySchema,
    turnaroundDays: z.number().int(),
    businessPrice: MoneySchema.nullable(),
    acceptingOrders: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Talent');

const TalentInput = z
  .object({
    displayName: z.string().trim().min(1).max(100),
    bio: z.string().max(2000).default(''),
    category: z.string().trim().min(1).max(50),
    price: MoneySchema,
    turnaroundDays: z.number().int().min(1).max(60).default(7),
    businessPrice: MoneySchema.nullable().optional(),
    acceptingOrders: z.boolean().default(true),
  })
  .openapi('TalentInput');

const putMe = createRoute({
  method: 'put',
  path: '/v1/talents/me',
  tags: ['shoutouts'],
  summary: "Create or update the caller's talent profile",
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { 'application/json': { schema: TalentInput } } } },
  responses: { 200: { description: 'The profile', content: { 'application/json': { schema: TalentSchema } } }, ...problemResponses(400, 401, 403, 422) },
});

const listTalents = createRoute({
  method: 'get',
  path: '/v1/talents',
  tags: ['shoutouts'],
  summary: 'Search talents by name and category',
  request: {
    query: PageQuery.extend({
      q: z.string().max(100).optional().openapi({ description: 'Part of the display name (case-insensitive).' }),
      category: z.string().max(50).optional(),
      accepting: z.enum(['true', 'false']).optional().openapi({ description: 'Only talents accepting orders (true) or not (false).' }),
    }),
  },
  responses: { 200: { description: 'A page of talents', content: { 'application/json': { schema: pageOf(TalentSchema, 'TalentPage') } } }, ...problemResponses(400) },
});

const getTalentRoute = createRoute({
  method: 'get',
  path: '/v1/talents/{id}',
  tags: ['shoutouts'],
  summary: 'A talent profile',
  request: { params: z.object({ id: z.string().max(100) }) },
  responses: { 200: { description: 'The profile', content: { 'application/json': { schema: TalentSchema } } }, ...problemResponses(404) },
});

export function registerTalentRoutes(app: AppOpenAPI, { db, config }: CoreDeps): void {
  app.use('/v1/talents/me', requireAuth(config.JWT_SECRET));

  app.openapi(putMe, async (c) => {
    const principal = c.get('principal');
    if (principal.kind !== 'talent') throw problems.forbidden('Only talent accounts have a talent profile.');
    const body = c.req.valid('json');
    if (!isKnownCurrency(body.price.currency)) throw problems.field('price.currency', `unknown currency ${body.price.currency}`);
    if (body.price.amount <= 0) throw problems.field('price.amount', 'must be positive');
    if (body.businessPrice) {
      if (body.businessPrice.currency !== body.price.currency) throw problems.field('businessPrice.currency', 'must be the currency of price');
      if (body.businessPrice.amount <= 0) throw problems.field('businessPrice.amount', 'must be positive');
    }
    const saved = await upsertTalent(db, {
      account_id: principal.accountId,
      display_name: body.displayName,
      bio: body.bio,
      category: body.category.toLowerCase(),
      price_amount: body.price.amount,
      currency: body.price.currency,
      turnaround_days: body.turnaroundDays,
      business_price_amount: body.businessPrice?.amount ?? null,
      accepting_orders: body.acceptingOrders,
    });
    return c.json(saved, 200);
  });

  app.openapi(listTalents, async (c) => {
    const { limit, cursor, q, category, accepting } = c.req.valid('query');
    const page = await searchTalents(db, { q, category, accepting: accepting === undefined ? undefined : accepting === 'true', limit, cursor });
    return c.json(page, 200);
  });

  app.openapi(getTalentRoute, async (c) => {
    const { id } = c.req.valid('param');
    const talent = await getTalent(db, id);
    if (!talent) throw problems.notFound(`Talent ${id}`);
    return c.json(talent, 200);
  });
}
