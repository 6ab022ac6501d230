import { createRoute, z } from '@hono/zod-openapi';
import { newId } from '../../../domain/ids';
import { isKnownCurrency } from '../../../domain/money';
import { formatAmount } from '../../../domain/format';
import type { CoreDeps } from '../../../platform/deps';
import { priceChangeNotice } from '../../../workflows/billing';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth, requireRole } from '../../middleware/auth';
import { problems } from '../../problem';
import { MoneySchema, pageOf, PageQuery, problemResponses } from '../../schemas';
import { changeProduct, createProduct, findProduct, listProducts, type NewPriceChange, type ProductPatch } from '../../../stores/billing/products';
import { bearer, IdParam, productView, ProductSchema } from './common';

const Name = z.string().trim().min(1).max(200);
const Description = z.string().max(5000);

const FilmBody = z.object({ kind: z.literal('film'), name: Name, description: Description.optional(), price: MoneySchema, accessDays: z.number().int().min(1).max(36_500).optional() });
const PlanBody = z.object({
  kind: z.literal('plan'),
  name: Name,
  description: Description.optional(),
  price: MoneySchema,
  interval: z.enum(['month', 'year', 'day', 'second']).openapi({ description: "'second' is accepted outside production only." }),
  intervalCount: z.number().int().min(1).max(1000).optional(),
  trialDays: z.number().int().min(0).max(365).optional(),
  grantsRole: z.enum(['premium']).optional(),
});
const CreateProductBody = z.discriminatedUnion('kind', [FilmBody, PlanBody]).openapi('NewProduct');
const PatchProductBody = z
  .object({ name: Name.optional(), description: Description.nullable().optional(), price: MoneySchema.optional(), accessDays: z.number().int().min(1).max(36_500).nullable().optional(), trialDays: z.number().int().min(0).max(365).optional(), active: z.boolean().optional() })
  .openapi('ProductPatch');

export function registerProductRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config, temporal } = deps;
  const adminOnly = [requireAuth(config.JWT_SECRET), requireRole('admin')];

  const checkPrice = (price: { amount: number; currency: string }) => {
    if (!isKnownCurrency(price.currency)) throw problems.field('price.currency', 'unknown currency');
    if (price.amount < 0) throw problems.field('price.amount', 'must not be negative');
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/products',
      tags: ['billing'],
      summary: 'Create a film or a subscription plan (admin)',
      security: bearer,
      middleware: adminOnly,
      request: { body: { required: true, content: { 'application/json': { schema: CreateProductBody } } } },
      responses: { 201: { description: 'Created', content: { 'application/json': { schema: ProductSchema } } }, ...problemResponses(400, 401, 403, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      checkPrice(body.price);
      const id = newId(body.kind === 'film' ? 'flm' : 'pln');
      const common = { id, name: body.name, description: body.description ?? null, price: body.price };
      let inserted;
      if (body.kind === 'film') inserted = await createProduct(db, { ...common, kind: 'film', accessDays: body.accessDays ?? null });
      else {
        if (body.interval === 'second' && config.NODE_ENV === 'production') throw problems.field('interval', "'second' is not accepted in production");
        inserted = await createProduct(db, { ...common, kind: 'plan', interval: body.interval, intervalCount: body.intervalCount ?? 1, trialDays: body.trialDays ?? 0, grantsRole: body.grantsRole ?? 'premium' });
      }
      c.header('Location', `/v1/products/${id}`);
      return c.json(productView(inserted), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/products/{id}',
      tags: ['billing'],
      summary: 'Change a product (admin). A plan price change reaches subscribers from their first period starting BILLING_PRICE_CHANGE_NOTICE after it; they are emailed.',
      security: bearer,
      middleware: adminOnly,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: PatchProductBody } } } },
      responses: { 200: { description: 'Changed', content: { 'application/json': { schema: ProductSchema } } }, ...problemResponses(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const current = await findProduct(db, id);
      if (!current) throw problems.notFound(`Product ${id}`);
      const patch: ProductPatch = {};
      if (body.name !== undefined) patch.name = body.name;
      if (body.description !== undefined) patch.description = body.description;
      if (body.active !== undefined) patch.active = body.active;
      if (body.accessDays !== undefined) {
        if (current.kind !== 'film') throw problems.field('accessDays', 'only films have accessDays');
        patch.accessDays = body.accessDays;
      }
      if (body.trialDays !== undefined) {
        if (current.kind !== 'plan') throw problems.field('trialDays', 'only plans have trialDays');
        patch.trialDays = body.trialDays;
      }
      let change: NewPriceChange | undefined;
      if (body.price !== undefined) {
        checkPrice(body.price);
        if (body.price.currency !== current.currency) throw problems.field('price.currency', `the product is priced in ${current.currency}; create a new product for another currency`);
        if (body.price.amount !== Number(current.price_amount)) {
          patch.priceAmount = body.price.amount;
          if (current.kind === 'plan') {
            const changedAt = new Date();
            change = { id: newId('prc'), oldAmount: current.price_amount, amount: body.price.amount, currency: current.currency, changedAt, subscribersFrom: new Date(changedAt.getTime() + config.BILLING_PRICE_CHANGE_NOTICE) };
          }
        }
      }
      // The notice workflow starts inside the transaction: a crash after the commit cannot lose the
      // emails, and if the commit fails the workflow finds no change and sends nothing.
      const updated = await changeProduct(db, id, patch, change, async (row) => {
        if (!change) return;
        await temporal.workflow.start(priceChangeNotice, {
          taskQueue: config.TASK_QUEUE,
          workflowId: `price-change-${change.id}`,
          args: [{ changeId: change.id, planId: id, planName: row.name, oldPrice: formatAmount({ amount: Number(current.price_amount), currency: current.currency }), newPrice: formatAmount(body.price!), effectiveFrom: change.subscribersFrom.toISOString(), batch: config.BILLING_NOTICE_BATCH }],
        });
      });
      return c.json(productView(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/products',
      tags: ['billing'],
      summary: 'The catalogue: films and plans',
      request: { query: PageQuery.extend({ kind: z.enum(['film', 'plan']).optional(), active: z.enum(['true', 'false']).optional() }) },
      responses: { 200: { description: 'A page of products', content: { 'application/json': { schema: pageOf(ProductSchema, 'ProductPage') } } }, ...problemResponses(400) },
    }),
    async (c) => {
      const { kind, active, limit, cursor } = c.req.valid('query');
      const { rows: page, nextCursor } = await listProducts(db, { kind, active: active === undefined ? undefined : active === 'true' }, { limit, cursor });
      return c.json({ items: page.map(productView), nextCursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/products/{id}',
      tags: ['billing'],
      summary: 'One product',
      request: { params: IdParam },
      responses: { 200: { description: 'The product', content: { 'application/json': { schema: ProductSchema } } }, ...problemResponses(404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await findProduct(db, id);
      if (!row) throw problems.notFound(`Product ${id}`);
      return c.json(productView(row), 200);
    },
  );
}
