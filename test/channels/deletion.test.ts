import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { newId } from '../../domain/ids';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { createChannel } from './helpers';

/**
 * Deleting a channel: 202 with the `channelDeletion-<id>` workflow, gone from reads and its handle
 * free at once; the workflow removes contents (rows and media folders), admins, subscriptions and
 * the channel row in batches, leaving no row and no file behind.
 */
describe('channel deletion', () => {
  let stack: TestStack;
  let storageDir: string;
  beforeAll(async () => {
    storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'channels-storage-'));
    stack = await startTestStack({ env: { STORAGE_DIR: storageDir, CHANNEL_DELETION_BATCH: '2' } });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(storageDir, { recursive: true, force: true });
  });

  /** A content row (written directly: the contents capability's store builds them in its own issue) with media files under contents/<id>/. */
  async function contentWithMedia(channelId: string, author: TestAccount, files: string[]): Promise<string> {
    const id = newId('cnt');
    await stack.deps.db('contents').insert({ id, channel_id: channelId, kind: 'video', title: `Video ${id.slice(-4)}`, author_id: author.id, status: 'published', media: JSON.stringify({ files }) });
    for (const file of files) await stack.deps.ports.storage.write(`contents/${id}/${file}`, Readable.from([Buffer.from(`${id}/${file}`)]));
    return id;
  }

  it('hides the channel at once, frees its handle, and removes contents, media, admins and subscriptions in batches', async () => {
    const owner = await createActiveAccount(stack.deps);
    const channel = await createChannel(stack, owner);
    const other = await createChannel(stack, owner);

    const people = await Promise.all([0, 1, 2, 3, 4].map(() => createActiveAccount(stack.deps)));
    for (const p of people) expect((await stack.http.put(`/v1/channels/${channel.id}/subscription`, {}, { token: p.token })).status).toBe(200);
    for (const p of people.slice(0, 3)) expect((await stack.http.put(`/v1/channels/${channel.id}/admins/${p.id}`, { permissions: ['add_content'] }, { token: owner.token })).status).toBe(200);
    const contentIds: string[] = [];
    for (let i = 0; i < 5; i++) contentIds.push(await contentWithMedia(channel.id, owner, ['master.m3u8', '720p/index.m3u8', '720p/seg-000.ts', 'poster.jpg']));
    // Another channel's content stays untouched.
    const kept = await contentWithMedia(other.id, owner, ['poster.jpg']);
    for (const id of contentIds) expect(fs.existsSync(path.join(storageDir, 'contents', id, '720p', 'seg-000.ts'))).toBe(true);

    const res = await stack.http.delete(`/v1/channels/${channel.id}`, { token: owner.token });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: channel.id, workflowId: `channelDeletion-${channel.id}` });

    // At once: gone from every read, its handle free for anyone.
    expect((await stack.http.get(`/v1/channels/${channel.id}`)).status).toBe(404);
    expect((await stack.http.get(`/v1/channels/${channel.handle}`)).status).toBe(404);
    expect((await stack.http.get(`/v1/channels?owner=${owner.id}`)).body.items.map((c: { id: string }) => c.id)).toEqual([other.id]);
    expect((await stack.http.delete(`/v1/channels/${channel.id}`, { token: owner.token })).status).toBe(404);
    expect((await stack.http.put(`/v1/channels/${channel.id}/subscription`, {}, { token: people[4].token })).status).toBe(404);
    const reuse = await stack.http.post('/v1/channels', { name: 'Reborn', handle: channel.handle.toUpperCase() }, { token: people[4].token });
    expect(reuse.status).toBe(201);

    const handle = stack.deps.temporal.workflow.getHandle(res.body.workflowId);
    expect(await handle.result()).toEqual({ contents: 5, admins: 3, subscriptions: 5, channelRemoved: true });

    // Batches of 2: three content batches (2, 2, 1), each one activity in the history (the Temporal UI shows them).
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes?.activityType?.name ? [e.activityTaskScheduledEventAttributes.activityType.name] : []));
    expect(scheduled.filter((n) => n === 'channelsRemoveContentBatch')).toHaveLength(3);
    expect(scheduled.filter((n) => n === 'channelsRemoveAdminBatch')).toHaveLength(2);
    expect(scheduled.filter((n) => n === 'channelsRemoveSubscriptionBatch')).toHaveLength(3);

    // No row and no file left behind.
    const { db } = stack.deps;
    expect(await db('channels').where({ id: channel.id })).toEqual([]);
    expect(await db('contents').where({ channel_id: channel.id })).toEqual([]);
    expect(await db('contents').whereIn('id', contentIds)).toEqual([]);
    expect(await db('channel_admins').where({ channel_id: channel.id })).toEqual([]);
    expect(await db('channel_subscriptions').where({ channel_id: channel.id })).toEqual([]);
    for (const id of contentIds) expect(fs.existsSync(path.join(storageDir, 'contents', id))).toBe(false);
    expect(fs.readdirSync(path.join(storageDir, 'contents'))).toEqual([kept]);
    expect(await db('contents').where({ id: kept })).toHaveLength(1);
    expect((await stack.http.get(`/v1/channels/${other.id}`)).status).toBe(200);
  });

  it('deletes an empty channel too', async () => {
    const owner = await createActiveAccount(stack.deps);
    const channel = await createChannel(stack, owner);
    const res = await stack.http.delete(`/v1/channels/${channel.id}`, { token: owner.token });
    expect(res.status).toBe(202);
    expect(await stack.deps.temporal.workflow.getHandle(res.body.workflowId).result()).toEqual({ contents: 0, admins: 0, subscriptions: 0, channelRemoved: true });
    expect(await stack.deps.db('channels').where({ id: channel.id })).toEqual([]);
  });
});
