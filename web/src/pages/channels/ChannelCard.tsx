import { Link } from 'react-aria-components';
import type { Channel } from './data';
import { plural } from './data';

/** One channel in a list: its name links to its page. */
export function ChannelCard({ channel }: { channel: Channel }) {
  return (
    <li className="card channel-card">
      <span className="avatar" aria-hidden="true">
        {channel.name.slice(0, 1).toUpperCase()}
      </span>
      <div>
        <h3 className="card-title">
          <Link href={`/channels/${encodeURIComponent(channel.handle)}`}>{channel.name}</Link>
        </h3>
        <p className="muted handle">@{channel.handle}</p>
        <p className="muted">
          {plural(channel.subscriberCount, 'subscriber')} · {plural(channel.contentCount, 'content')}
        </p>
      </div>
    </li>
  );
}
