import { createRoute, z } from '@hono/zod-openapi';
import { toPayoutAccount } from '../../../stores/splits/splits';
import { newId } from '../../../domain/ids';
import type { CoreDeps } from '../../../platform/deps';
import type { AppOpenAPI } from '../../app-types';
import { isAdmin } from '../../middleware/auth';
import { problems } from '../../problem';
import { cursorParam, encodeCursor, IdempotencyKeyHeader, pageOf, PageQuery, problemResponses } from '../../schemas';

const PayoutAccountInput = z
  .object({
    accountId: z.string().min(1).max(100),
    provider: z.enum(['stripe', 'sandbox']),
    providerAccountId: z.string().min(1).max(255).optional().openapi({ description: 'The Stripe connected account (acct_…); the sandbox creates its own.' }),
  })
  .openapi('PayoutAccountInput');

export const PayoutAccountSchema = z
  .object({ id: z.string(), accountId: z.string(), provider: z.enum(['stripe', 'sandbox']), providerAccountId: z.string(), createdAt: z.string() })
  .openapi('PayoutAccount');

const createPayoutAccount = createRoute({
  method: 'post',
  path: '/v1/payout-accounts',
  tags: ['splits'],
  summary: "Register a recipient's payout account (the account's owner or an admin)",
  security: [{ bearer: [] }],
  request: { headers: IdempotencyKeyHeader, body: { required: true, content: { 'application/json': { schema: PayoutAccountInput } } } },
  responses: { 201: { description: 'Registered', content: { 'application/json': { schema: PayoutAccountSchema } } }, ...problemResponses(400, 401, 403, 422) },
});

const listPayoutAccounts = createRoute({
  method: 'get',
  path: '/v1/payout-accounts',
  tags: ['splits'],
  summary: "Payout accounts: the caller's own (an admin sees all, or one account's with ?accountId=)",
  security: [{ bearer: [] }],
  request: { query: PageQuery.extend({ accountId: z.string().max(100).optional() }) },
  responses: { 200: { description: 'A page of payout accounts', content: { 'application/json': { schema: pageOf(PayoutAccountSchema, 'PayoutAccountPage') } } }, ...problemResponses(400, 401) },
});

export function registerPayoutAccountRoutes(app: AppOpenAPI, deps: CoreDeps): void {
  const { db, ports } = deps;

  app.openapi(createPayoutAccount, async (c) => {
    const principal = c.get('principal');
    const body = c.req.valid('json');
    if (body.accountId !== principal.accountId && !isAdmin(principal)) throw problems.forbidden('Only the account owner or an admin registers its payout account.');
    const account = await db('accounts').where({ id: body.accountId }).first('id', 'email', 'name', 'status');
    if (!account) throw problems.field('accountId', 'no such account');
    if (account.status !== 'active') throw problems.field('accountId', 'the account is not active');
    if (body.provider !== ports.payments.provider) throw problems.field('provider', `the platform pays out with ${ports.payments.provider}`);

    const id = newId('pa');
    let providerAccountId: string;
    if (body.provider === 'sandbox') {
      if (body.providerAccountId !== undefined) throw problems.field('providerAccountId', 'the sandbox creates its own connected account: leave it out');
      providerAccountId = (await ports.payments.createRecipientAccount({ email: account.email, name: account.name }, { idempotencyKey: `payout-account/${id}` })).accountId;
    } else {
      if (!body.providerAccountId) throw problems.field('providerAccountId', 'the Stripe connected account id is required');
      if (!/^acct_[A-Za-z0-9]+$/.test(body.providerAccountId)) throw problems.field('providerAccountId', 'a Stripe connected account id looks like acct_…');
      providerAccountId = body.providerAccountId;
    }
    const inserted = await db('payout_accounts')
      .insert({ id, account_id: body.accountId, provider: body.provider, provider_account_id: providerAccountId, created_by: principal.accountId })
      .onConflict(['provider', 'provider_account_id'])
      .ignore()
      .returning('*');
    if (inserted.length === 0) throw problems.field('providerAccountId', 'this connected account is already registered');
    return c.json(toPayoutAccount(inserted[0]), 201);
  });

  app.openapi(listPayoutAccounts, async (c) => {
    const principal = c.get('principal');
    const { limit, cursor, accountId } = c.req.valid('query');
    const after = cursorParam(cursor);
    let q = db('payout_accounts');
    if (!isAdmin(principal)) q = q.where({ account_id: principal.accountId });
    else if (accountId) q = q.where({ account_id: accountId });
    if (after) q = q.andWhereRaw('(created_at, id) > (?::timestamptz, ?)', [after.createdAt, after.id]);
    const rows = await q.orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(limit + 1);
    const page = rows.slice(0, limit).map(toPayoutAccount);
    const last = page[page.length - 1];
    return c.json({ items: page, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null }, 200);
  });
}
