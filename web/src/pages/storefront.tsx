import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Checkbox, Link, SearchField, Input, Label } from 'react-aria-components';
import { useLocation } from 'wouter';
import { api, formatMoney, unwrap, type Schemas } from '../api/client';
import { useAuth } from '../auth';
import { ApiForm, CardField, Empty, Field, Loading, Page, ProblemAlert, str } from '../ui';

function initials(name: string) {
  return name
    .split(/\s+/)
    .map((w) => w[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

function TalentCard({ talent }: { talent: Schemas['Talent'] }) {
  return (
    <li className="card talent-card">
      <div className="avatar" aria-hidden="true">
        {initials(talent.displayName)}
      </div>
      <div>
        <h2 className="card-title">
          <Link href={`/talents/${talent.id}`}>{talent.displayName}</Link>
        </h2>
        <p className="muted">{talent.category}</p>
        <p className="price">{formatMoney(talent.price)}</p>
        {!talent.acceptingOrders && <p className="muted">Not taking orders</p>}
      </div>
    </li>
  );
}

export function Home() {
  const [q, setQ] = useState('');
  const talents = useQuery({ queryKey: ['talents', q], queryFn: () => unwrap(api.GET('/v1/talents', { params: { query: { q: q || undefined, limit: 48 } } })) });
  return (
    <Page title="Personal videos from the people you love">
      <p className="lead">Pick a talent, tell them the occasion, and get a video made just for you.</p>
      <SearchField className="search" value={q} onChange={setQ} aria-label="Search talents">
        <Label>Search talents</Label>
        <Input placeholder="Name…" />
      </SearchField>
      <ProblemAlert error={talents.error} />
      {talents.isPending ? (
        <Loading label="Loading talents…" />
      ) : talents.data && talents.data.items.length === 0 ? (
        <Empty>No talent matches “{q}”.</Empty>
      ) : (
        <ul className="grid" aria-label="Talents" data-testid="talent-list">
          {talents.data?.items.map((t) => <TalentCard key={t.id} talent={t} />)}
        </ul>
      )}
    </Page>
  );
}

export function TalentPage({ id }: { id: string }) {
  const { account } = useAuth();
  const [, navigate] = useLocation();
  const [business, setBusiness] = useState(false);
  const talent = useQuery({ queryKey: ['talent', id], queryFn: () => unwrap(api.GET('/v1/talents/{id}', { params: { path: { id } } })) });
  if (talent.isPending) return <Loading />;
  if (talent.error || !talent.data) return <ProblemAlert error={talent.error} />;
  const t = talent.data;
  const price = business && t.businessPrice ? t.businessPrice : t.price;
  return (
    <Page title={t.displayName}>
      <div className="two-col">
        <div>
          <div className="avatar avatar-lg" aria-hidden="true">
            {initials(t.displayName)}
          </div>
          <p className="muted">{t.category}</p>
          <p>{t.bio || 'No bio yet.'}</p>
          <dl className="facts">
            <dt>Price</dt>
            <dd>{formatMoney(t.price)}</dd>
            {t.businessPrice && (
              <>
                <dt>Business use</dt>
                <dd>{formatMoney(t.businessPrice)}</dd>
              </>
            )}
            <dt>Delivers within</dt>
            <dd>{t.turnaroundDays} days</dd>
          </dl>
        </div>
        <div className="card">
          <h2>Order a shoutout</h2>
          {!t.acceptingOrders ? (
            <p>{t.displayName} is not taking orders right now.</p>
          ) : !account ? (
            <p>
              <Link href="/login">Log in</Link> or <Link href="/signup">sign up</Link> to order.
            </p>
          ) : (
            <ApiForm
              submit={`Order for ${formatMoney(price)}`}
              fields={['recipientName', 'occasion', 'instructions', 'businessUse', 'paymentMethod', 'talentId']}
              action={async (data) => {
                const order = await unwrap(
                  api.POST('/v1/shoutouts', {
                    body: { talentId: t.id, recipientName: str(data, 'recipientName'), occasion: str(data, 'occasion'), instructions: str(data, 'instructions'), businessUse: business, paymentMethod: str(data, 'paymentMethod') },
                  }),
                );
                navigate(`/orders/${order.id}`);
              }}
            >
              <Field name="recipientName" label="Who is it for?" isRequired />
              <Field name="occasion" label="Occasion" placeholder="Birthday, graduation…" isRequired />
              <Field name="instructions" label="Instructions" multiline description="What should they say? (up to 1000 characters)" />
              {t.businessPrice && (
                <Checkbox name="businessUse" isSelected={business} onChange={setBusiness} className="checkbox">
                  <span className="box" aria-hidden="true" /> For business use ({formatMoney(t.businessPrice)})
                </Checkbox>
              )}
              <CardField />
            </ApiForm>
          )}
        </div>
      </div>
    </Page>
  );
}
