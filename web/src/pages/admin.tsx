import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-aria-components';
import { Link as RouteLink, useLocation } from 'wouter';
import { api, fetchBlobUrl, formatMoney, toMajor, toMinor, unwrap, type Schemas } from '../api/client';
import { useAuth } from '../auth';
import { ApiForm, Button, Empty, Field, Loading, Page, ProblemAlert, SelectField, Status, TemporalLink, When, str } from '../ui';
import { NeedsLogin } from './orders';

const SECTIONS = [
  ['', 'Dashboard'],
  ['payments', 'Payments'],
  ['products', 'Products'],
  ['subscriptions', 'Subscriptions'],
  ['shoutouts', 'Shoutouts'],
  ['payouts', 'Payouts'],
  ['splits', 'Split payments'],
  ['starkbank', 'Stark Bank'],
  ['accounts', 'Accounts'],
] as const;

export function Admin() {
  const { account, ready, isAdmin } = useAuth();
  const [location] = useLocation();
  const [, section = '', id] = location.replace(/^\/admin\/?/, '/').split('/');
  if (!ready) return <Loading />;
  if (!account) return <NeedsLogin />;
  if (!isAdmin) return <Page title="Admin"><p>This console is for administrators.</p></Page>;
  return (
    <div className="admin">
      <nav aria-label="Admin" className="subnav">
        {SECTIONS.map(([path, label]) => (
          <RouteLink key={path} href={`/admin${path ? '/' + path : ''}`} aria-current={section === path ? 'page' : undefined}>
            {label}
          </RouteLink>
        ))}
      </nav>
      {section === '' && <Dashboard />}
      {section === 'payments' && (id ? <PaymentDetail id={id} /> : <Payments />)}
      {section === 'products' && <Products />}
      {section === 'subscriptions' && <AllSubscriptions />}
      {section === 'shoutouts' && <AllShoutouts />}
      {section === 'payouts' && <Payouts />}
      {section === 'splits' && <Splits />}
      {section === 'starkbank' && <Starkbank />}
      {section === 'accounts' && <Accounts />}
    </div>
  );
}

// ---- dashboard -------------------------------------------------------------------------------

