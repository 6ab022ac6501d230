import { createRoute, z } from '@hono/zod-openapi';
import { newId } from '../../../domain/ids';
import type { PurchaseInput } from '../../../domain/billing/types';
import type { CoreDeps } from '../../../platform/deps';
import { filmPurchase, purchaseWorkflowId } from '../../../workflows/billing';
import type { AppOpenAPI } from '../../app-types';
import { requireAuth } from '../../middleware/auth';
import { problems } from '../../problem';
import { MoneySchema, pageOf, PageQuery, problemResponses } from '../../schemas';
import { isUniqueViolation } from '../../../platform/db';
import { recordThenStart } from '../../../platform/record-then-start';
import { findProduct } from '../../../stores/billing/products';
import { deletePurchase, expireRunOutAccess, insertPurchase, listLibrary, listPurchases, type PurchaseWithProduct } from '../../../stores/billing/purchases';
import { bearer } from './common';

const PurchaseSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    productId: z.string(),
    productName: z.string(),
    status: z.enum(['pending', 'active', 'expired', 'failed', 'refunded']),
    price: MoneySchema,
    paymentId: z.string().nullable(),
    accessExpiresAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Purchase');

const view = (r: PurchaseWithProduct): z.infer<typeof PurchaseSchema> => ({
  id: r.id,
  workflowId: purchaseWorkflowId(r.id),
  productId: r.product_id,
  productName: r.product_name,
  status: r.status,
  price: { amount: Number(r.amount), currency: r.currency },
  paymentId: r.payment_id,
  accessExpiresAt: r.access_expires_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

export function registerPurchaseRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, config, temporal } = deps;
  const auth = [requireAuth(config.JWT_SECRET)];

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/purchases',
      tags: ['billing'],
      summary: 'Buy a film: workflow purchase-<id> charges, grants access, emails a receipt and revokes access at expiry',
      security: bearer,
      middleware: auth,
      request: { body: { required: true, content: { 'application/json': { schema: z.object({ productId: z.string().min(1).max(200), paymentMethod: z.string().trim().min(1).max(200).openapi({ example: 'pm_card_visa' }) }) } } } },
      responses: { 202: { description: 'Started', content: { 'application/json': { schema: PurchaseSchema } } }, ...problemResponses(400, 401, 409, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const principal = c.get('principal');
      const product = await findProduct(db, body.productId);
      if (!product || product.kind !== 'film') throw problems.field('productId', 'no such film');
      if (!product.active) throw problems.field('productId', 'the film is not on sale');
      const id = newId('pur');
      const price = { amount: Number(product.price_amount), currency: product.currency };
      // An access that has run out but whose workflow has not yet ended it no longer counts.
      await expireRunOutAccess(db, principal.accountId, product.id);
      const input: PurchaseInput = { id, accountId: principal.accountId, productId: product.id, productName: product.name, price, paymentMethod: body.paymentMethod, accessMs: product.access_days ? product.access_days * config.BILLING_DAY_LENGTH : undefined };
      await recordThenStart({
        record: async () => {
          try {
            await insertPurchase(db, { id, accountId: principal.accountId, productId: product.id, amount: price.amount, currency: price.currency, accessDays: product.access_days });
          } catch (error) {
            if (isUniqueViolation(error)) throw problems.conflict('You already own this film.', { productId: product.id });
            throw error;
          }
        },
        start: () => temporal.workflow.start(filmPurchase, { taskQueue: config.TASK_QUEUE, workflowId: purchaseWorkflowId(id), args: [input] }),
        undo: () => deletePurchase(db, id),
      });
      c.header('Location', `/v1/me/purchases`);
      return c.json({ id, workflowId: purchaseWorkflowId(id), productId: product.id, productName: product.name, status: 'pending' as const, price, paymentId: null, accessExpiresAt: null, createdAt: new Date().toISOString() }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/purchases',
      tags: ['billing'],
      summary: 'My film purchases (newest first)',
      security: bearer,
      middleware: auth,
      request: { query: PageQuery },
      responses: { 200: { description: 'A page of purchases', content: { 'application/json': { schema: pageOf(PurchaseSchema, 'PurchasePage') } } }, ...problemResponses(400, 401) },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const { rows: page, nextCursor } = await listPurchases(db, c.get('principal').accountId, { limit, cursor });
      return c.json({ items: page.map(view), nextCursor }, 200);
    },
  );

  const LibraryItem = z.object({ productId: z.string(), name: z.string(), description: z.string().nullable(), purchaseId: z.string(), accessExpiresAt: z.string().nullable() }).openapi('LibraryItem');
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/library',
      tags: ['billing'],
      summary: 'The films I may watch now, most recently bought first (paginated)',
      security: bearer,
      middleware: auth,
      request: { query: PageQuery },
      responses: { 200: { description: 'My library', content: { 'application/json': { schema: z.object({ items: z.array(LibraryItem), nextCursor: z.string().nullable() }) } } }, ...problemResponses(400, 401) },
    }),
    async (c) => {
      const { rows, nextCursor } = await listLibrary(db, c.get('principal').accountId, c.req.valid('query'));
      const items = rows.map((r) => ({ productId: r.product_id, name: r.name, description: r.description, purchaseId: r.id, accessExpiresAt: r.access_expires_at?.toISOString() ?? null }));
      return c.json({ items, nextCursor }, 200);
    },
  );
}
