import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../platform/child-process';
import { createDb, ensureDatabase, migrateLatest, withDatabase } from '../../platform/db';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../platform/embedded-postgres';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually, type HttpResponse, type TestStack } from '../harness/stack';
import { counters, publishTrack, startEngagementStack, stopEngagementStack, type Adapter } from './helpers';

/**
 * PostgreSQL crashes and comes back while votes, views and subscriptions keep coming and the flush
 * runs. The suite runs a PostgreSQL of its own (the machine's shared one is never touched), stops it
 * the way a crash does (immediate shutdown: no checkpoint, recovery at the next start) and starts it
 * again on the same data. Meanwhile the API answers 503 (never 500: the response guard fails the
 * suite on an answer /openapi.json does not describe). A request refused during the outage may or
 * may not have been written, so the client retries it after recovery, as a real one would; then
 * every counter equals the ground truth: each voter's last vote, each subscriber's last choice,
 * each viewer once.
 */
describe.each<Adapter>(['postgres', 'redis'])('engagement with PostgreSQL restarted under traffic (%s buffer)', (adapter) => {
  let dir: string;
  let port: number;
  let pg: EmbeddedPostgres;
  let stack: TestStack;
  let owner: TestAccount;
  let channelId: string;
  let contents: string[];

  /** An immediate shutdown (what a crash leaves: recovery from the WAL at the next start), then the wrapper process. */
  const crashPostgres = async () => {
    const pid = Number(fs.readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGQUIT');
    await eventually(async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, { what: 'the postmaster to exit', timeoutMs: 30_000 });
    await pg.stop();
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-pg-'));
    port = await freePort();
    pg = await startEmbeddedPostgres(dir, port);
    await ensureDatabase(pg.url, 'limelight');
    const databaseUrl = withDatabase(pg.url, 'limelight');
    const db = createDb(databaseUrl, 2);
    await migrateLatest(db);
    await db.destroy();
    stack = await startEngagementStack(adapter, { env: { DATABASE_URL: databaseUrl } });
    owner = await createActiveAccount(stack.deps);
    const first = await publishTrack(stack, owner, undefined, 'Restart one');
    const second = await publishTrack(stack, owner, first.channelId, 'Restart two');
    channelId = first.channelId;
    contents = [first.contentId, second.contentId];
  }, 300_000);

  afterAll(async () => {
    await stopEngagementStack(stack);
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('ends with every count equal to the ground truth', async () => {
    const fans = await Promise.all(Array.from({ length: 30 }, () => createActiveAccount(stack.deps)));
    // What each client last asked for, and whether the API accepted it (false: refused, to retry).
    const votes = new Map<string, { send: () => Promise<HttpResponse>; value: number; accepted: boolean }>();
    const subscriptions = new Map<string, { send: () => Promise<HttpResponse>; on: boolean; accepted: boolean }>();
    const views = new Map<string, { send: () => Promise<HttpResponse>; contentId: string; accepted: boolean }>();
    const statuses = new Map<number, number>();
    const sent = async (send: () => Promise<HttpResponse>, ok: number) => {
      const res = await send();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status !== ok && res.status !== 503) throw new Error(`${res.status} ${res.text}`);
      return res.status === ok;
    };

    let stop = false;
    const client = async (fan: TestAccount, i: number) => {
      for (let k = 0; !stop; k++) {
        const contentId = contents[(i + k) % 2];
        const value = (i * 7 + k) % 5 === 0 ? 0 : (i + k) % 3 === 0 ? -1 : 1;
        const vote = () => (value === 0 ? stack.http.delete(`/v1/contents/${contentId}/vote`, { token: fan.token }) : stack.http.put(`/v1/contents/${contentId}/vote`, { value }, { token: fan.token }));
        votes.set(`${contentId}:${fan.id}`, { send: vote, value, accepted: await sent(vote, 200) });
        const on = (i + k) % 4 !== 0;
        const subscription = () => (on ? stack.http.put(`/v1/channels/${channelId}/subscription`, {}, { token: fan.token }) : stack.http.delete(`/v1/channels/${channelId}/subscription`, { token: fan.token }));
        subscriptions.set(fan.id, { send: subscription, on, accepted: await sent(subscription, on ? 200 : 204) });
        const agent = `restart-viewer-${i}-${k % 7}`;
        const view = () => stack.http.post(`/v1/contents/${contentId}/views`, undefined, { headers: { 'user-agent': agent } });
        const key = `${contentId}:${agent}`;
        const accepted = await sent(view, 202);
        views.set(key, { send: view, contentId, accepted: accepted || (views.get(key)?.accepted ?? false) });
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const traffic = Promise.all(fans.map(client));

    // Traffic and flushes before; the crash in the middle of both; traffic and flushes after.
    await new Promise((r) => setTimeout(r, 3_000));
    await crashPostgres();
    await new Promise((r) => setTimeout(r, 2_000));
    pg = await startEmbeddedPostgres(dir, port);
    await eventually(async () => (await stack.http.put(`/v1/contents/${contents[0]}/vote`, { value: 1 }, { token: owner.token })).status === 200, { what: 'the API to reach PostgreSQL again', timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 3_000));
    stop = true;
    await traffic;
    expect(statuses.get(503)).toBeGreaterThan(0);

    // The client retries what was refused, until accepted.
    for (const entry of [...votes.values(), ...subscriptions.values(), ...views.values()]) {
      if (entry.accepted) continue;
      await eventually(async () => [200, 202, 204].includes((await entry.send()).status), { what: 'a retry to be accepted', timeoutMs: 30_000 });
      entry.accepted = true;
    }

    const expected = new Map(contents.map((id) => [id, { upvotes: 0, downvotes: 0, views: 0 }]));
    expected.get(contents[0])!.upvotes++; // the owner's probe vote
    for (const [key, v] of votes) {
      const c = expected.get(key.split(':')[0])!;
      if (v.value === 1) c.upvotes++;
      if (v.value === -1) c.downvotes++;
    }
    for (const v of views.values()) expected.get(v.contentId)!.views++;
    const subscribers = [...subscriptions.values()].filter((s) => s.on).length;

    await eventually(async () => {
      if ((await stack.deps.ports.engagement.size()) !== 0) return false;
      for (const [id, want] of expected) if (JSON.stringify(await counters(stack, id)) !== JSON.stringify(want)) return false;
      const channel = await stack.http.get(`/v1/channels/${channelId}`);
      return channel.body.subscriberCount === subscribers;
    }, { what: `counts ${JSON.stringify([...expected])}, ${subscribers} subscribers`, timeoutMs: 90_000 });
    const members = Number((await stack.deps.db('channel_subscriptions').where({ channel_id: channelId }).count({ n: '*' }))[0].n);
    expect(members).toBe(subscribers);
  }, 300_000);
});
