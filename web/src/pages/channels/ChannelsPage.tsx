import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, SearchField, Input, Label } from 'react-aria-components';
import { useLocation } from 'wouter';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { ApiForm, Empty, Field, Loading, Page, ProblemAlert, SelectField, str } from '../../ui';
import { ChannelCard } from './ChannelCard';

type Sort = 'newest' | 'popular';

/** Create a channel: a taken handle (409) shows under the handle, the channel limit (422 `channels`) above the form. */
function CreateChannel() {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  return (
    <section className="card" aria-labelledby="create-h">
      <h2 id="create-h">Create a channel</h2>
      <ApiForm
        submit="Create channel"
        fields={['name', 'handle', 'description']}
        action={async (data) => {
          const channel = await unwrap(api.POST('/v1/channels', { body: { name: str(data, 'name'), handle: str(data, 'handle'), description: str(data, 'description') } }));
          await queryClient.invalidateQueries({ queryKey: ['channels'] });
          navigate(`/channels/${encodeURIComponent(channel.handle)}`);
        }}
      >
        <Field name="name" label="Name" isRequired />
        <Field name="handle" label="Handle" description="3–30 characters: a–z, 0–9, _ and -. Your channel's address." isRequired />
        <Field name="description" label="Description" multiline />
      </ApiForm>
    </section>
  );
}

export function ChannelsPage() {
  const { account } = useAuth();
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<Sort>('newest');
  const channels = useQuery({ queryKey: ['channels', q.trim(), sort], queryFn: () => unwrap(api.GET('/v1/channels', { params: { query: { q: q.trim() || undefined, sort, limit: 50 } } })) });
  const mine = useQuery({ queryKey: ['channels', 'owner', account?.id], enabled: !!account, queryFn: () => unwrap(api.GET('/v1/channels', { params: { query: { owner: account!.id, limit: 50 } } })) });
  return (
    <Page title="Channels" actions={<Link href="/discover">Discover videos and tracks</Link>}>
      <p className="lead">Videos and tracks from the community. Follow a channel to hear about its new uploads.</p>
      <div className={account ? 'two-col' : undefined}>
        <section aria-labelledby="all-h">
          <h2 id="all-h">Find a channel</h2>
          <div className="filters">
            <SearchField value={q} onChange={setQ} className="search">
              <Label>Search channels</Label>
              <Input placeholder="Name or handle" />
            </SearchField>
            <SelectField label="Order" inline value={sort} onChange={(v) => setSort(v as Sort)} options={[{ value: 'newest', label: 'Newest' }, { value: 'popular', label: 'Most subscribers' }]} />
          </div>
          <ProblemAlert error={channels.error} />
          {channels.isPending ? (
            <Loading />
          ) : channels.data?.items.length === 0 ? (
            <Empty>No channel matches.</Empty>
          ) : (
            <ul className="grid grid-wide">{channels.data?.items.map((c) => <ChannelCard key={c.id} channel={c} />)}</ul>
          )}
        </section>
        {account && (
          <div>
            <section aria-labelledby="mine-h">
              <h2 id="mine-h">Your channels</h2>
              <ProblemAlert error={mine.error} />
              {mine.data?.items.length === 0 ? <Empty>You have no channel yet.</Empty> : <ul className="grid grid-wide">{mine.data?.items.map((c) => <ChannelCard key={c.id} channel={c} />)}</ul>}
            </section>
            <CreateChannel />
          </div>
        )}
      </div>
    </Page>
  );
}
