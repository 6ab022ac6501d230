import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Dialog, DialogTrigger, Heading, Link, Modal } from 'react-aria-components';
import { useLocation } from 'wouter';
import { api, formatMoney, unwrap, type Schemas } from '../api/client';
import { useAuth } from '../auth';
import { ApiForm, Button, CardField, Empty, Loading, Page, ProblemAlert, SelectField, Status, When, str, useAction } from '../ui';
import { NeedsLogin } from './orders';

const ACTIVE = new Set(['incomplete', 'trialing', 'active', 'past_due']);

function every(p: Schemas['Product']) {
  if (p.kind !== 'plan') return p.accessDays ? `${p.accessDays} days of access` : 'Yours to keep';
  const n = p.intervalCount ?? 1;
  return `every ${n > 1 ? `${n} ` : ''}${p.interval}${n > 1 ? 's' : ''}`;
}

function Checkout({ product }: { product: Schemas['Product'] }) {
  const [, navigate] = useLocation();
  const queryClient = useQueryClient();
  const verb = product.kind === 'plan' ? 'Subscribe' : 'Buy';
  return (
    <DialogTrigger>
      <Button>{`${verb} — ${formatMoney(product.price)}`}</Button>
      <Modal className="modal" isDismissable>
        <Dialog className="dialog">
          {({ close }) => (
            <>
              <Heading slot="title">
                {verb}: {product.name}
              </Heading>
              <p>
                {formatMoney(product.price)} {every(product)}
                {product.trialDays ? `, after a ${product.trialDays}-day free trial` : ''}.
              </p>
              <ApiForm
                submit={`Pay ${formatMoney(product.price)}`}
                fields={['paymentMethod', 'planId', 'productId']}
                action={async (data) => {
                  if (product.kind === 'plan') await unwrap(api.POST('/v1/subscriptions', { body: { planId: product.id, paymentMethod: str(data, 'paymentMethod') } }));
                  else await unwrap(api.POST('/v1/purchases', { body: { productId: product.id, paymentMethod: str(data, 'paymentMethod') } }));
                  await queryClient.invalidateQueries();
                  close();
                  navigate(product.kind === 'plan' ? '/subscriptions' : '/library');
                }}
              >
                <CardField />
              </ApiForm>
              <Button variant="secondary" onPress={close}>
                Cancel
              </Button>
            </>
          )}
        </Dialog>
      </Modal>
    </DialogTrigger>
  );
}

export function Shop() {
  const { account } = useAuth();
  const products = useQuery({ queryKey: ['products'], queryFn: () => unwrap(api.GET('/v1/products', { params: { query: { limit: 100 } } })) });
  const items = (products.data?.items ?? []).filter((p) => p.active);
  const section = (kind: 'film' | 'plan', title: string) => (
    <section aria-labelledby={`${kind}-h`}>
      <h2 id={`${kind}-h`}>{title}</h2>
      {items.filter((p) => p.kind === kind).length === 0 ? (
        <Empty>Nothing here yet.</Empty>
      ) : (
        <ul className="grid">
          {items
            .filter((p) => p.kind === kind)
            .map((p) => (
              <li key={p.id} className="card product">
                <h3 className="card-title">{p.name}</h3>
                <p className="muted">{p.description}</p>
                <p className="price">
                  {formatMoney(p.price)} <span className="muted">{every(p)}</span>
                </p>
                {account ? <Checkout product={p} /> : <Link href="/login?next=/shop">Log in to buy</Link>}
              </li>
            ))}
        </ul>
      )}
    </section>
  );
  return (
    <Page title="Films & memberships">
      <ProblemAlert error={products.error} />
      {products.isPending ? (
        <Loading />
      ) : (
        <>
          {section('plan', 'Memberships')}
          {section('film', 'Films')}
        </>
      )}
    </Page>
  );
}

