import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-aria-components';
import { api, ApiError, unwrap } from '../../api/client';
import { Loading, Page, ProblemAlert, When } from '../../ui';
import { Comments } from './Comments';
import { ContentTeamPanel } from './ContentTeamPanel';
import { keys, plural, useChannel, useChannelRole, type Content } from './data';
import { TrackPlayer, VideoPlayer } from './Player';
import { Subscribe } from './Subscribe';
import { Votes } from './Votes';

/** Polls fast while the upload is processing, slowly otherwise (votes and views are counted by a flush every few seconds). */
const pollEvery = (content: Content | null | undefined) => (content?.status === 'processing' ? 1500 : content ? 5000 : false);

/** A content's page: the player, votes, the channel to subscribe to, comments; the team sees its status and edits. */
export function ContentPage({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const content = useQuery({
    queryKey: keys.content(id),
    queryFn: async () => {
      try {
        return await unwrap(api.GET('/v1/contents/{id}', { params: { path: { id } } }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    refetchInterval: (q) => pollEvery(q.state.data),
  });
  const channel = useChannel(content.data?.channelId);
  const role = useChannelRole(channel.data);
  if (content.isPending) return <Loading />;
  if (content.error) return <ProblemAlert error={content.error} />;
  const c = content.data;
  if (!c) {
    return (
      <Page title="Not found">
        <p>
          There is no content here, or it is not yours to see. <Link href="/discover">Discover others</Link>.
        </p>
      </Page>
    );
  }
  const ch = channel.data;
  const onView = () => void queryClient.invalidateQueries({ queryKey: keys.content(id) });
  return (
    <Page title={c.title}>
      <div className="watch">
        <div className="watch-main">
          {c.playback ? (
            c.kind === 'video' ? <VideoPlayer contentId={c.id} playback={c.playback} title={c.title} onView={onView} /> : <TrackPlayer contentId={c.id} playback={c.playback} title={c.title} onView={onView} />
          ) : (
            <div className="player player-empty">
              <p>{c.premiumRequired && c.status === 'published' ? 'This content is for premium members.' : c.status === 'failed' ? 'This upload could not be processed.' : c.status === 'processing' ? 'Processing the upload…' : 'Not published yet: upload its file.'}</p>
              {c.premiumRequired && c.status === 'published' && <Link href="/shop">See the memberships</Link>}
            </div>
          )}
          <p className="muted watch-meta">
            {ch && <Link href={`/channels/${encodeURIComponent(ch.handle)}`}>{ch.name}</Link>} · {plural(c.viewCount ?? 0, 'view')}
            {c.publishedAt && (
              <>
                {' '}· published <When iso={c.publishedAt} />
              </>
            )}
            {c.kind === 'track' && c.artist && ` · ${c.artist}${c.album ? ` — ${c.album}` : ''}`}
          </p>
          {c.status === 'published' && <Votes content={c} />}
          {c.description && <p className="description">{c.description}</p>}
          {c.status === 'published' ? <Comments content={c} channel={ch} role={role} /> : <p className="note">Votes and comments open when the {c.kind} is published.</p>}
        </div>
        <aside className="watch-side">
          {ch && (
            <section className="card" aria-labelledby="channel-h">
              <h2 id="channel-h" className="card-title">
                {ch.name}
              </h2>
              <p className="muted">
                @{ch.handle} · {plural(ch.subscriberCount, 'subscriber')}
              </p>
              <Subscribe channel={ch} />
            </section>
          )}
          {ch && role.isTeam && <ContentTeamPanel content={c} channel={ch} role={role} />}
        </aside>
      </div>
    </Page>
  );
}
