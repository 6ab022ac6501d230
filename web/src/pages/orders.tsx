import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-aria-components';
import { api, fetchBlobUrl, formatMoney, unwrap, type Schemas } from '../api/client';
import { useAuth } from '../auth';
import { ApiForm, Empty, Field, Loading, Page, ProblemAlert, Status, When, str } from '../ui';

export const TERMINAL = new Set(['delivered', 'refunded', 'payment_failed', 'declined', 'cancelled', 'expired']);

export function NeedsLogin() {
  return (
    <Page title="Log in first">
      <p>
        <Link href="/login">Log in</Link> to see this page.
      </p>
    </Page>
  );
}

export function Orders() {
  const { account, ready } = useAuth();
  const orders = useQuery({
    queryKey: ['shoutouts', 'fan'],
    queryFn: () => unwrap(api.GET('/v1/shoutouts', { params: { query: { as: 'fan', limit: 100 } } })),
    enabled: !!account,
    refetchInterval: (q) => (q.state.data?.items.some((o) => !TERMINAL.has(o.status)) ? 3000 : false),
  });
  if (!ready) return <Loading />;
  if (!account) return <NeedsLogin />;
  return (
    <Page title="My orders">
      <ProblemAlert error={orders.error} />
      {orders.isPending ? (
        <Loading />
      ) : orders.data?.items.length === 0 ? (
        <Empty>
          No orders yet. <Link href="/">Find a talent</Link>.
        </Empty>
      ) : (
        <table className="table">
          <caption className="sr-only">Your shoutout orders</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">For</th>
              <th scope="col">Occasion</th>
              <th scope="col">Price</th>
              <th scope="col">Status</th>
              <th scope="col">Ordered</th>
            </tr>
          </thead>
          <tbody>
            {orders.data?.items.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link href={`/orders/${o.id}`} className="mono">
                    {o.id}
                  </Link>
                </td>
                <td>{o.recipientName}</td>
                <td>{o.occasion}</td>
                <td>{formatMoney(o.price)}</td>
                <td>
                  <Status value={o.status} />
                </td>
                <td>
                  <When iso={o.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

/** The delivered video, fetched with the access token and played from memory; also downloadable. */
export function DeliveredVideo({ order }: { order: Schemas['Shoutout'] }) {
  const [urls, setUrls] = useState<{ video: string; poster?: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    const made: string[] = [];
    (async () => {
      const video = await fetchBlobUrl(order.videoUrl!);
      made.push(video);
      const poster = order.posterUrl ? await fetchBlobUrl(order.posterUrl).catch(() => undefined) : undefined;
      if (poster) made.push(poster);
      if (live) setUrls({ video, poster });
    })().catch((e) => live && setError(e));
    return () => {
      live = false;
      made.forEach((u) => URL.revokeObjectURL(u));
    };
  }, [order.videoUrl, order.posterUrl]);
  if (error) return <ProblemAlert error={error} />;
  if (!urls) return <Loading label="Loading the video…" />;
  return (
    <div className="video">
      <video controls src={urls.video} poster={urls.poster} aria-label={`Shoutout for ${order.recipientName}`} data-testid="delivered-video" />
      <a className="btn btn-secondary" href={urls.video} download={`shoutout-${order.id}.mp4`}>
        Download the video
      </a>
    </div>
  );
}

export function Timeline({ events }: { events: Schemas['ShoutoutTimelineEvent'][] }) {
  return (
    <ol className="timeline" aria-label="Timeline">
      {events.map((e) => (
        <li key={e.seq}>
          <span className="timeline-type">{e.type.replace(/[_.]/g, ' ')}</span> <When iso={e.at} />
        </li>
      ))}
    </ol>
  );
}

/** The fan may cancel until the talent accepts; the authorization is voided. */
function CancelOrder({ id }: { id: string }) {
  const queryClient = useQueryClient();
  return (
    <details className="more">
      <summary>Cancel this order…</summary>
      <ApiForm
        submit="Cancel the order"
        fields={['reason']}
        action={async (data) => {
          await unwrap(api.POST('/v1/shoutouts/{id}/cancel', { params: { path: { id } }, body: { reason: str(data, 'reason') || undefined } }));
          await queryClient.invalidateQueries({ queryKey: ['shoutout', id] });
        }}
      >
        <Field name="reason" label="Reason (optional)" />
      </ApiForm>
    </details>
  );
}

export function OrderDetail({ id }: { id: string }) {
  const { account, ready } = useAuth();
  // Live status: the API answers from a query of the running workflow; poll until it closes.
  const order = useQuery({
    queryKey: ['shoutout', id],
    queryFn: () => unwrap(api.GET('/v1/shoutouts/{id}', { params: { path: { id } } })),
    enabled: !!account,
    refetchInterval: (q) => (q.state.data && TERMINAL.has(q.state.data.status) ? false : 1500),
  });
  if (!ready) return <Loading />;
  if (!account) return <NeedsLogin />;
  if (order.isPending) return <Loading />;
  if (!order.data) return <ProblemAlert error={order.error} />;
  const o = order.data;
  return (
    <Page title={`Shoutout for ${o.recipientName}`}>
      <div className="two-col">
        <div>
          <p aria-live="polite">
            Status:{' '}
            <span data-testid="order-status">
              <Status value={o.status} />
            </span>
            {!TERMINAL.has(o.status) && <span className="muted"> (updates live)</span>}
          </p>
          <dl className="facts">
            <dt>Occasion</dt>
            <dd>{o.occasion}</dd>
            <dt>Instructions</dt>
            <dd>{o.instructions || '—'}</dd>
            <dt>Price</dt>
            <dd>{formatMoney(o.price)}</dd>
            {o.refunded.amount > 0 && (
              <>
                <dt>Refunded</dt>
                <dd>{formatMoney(o.refunded)}</dd>
              </>
            )}
            {!TERMINAL.has(o.status) && (
              <>
                <dt>Deliver by</dt>
                <dd>
                  <When iso={o.deadlineAt} />
                </dd>
              </>
            )}
            {o.deliveredAt && (
              <>
                <dt>Delivered</dt>
                <dd>
                  <When iso={o.deliveredAt} />
                </dd>
              </>
            )}
            {o.failureReason && (
              <>
                <dt>Reason</dt>
                <dd>{o.failureReason}</dd>
              </>
            )}
          </dl>
          {o.status === 'delivered' && o.videoUrl && <DeliveredVideo order={o} />}
          {(o.status === 'authorizing' || o.status === 'requested') && <CancelOrder id={o.id} />}
        </div>
        <div className="card">
          <h2>Timeline</h2>
          <Timeline events={o.timeline} />
        </div>
      </div>
    </Page>
  );
}