export function Library() {
  const { account, ready } = useAuth();
  const library = useQuery({ queryKey: ['library'], queryFn: () => unwrap(api.GET('/v1/me/library')), enabled: !!account, refetchInterval: 3000 });
  const purchases = useQuery({ queryKey: ['purchases'], queryFn: () => unwrap(api.GET('/v1/me/purchases', { params: { query: { limit: 100 } } })), enabled: !!account, refetchInterval: (q) => (q.state.data?.items.some((p) => p.status === 'pending') ? 2000 : false) });
  if (!ready) return <Loading />;
  if (!account) return <NeedsLogin />;
  return (
    <Page title="My library">
      <ProblemAlert error={library.error ?? purchases.error} />
      {library.data?.items.length === 0 ? (
        <Empty>
          Nothing in your library yet. <Link href="/shop">Browse films</Link>.
        </Empty>
      ) : (
        <ul className="grid">
          {library.data?.items.map((i) => (
            <li key={i.purchaseId} className="card">
              <h2 className="card-title">{i.name}</h2>
              <p className="muted">{i.description}</p>
              <p>
                Access until: <When iso={i.accessExpiresAt} />
              </p>
            </li>
          ))}
        </ul>
      )}
      <h2>Purchases</h2>
      {purchases.data?.items.length === 0 ? (
        <Empty>No purchases yet.</Empty>
      ) : (
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Film</th>
            <th scope="col">Price</th>
            <th scope="col">Status</th>
            <th scope="col">Bought</th>
          </tr>
        </thead>
        <tbody>
          {purchases.data?.items.map((p) => (
            <tr key={p.id}>
              <td>{p.productName}</td>
              <td>{formatMoney(p.price)}</td>
              <td>
                <Status value={p.status} />
              </td>
              <td>
                <When iso={p.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      )}
    </Page>
  );
}

function SubscriptionCard({ sub, plans }: { sub: Schemas['Subscription']; plans: Schemas['Product'][] }) {
  const queryClient = useQueryClient();
  const { run, busy, error } = useAction();
  const act = (fn: () => Promise<unknown>) => () =>
    run(async () => {
      await fn();
      await queryClient.invalidateQueries({ queryKey: ['subscriptions'] });
    });
  const path = { params: { path: { id: sub.id } } };
  const live = ACTIVE.has(sub.status);
  return (
    <li className="card" aria-labelledby={`sub-${sub.id}`}>
      <h2 className="card-title" id={`sub-${sub.id}`}>
        {sub.planName}
      </h2>
      <p>
        <Status value={sub.status} /> {sub.cancelAtPeriodEnd && <span className="status status-warn">cancels at period end</span>} {formatMoney(sub.price)}
      </p>
      <dl className="facts">
        <dt>Current period</dt>
        <dd>
          <When iso={sub.currentPeriodStart} /> – <When iso={sub.currentPeriodEnd} />
        </dd>
        {sub.failedAttempts > 0 && (
          <>
            <dt>Failed renewals</dt>
            <dd>
              {sub.failedAttempts}, next try <When iso={sub.nextRetryAt} />
            </dd>
          </>
        )}
        {sub.pendingPlanId && (
          <>
            <dt>Changes to</dt>
            <dd>{plans.find((p) => p.id === sub.pendingPlanId)?.name ?? sub.pendingPlanId} at the next renewal</dd>
          </>
        )}
      </dl>
      <ProblemAlert error={error} />
      {live && (
        <div className="actions">
          {sub.cancelAtPeriodEnd ? (
            <Button isDisabled={busy} onPress={act(() => unwrap(api.POST('/v1/subscriptions/{id}/resume', path)))}>
              Resume
            </Button>
          ) : (
            <Button variant="secondary" isDisabled={busy} onPress={act(() => unwrap(api.POST('/v1/subscriptions/{id}/cancel', { ...path, body: { atPeriodEnd: true } })))}>
              Cancel at period end
            </Button>
          )}
          <Button variant="danger" isDisabled={busy} onPress={act(() => unwrap(api.POST('/v1/subscriptions/{id}/cancel', { ...path, body: { atPeriodEnd: false } })))}>
            Cancel now
          </Button>
        </div>
      )}
      {live && (
        <details className="more">
          <summary>Change plan or payment method</summary>
          <ApiForm
            submit="Change plan"
            fields={['planId']}
            action={async (data) => {
              await unwrap(api.POST('/v1/subscriptions/{id}/change-plan', { ...path, body: { planId: str(data, 'planId') } }));
              await queryClient.invalidateQueries({ queryKey: ['subscriptions'] });
            }}
          >
            <SelectField
              label="New plan"
              name="planId"
              defaultValue={plans.find((p) => p.id !== sub.planId)?.id}
              options={plans.filter((p) => p.id !== sub.planId).map((p) => ({ value: p.id, label: `${p.name} — ${formatMoney(p.price)}` }))}
            />
          </ApiForm>
          <ApiForm
            submit="Update payment method"
            fields={['paymentMethod']}
            action={async (data) => {
              await unwrap(api.PUT('/v1/subscriptions/{id}/payment-method', { ...path, body: { paymentMethod: str(data, 'paymentMethod') } }));
              await queryClient.invalidateQueries({ queryKey: ['subscriptions'] });
            }}
          >
            <CardField />
          </ApiForm>
        </details>
      )}
    </li>
  );
}

export function Subscriptions() {
  const { account, ready } = useAuth();
  const subs = useQuery({
    queryKey: ['subscriptions'],
    queryFn: () => unwrap(api.GET('/v1/me/subscriptions', { params: { query: { limit: 100 } } })),
    enabled: !!account,
    refetchInterval: (q) => (q.state.data?.items.some((s) => s.status === 'incomplete') ? 1500 : 5000),
  });
  const plans = useQuery({ queryKey: ['products'], queryFn: () => unwrap(api.GET('/v1/products', { params: { query: { limit: 100 } } })) });
  if (!ready) return <Loading />;
  if (!account) return <NeedsLogin />;
  const planList = (plans.data?.items ?? []).filter((p) => p.kind === 'plan' && p.active);
  return (
    <Page title="My subscriptions">
      <ProblemAlert error={subs.error} />
      {subs.isPending ? (
        <Loading />
      ) : subs.data?.items.length === 0 ? (
        <Empty>
          No subscriptions. <Link href="/shop">See the memberships</Link>.
        </Empty>
      ) : (
        <ul className="grid grid-wide">
          {subs.data?.items.map((s) => <SubscriptionCard key={s.id} sub={s} plans={planList} />)}
        </ul>
      )}
    </Page>
  );
}
