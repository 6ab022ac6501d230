import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-aria-components';
import { api, unwrap } from '../../api/client';
import { Status } from '../../ui';
import { formatDuration, keys, plural, type Content } from './data';

function ChannelName({ id }: { id: string }) {
  const channel = useQuery({ queryKey: keys.channel(id), queryFn: () => unwrap(api.GET('/v1/channels/{id}', { params: { path: { id } } })), staleTime: 60_000 });
  if (!channel.data) return null;
  return <Link href={`/channels/${encodeURIComponent(channel.data.handle)}`}>{channel.data.name}</Link>;
}

/** A content in a list: poster (videos) or a note icon (tracks), title linking to its page, counts; the team sees its status. */
export function ContentCard({ content, showChannel, showStatus }: { content: Content; showChannel?: boolean; showStatus?: boolean }) {
  return (
    <li className="card content-card">
      <div className="thumb" aria-hidden="true">
        {content.playback?.poster ? <img src={content.playback.poster} alt="" loading="lazy" /> : <span>{content.kind === 'track' ? '♪' : '▶'}</span>}
        {content.durationSeconds != null && <span className="duration">{formatDuration(content.durationSeconds)}</span>}
      </div>
      <h3 className="card-title">
        <Link href={`/watch/${encodeURIComponent(content.id)}`}>{content.title}</Link>
      </h3>
      {showChannel && (
        <p className="muted">
          <ChannelName id={content.channelId} />
        </p>
      )}
      <p className="muted">
        {content.kind === 'track' ? 'Track' : 'Video'}
        {content.viewCount !== undefined && ` · ${plural(content.viewCount, 'view')}`}
        {content.score !== undefined && ` · score ${content.score}`}
      </p>
      {showStatus && content.status !== 'published' && (
        <p>
          <Status value={content.status} /> {content.visibility !== 'public' && <span className="status status-info">{content.visibility}</span>}
        </p>
      )}
    </li>
  );
}
