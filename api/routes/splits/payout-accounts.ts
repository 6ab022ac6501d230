import { createRoute, z } from '@hono/zod-openapi';
import { findAccount } from '../../../stores/accounts/accounts';
import { insertPayoutAccount, listPayoutAccounts as listPayoutAccountsPage } from '../../../stores/splits/payout-accounts';
import { newId } from '../../../domain/ids';
import type { CoreDeps } from '../../../platform/deps';
import type { AppOpenAPI } from '../../app-types';
import { isAdmin } from '../../middleware/auth';
import { problems } from '../../problem';
import { IdempotencyKeyHeader, pageOf, PageQuery, problemResponses } from '../../schemas';

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
    const account = await findAccount(db, body.accountId);
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
    const inserted = await insertPayoutAccount(db, { id, accountId: body.accountId, provider: body.provider, providerAccountId, createdBy: principal.accountId });
    if (!inserted) throw problems.field('providerAccountId', 'this connected account is already registered');
    return c.json(inserted, 201);
  });

  app.openapi(listPayoutAccounts, async (c) => {
    const principal = c.get('principal');
    const { limit, cursor, accountId } = c.req.valid('query');
    // A non-admin sees only its own; an admin all, or one account's.
    const owner = !isAdmin(principal) ? principal.accountId : accountId || undefined;
    return c.json(await listPayoutAccountsPage(db, { accountId: owner, limit, cursor }), 200);
  });
}
