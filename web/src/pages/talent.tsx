import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Checkbox, Link } from 'react-aria-components';
import { useLocation } from 'wouter';
import { api, formatMoney, unwrap } from '../api/client';
import { useAuth } from '../auth';
import { ApiForm, CardField, Field, Loading, Page, ProblemAlert, str } from '../ui';
import { initials } from './storefront';

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
