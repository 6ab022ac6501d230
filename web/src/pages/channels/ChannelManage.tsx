import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-aria-components';
import { useLocation } from 'wouter';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { ApiForm, Button, Field, Loading, Page, ProblemAlert, str, useAction } from '../../ui';
import { NeedsLogin } from '../orders';
import { ChannelAdmins } from './ChannelAdmins';
import { NoChannel } from './ChannelPage';
import { keys, useChannel, useChannelRole, type Channel } from './data';

function EditChannel({ channel }: { channel: Channel }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [saved, setSaved] = useState(false);
  return (
    <section className="card" aria-labelledby="edit-h">
      <h2 id="edit-h">Details</h2>
      <ApiForm
        submit="Save channel"
        fields={['name', 'handle', 'description']}
        action={async (data) => {
          setSaved(false);
          const updated = await unwrap(api.PATCH('/v1/channels/{id}', { params: { path: { id: channel.id } }, body: { name: str(data, 'name'), handle: str(data, 'handle'), description: str(data, 'description') } }));
          await queryClient.invalidateQueries({ queryKey: ['channel'] });
          setSaved(true);
          if (updated.handle !== channel.handle) navigate(`/channels/${encodeURIComponent(updated.handle)}/manage`, { replace: true });
        }}
      >
        <Field name="name" label="Name" defaultValue={channel.name} isRequired />
        <Field name="handle" label="Handle" defaultValue={channel.handle} description="Changing it changes the channel's address." isRequired />
        <Field name="description" label="Description" defaultValue={channel.description} multiline />
      </ApiForm>
      {saved && <p role="status" className="note">Channel saved.</p>}
    </section>
  );
}

/** Deleting asks once more: it removes every content and frees the handle. */
function DeleteChannel({ channel }: { channel: Channel }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [confirming, setConfirming] = useState(false);
  const { run, busy, error } = useAction();
  return (
    <section className="card danger-zone" aria-labelledby="delete-h">
      <h2 id="delete-h">Delete the channel</h2>
      <p>Its contents, media, admins and subscriptions are removed; the handle @{channel.handle} becomes free.</p>
      <ProblemAlert error={error} />
      <div className="actions">
        {confirming ? (
          <>
            <Button variant="danger" isDisabled={busy} onPress={() => run(async () => {
              await unwrap(api.DELETE('/v1/channels/{id}', { params: { path: { id: channel.id } } }));
              await queryClient.invalidateQueries({ queryKey: ['channels'] });
              queryClient.removeQueries({ queryKey: keys.channel(channel.handle) });
              navigate('/channels');
            })}>
              Yes, delete @{channel.handle}
            </Button>
            <Button variant="secondary" onPress={() => setConfirming(false)}>
              Keep it
            </Button>
          </>
        ) : (
          <Button variant="danger" onPress={() => setConfirming(true)}>
            Delete channel…
          </Button>
        )}
      </div>
    </section>
  );
}

/** The team's page of a channel: details (edit_channel), deletion (the owner), admins. */
export function ChannelManage({ handle }: { handle: string }) {
  const { account, ready } = useAuth();
  const channel = useChannel(handle);
  const role = useChannelRole(channel.data);
  if (!ready || channel.isPending) return <Loading />;
  if (!account) return <NeedsLogin />;
  if (channel.error) return <ProblemAlert error={channel.error} />;
  const c = channel.data;
  if (!c) return <NoChannel />;
  return (
    <Page title={`Manage ${c.name}`} actions={<Link href={`/channels/${encodeURIComponent(c.handle)}`}>Back to the channel</Link>}>
      {!role.isTeam ? (
        <p>Only the channel's owner and admins manage it.</p>
      ) : (
        <>
          <div className="two-col">
            {role.may('edit_channel') ? <EditChannel channel={c} /> : <p className="note">You may not edit this channel's details.</p>}
            {role.isOwner && <DeleteChannel channel={c} />}
          </div>
          <ChannelAdmins channel={c} isOwner={role.isOwner} />
        </>
      )}
    </Page>
  );
}