function BarChart({ title, rows, currency }: { title: string; rows: { day: string; captured: number; refunded: number }[]; currency: string }) {
  const max = Math.max(1, ...rows.map((r) => Math.max(r.captured, r.refunded)));
  const w = 640;
  const h = 180;
  const step = rows.length ? w / rows.length : w;
  const bar = Math.max(2, step / 2 - 2);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${w} ${h + 20}`} role="img" aria-label={`${title}: captured and refunded per day`}>
        <line x1="0" y1={h} x2={w} y2={h} className="axis" />
        {rows.map((r, i) => (
          <g key={r.day}>
            <rect x={i * step + 1} y={h - (r.captured / max) * h} width={bar} height={(r.captured / max) * h} className="bar-captured">
              <title>{`${r.day} captured ${formatMoney({ amount: r.captured, currency })}`}</title>
            </rect>
            <rect x={i * step + bar + 2} y={h - (r.refunded / max) * h} width={bar} height={(r.refunded / max) * h} className="bar-refunded">
              <title>{`${r.day} refunded ${formatMoney({ amount: r.refunded, currency })}`}</title>
            </rect>
            {(rows.length <= 10 || i % Math.ceil(rows.length / 8) === 0) && (
              <text x={i * step + 1} y={h + 15} className="tick">
                {r.day.slice(5)}
              </text>
            )}
          </g>
        ))}
      </svg>
      <p className="legend">
        <span className="key key-captured" aria-hidden="true" /> captured <span className="key key-refunded" aria-hidden="true" /> refunded
      </p>
      <details className="more">
        <summary>The figures</summary>
        <table className="table">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Captured</th>
              <th scope="col">Refunded</th>
            </tr>
          </thead>
          <tbody>
            {rows
              .filter((r) => r.captured || r.refunded)
              .map((r) => (
                <tr key={r.day}>
                  <td>{r.day}</td>
                  <td>{formatMoney({ amount: r.captured, currency })}</td>
                  <td>{formatMoney({ amount: r.refunded, currency })}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** One row per day of the window (days without payments are zero), so bars keep their width and place. */
function everyDay(since: string, days: number, rows: { day: string; captured: number; refunded: number }[]) {
  const start = new Date(since).getTime();
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    return rows.find((r) => r.day === day) ?? { day, captured: 0, refunded: 0 };
  });
}

function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

function Dashboard() {
  const [days, setDays] = useState(30);
  const dash = useQuery({ queryKey: ['dashboard', days], queryFn: () => unwrap(api.GET('/v1/admin/dashboard', { params: { query: { days } } })), refetchInterval: 10_000 });
  const d = dash.data;
  const currencies = [...new Set(d?.revenue.map((r) => r.currency) ?? [])];
  const sum = (list: { amount: number; currency: string }[]) => (list.length ? list.map((m) => formatMoney(m)).join(' + ') : formatMoney({ amount: 0, currency: 'USD' }));
  return (
    <Page
      title="Dashboard"
      actions={
        <SelectField label="Window" inline value={String(days)} onChange={(v) => setDays(Number(v))} options={[7, 30, 90].map((d) => ({ value: String(d), label: `${d} days` }))} />
      }
    >
      <ProblemAlert error={dash.error} />
      {!d ? (
        <Loading />
      ) : (
        <>
          <dl className="stats">
            <Stat label="Captured" testId="captured-total" value={sum(currencies.map((c) => ({ currency: c, amount: d.revenue.filter((r) => r.currency === c).reduce((a, r) => a + r.captured, 0) })))} />
            <Stat label="Refunded" testId="refunded-total" value={sum(currencies.map((c) => ({ currency: c, amount: d.revenue.filter((r) => r.currency === c).reduce((a, r) => a + r.refunded, 0) })))} />
            <Stat label="MRR" value={sum(d.subscriptions.mrr)} />
            <Stat label="Active subscriptions" value={d.subscriptions.active} />
            <Stat label="Past due (dunning)" value={d.subscriptions.pastDue} />
            <Stat label="Renewal failures" value={d.subscriptions.renewalFailures} />
            <Stat label="Cancelling at period end" value={d.subscriptions.cancelAtPeriodEnd} />
          </dl>
          {currencies.length === 0 ? (
            <Empty>No revenue in the window.</Empty>
          ) : (
            currencies.map((c) => <BarChart key={c} currency={c} title={`Revenue per day (${c})`} rows={everyDay(d.since, d.days, d.revenue.filter((r) => r.currency === c))} />)
          )}
          <div className="grid grid-wide">
            <section className="card" aria-labelledby="funnel-h">
              <h2 id="funnel-h">Shoutout funnel</h2>
              {d.shoutouts.length === 0 ? (
                <Empty>No orders in the window.</Empty>
              ) : (
                <ul className="funnel">
                  {d.shoutouts.map((s) => (
                    <li key={s.status}>
                      <Status value={s.status} /> <strong>{s.count}</strong>
                      <span className="funnel-bar" style={{ width: `${(100 * s.count) / Math.max(...d.shoutouts.map((x) => x.count))}%` }} aria-hidden="true" />
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="card" aria-labelledby="splits-h">
              <h2 id="splits-h">Split payments</h2>
              {d.splits.length === 0 ? (
                <Empty>No split payments in the window.</Empty>
              ) : (
                <ul>
                  {d.splits.map((s) => (
                    <li key={s.currency + s.status}>
                      <Status value={s.status} /> {s.count} · {formatMoney({ amount: s.amount, currency: s.currency })}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="card" aria-labelledby="sb-h">
              <h2 id="sb-h">Stark Bank</h2>
              <dl className="facts">
                <dt>Invoices issued</dt>
                <dd>
                  {d.starkbank.issued.count} · {formatMoney({ amount: d.starkbank.issued.amount, currency: 'BRL' })}
                </dd>
                <dt>Credited</dt>
                <dd>
                  {d.starkbank.credited.count} · {formatMoney({ amount: d.starkbank.credited.amount, currency: 'BRL' })}
                </dd>
                <dt>Transferred</dt>
                <dd>
                  {d.starkbank.transferred.count} · {formatMoney({ amount: d.starkbank.transferred.amount, currency: 'BRL' })}
                </dd>
              </dl>
            </section>
          </div>
        </>
      )}
    </Page>
  );
}

// ---- payments --------------------------------------------------------------------------------

const PAYMENT_STATUSES = ['pending', 'authorized', 'captured', 'partially_refunded', 'refunded', 'voided', 'failed'] as const;
type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

function Payments() {
  const [filters, setFilters] = useState<{ status?: PaymentStatus; kind?: string; account?: string }>({});
  const payments = useQuery({ queryKey: ['admin-payments', filters], queryFn: () => unwrap(api.GET('/v1/admin/payments', { params: { query: { ...filters, limit: 100 } } })) });
  return (
    <Page title="Payments">
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          setFilters({ status: (str(data, 'status') || undefined) as PaymentStatus | undefined, kind: str(data, 'kind') || undefined, account: str(data, 'account') || undefined });
        }}
      >
        <SelectField label="Status" name="status" inline defaultValue="" options={[{ value: '', label: 'any' }, ...PAYMENT_STATUSES]} />
        <SelectField label="Kind" name="kind" inline defaultValue="" options={[{ value: '', label: 'any' }, 'shoutout', 'film', 'subscription', 'split']} />
        <label className="field inline">
          <span>Account id</span>
          <input name="account" />
        </label>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      <ProblemAlert error={payments.error} />
      {payments.data && (
        <>
          <dl className="stats">
            {payments.data.totals.map((t) => (
              <Stat key={t.currency} label={`${t.count} payments (${t.currency})`} value={`${formatMoney({ amount: t.captured, currency: t.currency })} captured · ${formatMoney({ amount: t.refunded, currency: t.currency })} refunded`} />
            ))}
          </dl>
          <table className="table">
            <caption className="sr-only">Payments</caption>
            <thead>
              <tr>
                <th scope="col">Payment</th>
                <th scope="col">Kind</th>
                <th scope="col">Amount</th>
                <th scope="col">Refunded</th>
                <th scope="col">Status</th>
                <th scope="col">Process</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {payments.data.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link href={`/admin/payments/${p.id}`} className="mono">
                      {p.id}
                    </Link>
                  </td>
                  <td>{p.kind}</td>
                  <td>{formatMoney(p.amount)}</td>
                  <td>{formatMoney({ amount: p.amountRefunded, currency: p.amount.currency })}</td>
                  <td>
                    <Status value={p.status} />
                  </td>
                  <td>
                    <TemporalLink workflowId={p.workflowId} />
                  </td>
                  <td>
                    <When iso={p.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {payments.data.items.length === 0 && <Empty>No payment matches.</Empty>}
        </>
      )}
    </Page>
  );
}

function PaymentDetail({ id }: { id: string }) {
  const queryClient = useQueryClient();
  // After a refund that goes on in a workflow (shoutouts, splits), poll until the payment shows it.
  const [awaiting, setAwaiting] = useState<number | null>(null);
  const payment = useQuery({
    queryKey: ['admin-payment', id],
    queryFn: () => unwrap(api.GET('/v1/admin/payments/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (awaiting !== null && (q.state.data?.amountRefunded ?? 0) <= awaiting ? 1500 : false),
  });
  if (payment.isPending) return <Loading />;
  if (!payment.data) return <ProblemAlert error={payment.error} />;
  const p = payment.data;
  const refundable = p.amountCaptured - p.amountRefunded;
  return (
    <Page title={`Payment ${p.id}`}>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <Status value={p.status} />
        </dd>
        <dt>Amount</dt>
        <dd>{formatMoney(p.amount)}</dd>
        <dt>Captured</dt>
        <dd>{formatMoney({ amount: p.amountCaptured, currency: p.amount.currency })}</dd>
        <dt>Refunded</dt>
        <dd data-testid="payment-refunded">{formatMoney({ amount: p.amountRefunded, currency: p.amount.currency })}</dd>
        <dt>Kind</dt>
        <dd>
          {p.kind} ({p.reference})
        </dd>
        <dt>Account</dt>
        <dd className="mono">{p.accountId ?? '—'}</dd>
        <dt>Process</dt>
        <dd>
          <TemporalLink workflowId={p.workflowId} />
        </dd>
        {p.failureMessage && (
          <>
            <dt>Failure</dt>
            <dd>{p.failureMessage}</dd>
          </>
        )}
      </dl>
      {refundable > 0 && (
        <section className="card narrow" aria-labelledby="refund-h">
          <h2 id="refund-h">Refund</h2>
          <ApiForm
            submit="Refund"
            fields={['amount', 'reason']}
            action={async (data) => {
              const amount = str(data, 'amount');
              const money = amount ? { amount: toMinor(amount, p.amount.currency), currency: p.amount.currency } : undefined;
              const reason = str(data, 'reason');
              // A payment that belongs to a process is refunded through it, so the order, the ledger and
              // the customer's email follow; other payments through the gateway directly.
              if (p.kind === 'shoutout') await unwrap(api.POST('/v1/admin/shoutouts/{id}/refund', { params: { path: { id: p.reference } }, body: { reason, ...(money ? { amount: money } : {}) } }));
              else if (p.kind === 'split') await unwrap(api.POST('/v1/split-payments/{id}/refund', { params: { path: { id: p.reference } }, body: money ? { amount: money } : {} }));
              else await unwrap(api.POST('/v1/admin/payments/{id}/refund', { params: { path: { id } }, body: { reason, ...(money ? { amount: money } : {}) } }));
              setAwaiting(p.amountRefunded);
              await queryClient.invalidateQueries();
            }}
          >
            <Field name="amount" label={`Amount (${p.amount.currency})`} description={`Empty refunds everything refundable: ${toMajor({ amount: refundable, currency: p.amount.currency })}`} inputMode="decimal" />
            <Field name="reason" label="Reason" isRequired={p.kind !== 'split'} />
          </ApiForm>
          {p.kind === 'shoutout' && <p className="muted">Refunded through the order: the ledger is reversed and the fan is emailed.</p>}
        </section>
      )}
      <h2>Event log</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Data</th>
          </tr>
        </thead>
        <tbody>
          {p.events.map((e) => (
            <tr key={e.id}>
              <td>
                <When iso={e.createdAt} />
              </td>
              <td>{e.type}</td>
              <td>
                <code className="json">{JSON.stringify(e.data)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}

// ---- products --------------------------------------------------------------------------------

function PriceChange({ product }: { product: Schemas['Product'] }) {
  const queryClient = useQueryClient();
  return (
    <details className="more">
      <summary>Change price or availability</summary>
      <ApiForm
        submit="Save"
        fields={['price', 'price.amount', 'active', 'name']}
        action={async (data) => {
          await unwrap(
            api.PATCH('/v1/products/{id}', {
              params: { path: { id: product.id } },
              body: { price: { amount: toMinor(str(data, 'price.amount'), product.price.currency), currency: product.price.currency }, active: str(data, 'active') === 'on' },
            }),
          );
          await queryClient.invalidateQueries({ queryKey: ['products'] });
        }}
      >
        <Field name="price.amount" label={`Price (${product.price.currency})`} defaultValue={toMajor(product.price)} inputMode="decimal" isRequired />
        <label className="check">
          <input type="checkbox" name="active" defaultChecked={product.active} /> Active (on sale)
        </label>
      </ApiForm>
    </details>
  );
}

function Products() {
  const queryClient = useQueryClient();
  const products = useQuery({ queryKey: ['products'], queryFn: () => unwrap(api.GET('/v1/products', { params: { query: { limit: 200 } } })) });
  const [kind, setKind] = useState<'film' | 'plan'>('plan');
  return (
    <Page title="Products">
      <ProblemAlert error={products.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Kind</th>
            <th scope="col">Price</th>
            <th scope="col">Terms</th>
            <th scope="col">Active</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {products.data?.items.map((p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td>{p.kind}</td>
              <td>{formatMoney(p.price)}</td>
              <td>{p.kind === 'plan' ? `every ${p.intervalCount ?? 1} ${p.interval}` : p.accessDays ? `${p.accessDays} days` : 'forever'}</td>
              <td>{p.active ? 'yes' : 'no'}</td>
              <td>
                <PriceChange product={p} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="card narrow" aria-labelledby="new-product-h">
        <h2 id="new-product-h">New product</h2>
        <SelectField label="Kind" value={kind} onChange={(v) => setKind(v as 'film' | 'plan')} options={[{ value: 'plan', label: 'plan (subscription)' }, { value: 'film', label: 'film (one-off purchase)' }]} />
        <ApiForm
          submit="Create product"
          fields={['name', 'description', 'price', 'price.amount', 'price.currency', 'interval', 'intervalCount', 'trialDays', 'accessDays']}
          action={async (data) => {
            const currency = str(data, 'price.currency') || 'USD';
            const price = { amount: toMinor(str(data, 'price.amount'), currency), currency };
            const body: Schemas['NewProduct'] =
              kind === 'plan'
                ? { kind, name: str(data, 'name'), description: str(data, 'description'), price, interval: str(data, 'interval') as 'month', intervalCount: Number(str(data, 'intervalCount') || 1), grantsRole: 'premium' }
                : { kind, name: str(data, 'name'), description: str(data, 'description'), price, ...(str(data, 'accessDays') ? { accessDays: Number(str(data, 'accessDays')) } : {}) };
            await unwrap(api.POST('/v1/products', { body }));
            await queryClient.invalidateQueries({ queryKey: ['products'] });
          }}
        >
          <Field name="name" label="Name" isRequired />
          <Field name="description" label="Description" multiline />
          <div className="row">
            <Field name="price.amount" label="Price" inputMode="decimal" isRequired />
            <SelectField label="Currency" name="price.currency" defaultValue="USD" options={['USD', 'EUR', 'BRL', 'GBP']} />
          </div>
          {kind === 'plan' ? (
            <div className="row">
              <SelectField label="Every" name="interval" defaultValue="month" options={['day', 'month', 'year']} />
              <Field name="intervalCount" label="Interval count" defaultValue="1" inputMode="numeric" />
            </div>
          ) : (
            <Field name="accessDays" label="Access days (empty: forever)" inputMode="numeric" />
          )}
        </ApiForm>
      </section>
    </Page>
  );
}

// ---- payouts ---------------------------------------------------------------------------------

function Payouts() {
  const [month, setMonth] = useState(new Date().toISOString().slice(0, 7));
  const [exportError, setExportError] = useState<unknown>(null);
  const payouts = useQuery({
    queryKey: ['payouts', month],
    queryFn: async () => {
      const data = await unwrap(api.GET('/v1/admin/payouts', { params: { query: { month } }, headers: { accept: 'application/json' } }));
      if (typeof data === 'string') throw new Error('Expected JSON');
      return data;
    },
  });
  // The API's own CSV (Accept: text/csv), the same file `npm run payouts:export` writes.
  const download = async () => {
    setExportError(null);
    try {
      const url = await fetchBlobUrl(`/v1/admin/payouts?month=${month}`, { accept: 'text/csv' });
      const a = document.createElement('a');
      a.href = url;
      a.download = `payouts-${month}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setExportError(e);
    }
  };
  return (
    <Page title="Talent payouts">
      <div className="filters">
        <label className="field inline">
          <span>Month</span>
          <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </label>
        {payouts.data && payouts.data.items.length > 0 && (
          <Button variant="secondary" onPress={download}>
            Export CSV
          </Button>
        )}
      </div>
      <ProblemAlert error={payouts.error ?? exportError} />
      {payouts.data?.items.length === 0 ? (
        <Empty>No payouts for {month}.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Talent</th>
              <th scope="col">Orders</th>
              <th scope="col">Gross</th>
              <th scope="col">Fee</th>
              <th scope="col">Refunds</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {payouts.data?.items.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.name} <span className="muted">{p.email}</span>
                </td>
                <td>{p.orders}</td>
                <td>{formatMoney(p.gross)}</td>
                <td>{formatMoney(p.platformFee)}</td>
                <td>{formatMoney(p.refunds)}</td>
                <td>{formatMoney(p.amountDue)}</td>
                <td>
                  <Status value={p.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PayoutImport />
    </Page>
  );
}

/** The bank's answer as CSV (payout_id,status,paid_at,reference): applied whole or rejected whole, every bad line listed. */
function PayoutImport() {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<string>('');
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      className="card upload narrow"
      aria-labelledby="import-h"
      onSubmit={async (e) => {
        e.preventDefault();
        setResult('');
        setError(null);
        if (!file) return setError(new Error('Choose the CSV file first.'));
        try {
          const text = await file.text();
          const r = await unwrap(api.POST('/v1/admin/payouts/import', { body: text, bodySerializer: (b: string) => b, headers: { 'content-type': 'text/csv' } }));
          setResult(`Imported: ${r.applied} payout(s) updated, ${r.unchanged} unchanged.`);
          await queryClient.invalidateQueries({ queryKey: ['payouts'] });
        } catch (err) {
          setError(err);
        }
      }}
    >
      <h2 id="import-h">Import the bank's answer</h2>
      <label htmlFor="payout-csv">CSV file (payout_id,status,paid_at,reference)</label>
      <input id="payout-csv" type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      <ProblemAlert error={error} />
      <p role="status">{result}</p>
      <Button type="submit" variant="secondary">
        Import
      </Button>
    </form>
  );
}

// ---- split payments ----------------------------------------------------------------------------

function Splits() {
  const [id, setId] = useState('');
  const split = useQuery({ queryKey: ['split', id], queryFn: () => unwrap(api.GET('/v1/split-payments/{id}', { params: { path: { id } } })), enabled: !!id });
  const events = useQuery({ queryKey: ['split-events', id], queryFn: () => unwrap(api.GET('/v1/split-payments/{id}/events', { params: { path: { id } } })), enabled: !!id });
  return (
    <Page title="Split payments">
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setId(str(new FormData(e.currentTarget), 'id').trim());
        }}
      >
        <label className="field inline">
          <span>Split payment id</span>
          <input name="id" required />
        </label>
        <Button type="submit" variant="secondary">
          Open
        </Button>
      </form>
      <ProblemAlert error={split.error} />
      {split.data && (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <Status value={split.data.status} />
            </dd>
            <dt>Process</dt>
            <dd>
              <TemporalLink workflowId={`split-${split.data.id}`} />
            </dd>
          </dl>
          <pre className="json">{JSON.stringify(split.data, null, 2)}</pre>
          <h2>Events</h2>
          <ol className="timeline">
            {events.data?.items.map((e, i) => (
              <li key={i}>
                <code className="json">{JSON.stringify(e)}</code>
              </li>
            ))}
          </ol>
        </>
      )}
    </Page>
  );
}

