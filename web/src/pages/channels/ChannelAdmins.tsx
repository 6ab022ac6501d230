import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Checkbox, CheckboxGroup, Label } from 'react-aria-components';
import { api, unwrap, type Schemas } from '../../api/client';
import { ApiForm, Button, Empty, ProblemAlert, SelectField, When, useAction } from '../../ui';
import { keys, PERMISSIONS, personName, type Channel, type Permission } from './data';

function Permissions({ defaultValue, label }: { defaultValue: readonly Permission[]; label: string }) {
  return (
    <CheckboxGroup name="permissions" defaultValue={[...defaultValue]} className="checks">
      <Label>{label}</Label>
      {PERMISSIONS.map((p) => (
        <Checkbox key={p.value} value={p.value} className="checkbox">
          <span className="box" aria-hidden="true" /> {p.label}
        </Checkbox>
      ))}
    </CheckboxGroup>
  );
}

const permissionsOf = (data: FormData) => data.getAll('permissions').map(String) as Permission[];

function AdminRow({ channel, admin, isOwner }: { channel: Channel; admin: Schemas['ChannelAdmin']; isOwner: boolean }) {
  const queryClient = useQueryClient();
  const { run, busy, error } = useAction();
  const path = { params: { path: { id: channel.id, accountId: admin.accountId } } };
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.admins(channel.id) });
  const who = personName(admin.accountId, admin.name);
  return (
    <li className="card" aria-label={`Admin ${who}`}>
      <h3 className={admin.name === null ? 'card-title mono admin-id' : 'card-title'}>{who}</h3>
      <p className="muted">
        Admin since <When iso={admin.createdAt} />
      </p>
      {isOwner ? (
        <>
          <ApiForm
            submit="Save permissions"
            fields={['permissions']}
            action={async (data) => {
              await unwrap(api.PUT('/v1/channels/{id}/admins/{accountId}', { ...path, body: { permissions: permissionsOf(data) } }));
              await refresh();
            }}
          >
            <Permissions label="Permissions" defaultValue={admin.permissions} />
          </ApiForm>
          <ProblemAlert error={error} />
          <div className="actions">
            <Button variant="danger" isDisabled={busy} onPress={() => run(async () => {
              await unwrap(api.DELETE('/v1/channels/{id}/admins/{accountId}', path));
              await refresh();
            })}>
              Remove admin {who}
            </Button>
          </div>
        </>
      ) : (
        <p>{admin.permissions.length === 0 ? 'No permissions' : admin.permissions.map((p) => PERMISSIONS.find((x) => x.value === p)?.label ?? p).join(', ')}</p>
      )}
    </li>
  );
}

/** A subscriber becomes an admin with chosen permissions (the API answers 422 naming accountId for anyone else). */
function AddAdmin({ channel, admins }: { channel: Channel; admins: Schemas['ChannelAdmin'][] }) {
  const queryClient = useQueryClient();
  const subscribers = useQuery({ queryKey: ['channel-subscribers', channel.id], queryFn: () => unwrap(api.GET('/v1/channels/{id}/subscribers', { params: { path: { id: channel.id }, query: { limit: 200 } } })) });
  const candidates = (subscribers.data?.items ?? []).filter((s) => !admins.some((a) => a.accountId === s.accountId));
  return (
    <section className="card" aria-labelledby="add-admin-h">
      <h3 id="add-admin-h" className="card-title">Add an admin</h3>
      <ProblemAlert error={subscribers.error} />
      {candidates.length === 0 ? (
        <Empty>Admins are chosen among the channel's subscribers; no other subscriber yet.</Empty>
      ) : (
        <ApiForm
          submit="Make admin"
          fields={['accountId', 'permissions']}
          action={async (data) => {
            await unwrap(api.PUT('/v1/channels/{id}/admins/{accountId}', { params: { path: { id: channel.id, accountId: String(data.get('accountId')) } }, body: { permissions: permissionsOf(data) } }));
            await queryClient.invalidateQueries({ queryKey: keys.admins(channel.id) });
          }}
        >
          {(error) => (
            <>
              <SelectField label="Subscriber" name="accountId" error={error} options={candidates.map((s) => ({ value: s.accountId, label: `${personName(s.accountId, s.name)} (since ${new Date(s.subscribedAt).toLocaleDateString()})` }))} />
              <Permissions label="Permissions" defaultValue={['add_content', 'edit_content']} />
            </>
          )}
        </ApiForm>
      )}
    </section>
  );
}

/** The channel's admins: the team sees them; the owner alone adds, changes and removes them. */
export function ChannelAdmins({ channel, isOwner }: { channel: Channel; isOwner: boolean }) {
  const admins = useQuery({ queryKey: keys.admins(channel.id), queryFn: () => unwrap(api.GET('/v1/channels/{id}/admins', { params: { path: { id: channel.id } } })) });
  const items = admins.data?.items ?? [];
  return (
    <section aria-labelledby="admins-h">
      <h2 id="admins-h">Admins</h2>
      <ProblemAlert error={admins.error} />
      {items.length === 0 ? <Empty>No admins: only the owner runs this channel.</Empty> : <ul className="grid grid-wide">{items.map((a) => <AdminRow key={a.accountId} channel={channel} admin={a} isOwner={isOwner} />)}</ul>}
      {isOwner && <AddAdmin channel={channel} admins={items} />}
    </section>
  );
}
