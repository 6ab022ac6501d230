import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Checkbox, Link } from 'react-aria-components';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { Button, ProblemAlert, useAction } from '../../ui';
import { keys, useMySubscription, type Channel } from './data';

/** Subscribe or unsubscribe, with the opt-in to be emailed about new uploads. The owner has nothing to subscribe to. */
export function Subscribe({ channel }: { channel: Channel }) {
  const { account } = useAuth();
  const queryClient = useQueryClient();
  const { subscription, isPending } = useMySubscription(channel.id);
  const [notify, setNotify] = useState(false);
  const { run, busy, error } = useAction();
  if (!account) {
    return (
      <p>
        <Link href={`/login?next=${encodeURIComponent(window.location.pathname)}`}>Log in to subscribe</Link>
      </p>
    );
  }
  if (channel.ownerId === account.id || isPending) return null;
  const path = { params: { path: { id: channel.id } } };
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: keys.subscriptions }), queryClient.invalidateQueries({ queryKey: ['channel'] })]);
  const put = (value: boolean) => run(async () => {
    await unwrap(api.PUT('/v1/channels/{id}/subscription', { ...path, body: { notify: value } }));
    await refresh();
  });
  return (
    <div className="subscribe">
      <div className="actions">
        {subscription ? (
          <Button variant="secondary" isDisabled={busy} onPress={() => run(async () => {
            await unwrap(api.DELETE('/v1/channels/{id}/subscription', path));
            await refresh();
          })}>
            Unsubscribe
          </Button>
        ) : (
          <Button isDisabled={busy} onPress={() => put(notify)}>
            Subscribe
          </Button>
        )}
        <Checkbox
          className="checkbox"
          isDisabled={busy}
          isSelected={subscription ? subscription.notify : notify}
          onChange={(value) => (subscription ? put(value) : setNotify(value))}
        >
          <span className="box" aria-hidden="true" /> Email me about new uploads
        </Checkbox>
      </div>
      {subscription && <p className="muted" role="status">Subscribed{subscription.notify ? ', with upload emails' : ''}.</p>}
      <ProblemAlert error={error} />
    </div>
  );
}
