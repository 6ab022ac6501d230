import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Radio, RadioGroup, Label } from 'react-aria-components';
import { useLocation } from 'wouter';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { ApiForm, Field, Loading, Page, ProblemAlert, SelectField, str } from '../../ui';
import { NeedsLogin } from '../orders';
import { NoChannel } from './ChannelPage';
import { keys, useChannel, useChannelRole } from './data';

type Kind = 'video' | 'track';

/** A new content is a draft; its page then takes the media upload and shows the processing live. */
export function NewContent({ handle }: { handle: string }) {
  const { account, ready } = useAuth();
  const channel = useChannel(handle);
  const role = useChannelRole(channel.data);
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [kind, setKind] = useState<Kind>('video');
  if (!ready || channel.isPending) return <Loading />;
  if (!account) return <NeedsLogin />;
  if (channel.error) return <ProblemAlert error={channel.error} />;
  const c = channel.data;
  if (!c) return <NoChannel />;
  return (
    <Page title={`New content on ${c.name}`} actions={<Link href={`/channels/${encodeURIComponent(c.handle)}`}>Back to the channel</Link>}>
      {!role.may('add_content') ? (
        <p>Adding contents needs the channel's add_content permission.</p>
      ) : (
        <div className="card narrow-wide">
          <p className="muted">First the details; on the next page you upload the file and watch it being processed.</p>
          <ApiForm
            submit={`Create the ${kind}`}
            fields={['kind', 'title', 'description', 'visibility', 'audience', 'artist', 'album']}
            action={async (data) => {
              const optional = (key: string) => str(data, key).trim() || undefined;
              const content = await unwrap(
                api.POST('/v1/channels/{id}/contents', {
                  params: { path: { id: c.id } },
                  body: {
                    kind,
                    title: str(data, 'title'),
                    description: str(data, 'description'),
                    visibility: str(data, 'visibility') as 'public' | 'unlisted' | 'private',
                    audience: str(data, 'audience') as 'everyone' | 'premium',
                    ...(kind === 'track' ? { artist: optional('artist'), album: optional('album') } : {}),
                  },
                }),
              );
              await queryClient.invalidateQueries({ queryKey: keys.contents(c.id) });
              navigate(`/watch/${encodeURIComponent(content.id)}`);
            }}
          >
            {(error) => (
              <>
                <RadioGroup value={kind} onChange={(v) => setKind(v as Kind)} orientation="horizontal" className="radio-group">
                  <Label>Kind</Label>
                  <Radio value="video" className="radio">Video</Radio>
                  <Radio value="track" className="radio">Track</Radio>
                </RadioGroup>
                <Field name="title" label="Title" isRequired />
                <Field name="description" label="Description" multiline />
                {kind === 'track' && (
                  <div className="row">
                    <Field name="artist" label="Artist" />
                    <Field name="album" label="Album" />
                  </div>
                )}
                <div className="row">
                  <SelectField label="Visibility" name="visibility" error={error} defaultValue="public" options={[{ value: 'public', label: 'Public' }, { value: 'unlisted', label: 'Unlisted (by link only)' }, { value: 'private', label: 'Private (the team only)' }]} />
                  <SelectField label="Audience" name="audience" error={error} defaultValue="everyone" options={[{ value: 'everyone', label: 'Everyone' }, { value: 'premium', label: 'Premium members' }]} />
                </div>
              </>
            )}
          </ApiForm>
        </div>
      )}
    </Page>
  );
}
