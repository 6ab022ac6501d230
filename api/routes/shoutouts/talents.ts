import { createRoute, z } from '@hono/zod-openapi';
import { isKnownCurrency } from '../../../domain/money';
import { getTalent, toTalentProfile, type TalentRow } from '../../../stores/shoutouts/records';
import type { CoreDeps } from '../../../platform/deps';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth } from '../../middleware/auth';
import { problems } from '../../problem';
import { cursorParam, encodeCursor, MoneySchema, pageOf, PageQuery, problemResponses } from '../../schemas';

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

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

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
    const row = {
      account_id: principal.accountId,
      display_name: body.displayName,
      bio: body.bio,
      category: body.category.toLowerCase(),
      price_amount: body.price.amount,
      currency: body.price.currency,
      turnaround_days: body.turnaroundDays,
      business_price_amount: body.businessPrice?.amount ?? null,
      accepting_orders: body.acceptingOrders,
    };
    const [saved] = await db('shoutout_talents')
      .insert(row)
      .onConflict('account_id')
      .merge({ ...row, updated_at: db.fn.now() })
      .returning('*');
    return c.json(toTalentProfile(saved as TalentRow), 200);
  });

  app.openapi(listTalents, async (c) => {
    const { limit, cursor, q, category, accepting } = c.req.valid('query');
    const after = cursorParam(cursor);
    const query = db<TalentRow>('shoutout_talents').select('*');
    if (q) query.whereRaw(`lower(display_name) like ? escape '\\'`, [`%${likeEscape(q.toLowerCase())}%`]);
    if (category) query.where({ category: category.toLowerCase() });
    if (accepting) query.where({ accepting_orders: accepting === 'true' });
    if (after) query.whereRaw('(created_at, account_id) > (?, ?)', [after.createdAt, after.id]);
    const rows = (await query.orderBy([{ column: 'created_at' }, { column: 'account_id' }]).limit(limit + 1)) as TalentRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return c.json({ items: page.map(toTalentProfile), nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.account_id) : null }, 200);
  });

  app.openapi(getTalentRoute, async (c) => {
    const { id } = c.req.valid('param');
    const talent = await getTalent(db, id);
    if (!talent) throw problems.notFound(`Talent ${id}`);
    return c.json(talent, 200);
  });
}
