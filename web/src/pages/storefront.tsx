import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, formatMoney, unwrap, type Schemas } from '../api/client';
import { Empty, Loading, Page, ProblemAlert } from '../ui-basic';

export function initials(name: string) {
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
      <div className="search field">
        <label htmlFor="talent-search">Search talents</label>
        <input id="talent-search" type="search" placeholder="Name…" value={q} onChange={(e) => setQ(e.target.value)} />
      </div>
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

