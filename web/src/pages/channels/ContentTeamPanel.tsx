import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { api, unwrap } from '../../api/client';
import { ApiForm, Button, Field, ProblemAlert, SelectField, Status, useAction } from '../../ui';
import { MediaUpload } from '../../ui-upload';
import { keys, MEDIA_FIELD, type Channel, type ChannelRole, type Content } from './data';

const ACCEPTS = { video: 'video/mp4,video/quicktime,video/webm,.mp4,.mov,.webm', track: 'audio/*,.mp3,.flac,.wav,.ogg,.m4a' } as const;

function EditContent({ content }: { content: Content }) {
  const queryClient = useQueryClient();
  return (
    <details className="more">
      <summary>Edit the details</summary>
      <ApiForm
        submit="Save details"
        fields={['title', 'description', 'visibility', 'audience']}
        action={async (data) => {
          const updated = await unwrap(
            api.PATCH('/v1/contents/{id}', {
              params: { path: { id: content.id } },
              body: { title: String(data.get('title')), description: String(data.get('description') ?? ''), visibility: data.get('visibility') as Content['visibility'], audience: data.get('audience') as Content['audience'] },
            }),
          );
          queryClient.setQueryData(keys.content(content.id), updated);
        }}
      >
        {(error) => (
          <>
            <Field name="title" label="Title" defaultValue={content.title} isRequired />
            <Field name="description" label="Description" defaultValue={content.description} multiline />
            <div className="row">
              <SelectField label="Visibility" name="visibility" error={error} defaultValue={content.visibility} options={['public', 'unlisted', 'private']} />
              <SelectField label="Audience" name="audience" error={error} defaultValue={content.audience} options={['everyone', 'premium']} />
            </div>
          </>
        )}
      </ApiForm>
    </details>
  );
}

/**
 * What the channel team sees of a content: its processing status live (the page polls while it is
 * processing), the failure reason, the media upload for a draft or after a failure, and the edits.
 */
export function ContentTeamPanel({ content, channel, role }: { content: Content; channel: Channel; role: ChannelRole }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const { run, busy, error } = useAction();
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.content(content.id) });
  const canUpload = role.may('add_content') && (content.status === 'draft' || content.status === 'failed');
  return (
    <section className="card team-panel" aria-labelledby="team-h">
      <h2 id="team-h">For the channel team</h2>
      <p role="status" data-testid="content-status">
        Status: <Status value={content.status} /> {content.status === 'processing' && <span className="muted">Processing the upload — this page updates by itself.</span>}
        {content.status === 'published' && <span className="muted">Published and playable.</span>}
        {content.status === 'draft' && <span className="muted">A draft: upload its {content.kind === 'video' ? 'video' : 'audio'} file.</span>}
      </p>
      {content.status === 'failed' && content.failureReason && (
        <p className="alert" data-testid="failure-reason">
          <strong>Processing failed:</strong> {content.failureReason}
        </p>
      )}
      {canUpload && (
        <MediaUpload
          id={`media-${content.id}`}
          path={`/v1/contents/${encodeURIComponent(content.id)}/media`}
          field={MEDIA_FIELD}
          accept={ACCEPTS[content.kind]}
          label={content.kind === 'video' ? 'Video file (mp4, mov or webm)' : 'Audio file (mp3, flac, wav, ogg or m4a)'}
          submit={content.status === 'failed' ? 'Upload again' : 'Upload'}
          onUploaded={async () => {
            await refresh();
            await queryClient.invalidateQueries({ queryKey: keys.contents(channel.id) });
          }}
        />
      )}
      {role.may('edit_content') && <EditContent content={content} />}
      <ProblemAlert error={error} />
      <div className="actions">
        {role.may('edit_content') && (
          <Button variant="secondary" isDisabled={busy} onPress={() => run(async () => {
            const updated = await unwrap(api.PATCH('/v1/contents/{id}', { params: { path: { id: content.id } }, body: { commentsEnabled: content.commentsEnabled === false } }));
            queryClient.setQueryData(keys.content(content.id), updated);
          })}>
            {content.commentsEnabled === false ? 'Turn comments on' : 'Turn comments off'}
          </Button>
        )}
        {role.may('delete_content') && (
          <Button variant="danger" isDisabled={busy} onPress={() => run(async () => {
            await unwrap(api.DELETE('/v1/contents/{id}', { params: { path: { id: content.id } } }));
            await queryClient.invalidateQueries({ queryKey: keys.contents(channel.id) });
            navigate(`/channels/${encodeURIComponent(channel.handle)}`);
          })}>
            Delete this {content.kind}
          </Button>
        )}
      </div>
    </section>
  );
}
