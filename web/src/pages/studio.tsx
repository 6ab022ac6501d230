import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Checkbox } from 'react-aria-components';
import { api, formatMoney, toMajor, toMinor, unwrap, type Schemas } from '../api/client';
import { useAuth } from '../auth';
import { ApiForm, Button, Empty, Field, Loading, Page, ProblemAlert, SelectField, Status, When, str } from '../ui';
import { MediaUpload } from '../ui-upload';
import { NeedsLogin, TERMINAL } from './orders';

const CURRENCIES = ['USD', 'EUR', 'BRL', 'GBP'];

function Profile({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const [accepting, setAccepting] = useState<boolean | null>(null);
  const profile = useQuery({
    queryKey: ['talent', id],
    queryFn: async () => {
      const res = await api.GET('/v1/talents/{id}', { params: { path: { id } } });
      if (res.response.status === 404) return null;
      return unwrap(Promise.resolve(res));
    },
  });
  if (profile.isPending) return <Loading />;
  const t = profile.data;
  const currency = t?.price.currency ?? 'USD';
  return (
    <section className="card" aria-labelledby="profile-h">
      <h2 id="profile-h">Your profile and price</h2>
      {!t && <p className="note">Fans find you once you save a profile.</p>}
      <ApiForm
        submit="Save profile"
        fields={['displayName', 'bio', 'category', 'price.amount', 'price.currency', 'price', 'turnaroundDays', 'acceptingOrders']}
        action={async (data) => {
          setSaved(false);
          const cur = str(data, 'price.currency');
          const amount = str(data, 'price.amount');
          const turnaround = Number(str(data, 'turnaroundDays'));
          await unwrap(
            api.PUT('/v1/talents/me', {
              body: {
                displayName: str(data, 'displayName'),
                bio: str(data, 'bio'),
                category: str(data, 'category'),
                price: { amount: amount === '' ? NaN : toMinor(amount, cur), currency: cur },
                turnaroundDays: turnaround,
                acceptingOrders: accepting ?? t?.acceptingOrders ?? true,
              },
            }),
          );
          await queryClient.invalidateQueries({ queryKey: ['talent', id] });
          setSaved(true);
        }}
      >
        <Field name="displayName" label="Display name" defaultValue={t?.displayName} isRequired />
        <Field name="category" label="Category" defaultValue={t?.category} placeholder="Actor, musician, athlete…" isRequired />
        <Field name="bio" label="Bio" multiline defaultValue={t?.bio} />
        <div className="row">
          <Field name="price.amount" label="Price" inputMode="decimal" defaultValue={t ? toMajor(t.price) : ''} isRequired />
          <SelectField label="Currency" name="price.currency" defaultValue={currency} options={CURRENCIES} />
          <Field name="turnaroundDays" label="Turnaround (days)" inputMode="numeric" defaultValue={String(t?.turnaroundDays ?? 7)} />
        </div>
        <Checkbox isSelected={accepting ?? t?.acceptingOrders ?? true} onChange={setAccepting} className="checkbox">
          <span className="box" aria-hidden="true" /> Accepting orders
        </Checkbox>
      </ApiForm>
      {saved && (
        <p role="status" className="note">
          Profile saved.
        </p>
      )}
    </section>
  );
}

function Upload({ order }: { order: Schemas['Shoutout'] }) {
  const queryClient = useQueryClient();
  return (
    <MediaUpload
      id={`video-${order.id}`}
      path={`/v1/shoutouts/${encodeURIComponent(order.id)}/video`}
      field="video"
      accept="video/*"
      label={`Video for ${order.recipientName}`}
      submit="Upload video"
      onUploaded={() => queryClient.invalidateQueries({ queryKey: ['shoutouts', 'talent'] })}
    />
  );
}

function Decline({ order }: { order: Schemas['Shoutout'] }) {
  const queryClient = useQueryClient();
  return (
    <details className="more">
      <summary>Decline…</summary>
      <ApiForm
        submit="Decline the order"
        fields={['reason']}
        action={async (data) => {
          await unwrap(api.POST('/v1/shoutouts/{id}/decline', { params: { path: { id: order.id } }, body: { reason: str(data, 'reason') } }));
          await queryClient.invalidateQueries({ queryKey: ['shoutouts', 'talent'] });
        }}
      >
        <Field name="reason" label="Reason (the fan sees it)" isRequired />
      </ApiForm>
    </details>
  );
}

function IncomingOrder({ order }: { order: Schemas['Shoutout'] }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  return (
    <li className="card" aria-labelledby={`o-${order.id}`}>
      <h3 className="card-title" id={`o-${order.id}`}>
        {order.occasion} for {order.recipientName}
      </h3>
      <p>
        <Status value={order.status} /> {formatMoney(order.price)} · due <When iso={order.deadlineAt} />
      </p>
      <p className="instructions">{order.instructions || 'No instructions.'}</p>
      <ProblemAlert error={error} />
      {order.status === 'requested' && (
        <div className="actions">
          <Button
            onPress={async () => {
              setError(null);
              try {
                await unwrap(api.POST('/v1/shoutouts/{id}/accept', { params: { path: { id: order.id } } }));
                await queryClient.invalidateQueries({ queryKey: ['shoutouts', 'talent'] });
              } catch (e) {
                setError(e);
              }
            }}
          >
            Accept
          </Button>
          <Decline order={order} />
        </div>
      )}
      {order.status === 'accepted' && <Upload order={order} />}
    </li>
  );
}

export function Studio() {
  const { account, ready, isTalent } = useAuth();
  const orders = useQuery({
    queryKey: ['shoutouts', 'talent'],
    queryFn: () => unwrap(api.GET('/v1/shoutouts', { params: { query: { as: 'talent', limit: 200 } } })),
    enabled: isTalent,
    refetchInterval: 3000,
  });
  if (!ready) return <Loading />;
  if (!account) return <NeedsLogin />;
  if (!isTalent) return <Page title="Studio"><p>The studio is for talent accounts.</p></Page>;
  const items = orders.data?.items ?? [];
  const open = items.filter((o) => !TERMINAL.has(o.status));
  const delivered = items.filter((o) => o.status === 'delivered' && o.talentShare);
  const months = new Map<string, Map<string, number>>();
  for (const o of delivered) {
    const month = (o.deliveredAt ?? o.createdAt).slice(0, 7);
    const byCurrency = months.get(month) ?? new Map<string, number>();
    byCurrency.set(o.talentShare!.currency, (byCurrency.get(o.talentShare!.currency) ?? 0) + o.talentShare!.amount);
    months.set(month, byCurrency);
  }
  return (
    <Page title="Studio">
      <div className="two-col">
        <Profile id={account.id} />
        <section aria-labelledby="earn-h" className="card">
          <h2 id="earn-h">Earnings</h2>
          {months.size === 0 ? (
            <Empty>Nothing delivered yet.</Empty>
          ) : (
            <table className="table">
              <caption className="sr-only">Your share of delivered orders, per month (paid out monthly)</caption>
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col">Your share</th>
                </tr>
              </thead>
              <tbody>
                {[...months].map(([month, byCurrency]) => (
                  <tr key={month}>
                    <td>{month}</td>
                    <td>{[...byCurrency].map(([currency, amount]) => formatMoney({ currency, amount })).join(' + ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="muted">Payouts are made monthly for the orders delivered in the month.</p>
        </section>
      </div>
      <section aria-labelledby="incoming-h">
        <h2 id="incoming-h">Orders to handle</h2>
        <ProblemAlert error={orders.error} />
        {orders.isPending ? <Loading /> : open.length === 0 ? <Empty>No open orders.</Empty> : <ul className="grid grid-wide">{open.map((o) => <IncomingOrder key={o.id} order={o} />)}</ul>}
      </section>
      <section aria-labelledby="done-h">
        <h2 id="done-h">Past orders</h2>
        {items.every((o) => !TERMINAL.has(o.status)) ? (
          <Empty>No past orders yet.</Empty>
        ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">For</th>
              <th scope="col">Occasion</th>
              <th scope="col">Status</th>
              <th scope="col">Your share</th>
              <th scope="col">Delivered</th>
            </tr>
          </thead>
          <tbody>
            {items
              .filter((o) => TERMINAL.has(o.status))
              .map((o) => (
                <tr key={o.id}>
                  <td>{o.recipientName}</td>
                  <td>{o.occasion}</td>
                  <td>
                    <Status value={o.status} />
                  </td>
                  <td>{formatMoney(o.talentShare)}</td>
                  <td>
                    <When iso={o.deliveredAt} />
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
        )}
      </section>
    </Page>
  );
}


