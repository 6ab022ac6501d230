import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-aria-components';
import { api, unwrap } from '../../api/client';
import { Empty, Loading, Page, ProblemAlert } from '../../ui';
import { ContentCard } from './ContentCard';
import { keys, plural, useChannel, useChannelRole } from './data';
import { Subscribe } from './Subscribe';

export function NoChannel() {
  return (
    <Page title="No such channel">
      <p>
        There is no channel at this address (it may have been deleted). <Link href="/channels">See the channels</Link>.
      </p>
    </Page>
  );
}

/** A channel's page: who it is, subscribing, its contents; the team (owner and admins) also sees drafts and the way to add and manage. */
export function ChannelPage({ handle }: { handle: string }) {
  const channel = useChannel(handle);
  const role = useChannelRole(channel.data);
  const id = channel.data?.id;
  const contents = useQuery({
    queryKey: [...keys.contents(id ?? ''), role.isTeam],
    enabled: !!id,
    queryFn: () => unwrap(api.GET('/v1/channels/{id}/contents', { params: { path: { id: id! }, query: { limit: 50 } } })),
    refetchInterval: (q) => (q.state.data?.items.some((c) => c.status === 'processing') ? 2000 : false),
  });
  if (channel.isPending) return <Loading />;
  if (channel.error) return <ProblemAlert error={channel.error} />;
  const c = channel.data;
  if (!c) return <NoChannel />;
  const base = `/channels/${encodeURIComponent(c.handle)}`;
  return (
    <Page
      title={c.name}
      actions={
        role.isTeam && (
          <div className="actions">
            {role.may('add_content') && (
              <Link href={`${base}/new`} className="btn btn-primary">
                Add a video or track
              </Link>
            )}
            <Link href={`${base}/manage`} className="btn btn-secondary">
              Manage channel
            </Link>
          </div>
        )
      }
    >
      <div className="channel-head">
        <p className="muted">
          <span className="handle">@{c.handle}</span> · {plural(c.subscriberCount, 'subscriber')} · {plural(c.contentCount, 'content')}
        </p>
        {c.description && <p className="description">{c.description}</p>}
        <Subscribe channel={c} />
      </div>
      <section aria-labelledby="contents-h">
        <h2 id="contents-h">{role.isTeam ? 'Contents (with drafts and private ones)' : 'Contents'}</h2>
        <ProblemAlert error={contents.error} />
        {contents.isPending ? (
          <Loading />
        ) : contents.data?.items.length === 0 ? (
          <Empty>Nothing published here yet.</Empty>
        ) : (
          <ul className="grid">{contents.data?.items.map((item) => <ContentCard key={item.id} content={item} showStatus={role.isTeam} />)}</ul>
        )}
      </section>
    </Page>
  );
}