// ---- Stark Bank --------------------------------------------------------------------------------

function Starkbank() {
  const invoices = useQuery({ queryKey: ['sb-invoices'], queryFn: () => unwrap(api.GET('/v1/admin/starkbank/invoices', { params: { query: { limit: 50 } } })) });
  const transfers = useQuery({ queryKey: ['sb-transfers'], queryFn: () => unwrap(api.GET('/v1/admin/starkbank/transfers', { params: { query: { limit: 50 } } })) });
  return (
    <Page title="Stark Bank">
      <ProblemAlert error={invoices.error ?? transfers.error} />
      <h2>Invoices</h2>
      {invoices.data?.items.length === 0 ? (
        <Empty>No invoices issued yet.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col">Payer</th>
              <th scope="col">Amount</th>
              <th scope="col">Status</th>
              <th scope="col">Issued by</th>
              <th scope="col">Credited</th>
            </tr>
          </thead>
          <tbody>
            {invoices.data?.items.map((i: Schemas['StarkbankInvoice']) => (
              <tr key={i.id}>
                <td className="mono">{i.id}</td>
                <td>{i.payer.name}</td>
                <td>{formatMoney(i.amount)}</td>
                <td>
                  <Status value={i.status} />
                </td>
                <td>
                  <TemporalLink workflowId={i.run.workflowId} />
                </td>
                <td>
                  <When iso={i.creditedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Transfers</h2>
      {transfers.data?.items.length === 0 ? (
        <Empty>No transfers yet.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Transfer</th>
              <th scope="col">Invoice</th>
              <th scope="col">Amount</th>
              <th scope="col">Status</th>
              <th scope="col">Batch</th>
            </tr>
          </thead>
          <tbody>
            {transfers.data?.items.map((t) => (
              <tr key={t.externalId}>
                <td className="mono">{t.id ?? '—'}</td>
                <td className="mono">{t.invoiceId}</td>
                <td>{formatMoney(t.amount)}</td>
                <td>
                  <Status value={t.status} />
                </td>
                <td className="mono">{t.batchId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

// ---- subscriptions and shoutout orders ---------------------------------------------------------

const SUB_STATUSES = ['incomplete', 'trialing', 'active', 'past_due', 'cancelled'] as const;
const ORDER_STATUSES = ['authorizing', 'requested', 'accepted', 'processing', 'delivered', 'refunded', 'payment_failed', 'declined', 'cancelled', 'expired'] as const;

function StatusFilter<T extends string>({ statuses, value, onChange }: { statuses: readonly T[]; value: T | ''; onChange: (v: T | '') => void }) {
  return (
    <SelectField label="Status" inline value={value} onChange={(v) => onChange(v as T | '')} options={[{ value: '', label: 'any' }, ...statuses]} />
  );
}

/** Pages through a cursor list: "Load more" appends the next page. */
function usePages<T>(key: unknown[], fetchPage: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const pages = useQuery({
    queryKey: [...key, cursors],
    queryFn: async () => {
      const out: { items: T[]; nextCursor: string | null }[] = [];
      for (const c of cursors) out.push(await fetchPage(c));
      return { items: out.flatMap((p) => p.items), nextCursor: out[out.length - 1]?.nextCursor ?? null };
    },
  });
  const more = pages.data?.nextCursor ? () => setCursors([...cursors, pages.data!.nextCursor!]) : undefined;
  return { ...pages, more, reset: () => setCursors([undefined]) };
}

function AllSubscriptions() {
  const [status, setStatus] = useState<(typeof SUB_STATUSES)[number] | ''>('');
  const subs = usePages(['admin-subscriptions', status], (cursor) => unwrap(api.GET('/v1/admin/subscriptions', { params: { query: { limit: 50, cursor, status: status || undefined } } })));
  return (
    <Page title="Subscriptions">
      <div className="filters">
        <StatusFilter statuses={SUB_STATUSES} value={status} onChange={setStatus} />
      </div>
      <ProblemAlert error={subs.error} />
      {subs.data?.items.length === 0 ? (
        <Empty>No subscription matches.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Plan</th>
              <th scope="col">Price</th>
              <th scope="col">Status</th>
              <th scope="col">Period ends</th>
              <th scope="col">Process</th>
            </tr>
          </thead>
          <tbody>
            {subs.data?.items.map((s) => (
              <tr key={s.id}>
                <td>{s.email ?? s.accountId}</td>
                <td>{s.planName}</td>
                <td>{formatMoney(s.price)}</td>
                <td>
                  <Status value={s.status} /> {s.cancelAtPeriodEnd && <span className="muted">(cancels at end)</span>}
                </td>
                <td>
                  <When iso={s.currentPeriodEnd} />
                </td>
                <td>
                  <TemporalLink workflowId={s.workflowId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {subs.more && (
        <Button variant="secondary" onPress={subs.more}>
          Load more
        </Button>
      )}
    </Page>
  );
}

function AllShoutouts() {
  const [status, setStatus] = useState<(typeof ORDER_STATUSES)[number] | ''>('');
  const orders = usePages(['admin-shoutouts', status], (cursor) => unwrap(api.GET('/v1/admin/shoutouts', { params: { query: { limit: 50, cursor, status: status || undefined } } })));
  return (
    <Page title="Shoutout orders">
      <div className="filters">
        <StatusFilter statuses={ORDER_STATUSES} value={status} onChange={setStatus} />
      </div>
      <ProblemAlert error={orders.error} />
      {orders.data?.items.length === 0 ? (
        <Empty>No order matches.</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Talent</th>
              <th scope="col">Occasion</th>
              <th scope="col">Price</th>
              <th scope="col">Refunded</th>
              <th scope="col">Status</th>
              <th scope="col">Payment</th>
              <th scope="col">Process</th>
            </tr>
          </thead>
          <tbody>
            {orders.data?.items.map((o) => (
              <tr key={o.id}>
                <td>{o.talentName ?? o.talentId}</td>
                <td>{o.occasion}</td>
                <td>{formatMoney(o.price)}</td>
                <td>{formatMoney(o.refunded)}</td>
                <td>
                  <Status value={o.status} />
                </td>
                <td>
                  {o.paymentId ? (
                    <Link href={`/admin/payments/${o.paymentId}`} className="mono">
                      {o.paymentId}
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <TemporalLink workflowId={o.workflowId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {orders.more && (
        <Button variant="secondary" onPress={orders.more}>
          Load more
        </Button>
      )}
    </Page>
  );
}

// ---- accounts ----------------------------------------------------------------------------------

function Accounts() {
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [error, setError] = useState<unknown>(null);
  const accounts = usePages(['admin-accounts', q], (cursor) => unwrap(api.GET('/v1/admin/accounts', { params: { query: { limit: 50, cursor, q: q || undefined } } })));
  return (
    <Page title="Accounts">
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(str(new FormData(e.currentTarget), 'q').trim());
        }}
      >
        <label className="field inline">
          <span>Email or name</span>
          <input name="q" type="search" />
        </label>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      <ProblemAlert error={accounts.error ?? error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Kind</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {accounts.data?.items.map((a) => (
            <tr key={a.id}>
              <td>
                {a.name} <span className="muted">{a.email}</span>
                <br />
                <span className="mono muted">{a.id}</span>
              </td>
              <td>{a.kind}</td>
              <td>{a.roles.join(', ')}</td>
              <td>
                <Status value={a.status === 'pending_verification' ? 'pending' : a.status === 'deactivated' ? 'cancelled' : 'active'} />
              </td>
              <td>
                <When iso={a.createdAt} />
              </td>
              <td>
                {a.status !== 'deactivated' && (
                  <Button
                    variant="danger"
                    aria-label={`Deactivate ${a.email}`}
                    onPress={async () => {
                      setError(null);
                      try {
                        await unwrap(api.POST('/v1/admin/accounts/{id}/deactivate', { params: { path: { id: a.id } } }));
                        await queryClient.invalidateQueries({ queryKey: ['admin-accounts'] });
                      } catch (e) {
                        setError(e);
                      }
                    }}
                  >
                    Deactivate
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {accounts.more && (
        <Button variant="secondary" onPress={accounts.more}>
          Load more
        </Button>
      )}
    </Page>
  );
}
