import { mailbox } from '../accounts/helpers';
import { createChannel } from '../channels/helpers';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually, type TestStack } from '../harness/stack';
import { counters, flushedTo, publishTrack, startEngagementStack, stopEngagementStack, type Adapter } from './helpers';

/**
 * Engagement end to end on the real stack (API, worker, Temporal Schedule `engagement-flush` every
 * 1 s, PostgreSQL, Redis), once per EngagementBuffer adapter.
 */
describe.each<Adapter>(['postgres', 'redis'])('engagement with the %s buffer', (adapter) => {
  let stack: TestStack;
  let owner: TestAccount;
  let channelId: string;
  let contentId: string;

  beforeAll(async () => {
    stack = await startEngagementStack(adapter, { env: { VIEW_DEDUP_WINDOW: '3s' } });
    owner = await createActiveAccount(stack.deps, { name: 'Channel Owner' });
    ({ channelId, contentId } = await publishTrack(stack, owner));
  }, 180_000);
  afterAll(() => stopEngagementStack(stack));

  it('votes: myVote at once, counts after the flush; flips and withdrawals count right; the last vote wins', async () => {
    const fan = await createActiveAccount(stack.deps);
    const up = await stack.http.put(`/v1/contents/${contentId}/vote`, { value: 1 }, { token: fan.token });
    expect(up.status).toBe(200);
    expect(up.body.myVote).toBe(1);
    await flushedTo(stack, contentId, { upvotes: 1, downvotes: 0 });
    const down = await stack.http.put(`/v1/contents/${contentId}/vote`, { value: -1 }, { token: fan.token });
    expect(down.body.myVote).toBe(-1);
    await flushedTo(stack, contentId, { upvotes: 0, downvotes: 1 });
    const gone = await stack.http.delete(`/v1/contents/${contentId}/vote`, { token: fan.token });
    expect(gone.body.myVote).toBeNull();
    await flushedTo(stack, contentId, { upvotes: 0, downvotes: 0 });

    // Twenty voters, each changing their mind a few times in quick succession: only the last vote counts.
    const voters = await Promise.all(Array.from({ length: 20 }, () => createActiveAccount(stack.deps)));
    const finals = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        voters.map(async (v, i) => {
          const value = (i + round) % 3 === 0 ? 0 : (i + round) % 3 === 1 ? 1 : -1;
          finals.set(v.id, value);
          const res = value === 0 ? await stack.http.delete(`/v1/contents/${contentId}/vote`, { token: v.token }) : await stack.http.put(`/v1/contents/${contentId}/vote`, { value }, { token: v.token });
          expect(res.body.myVote).toBe(value === 0 ? null : value);
        }),
      );
    }
    const ups = [...finals.values()].filter((v) => v === 1).length;
    const downs = [...finals.values()].filter((v) => v === -1).length;
    await flushedTo(stack, contentId, { upvotes: ups, downvotes: downs });
    const stored = await stack.deps.db('content_votes').where({ content_id: contentId }).select('account_id', 'value');
    expect(new Map(stored.map((r) => [r.account_id, Number(r.value)]))).toEqual(new Map([...finals].filter(([, v]) => v !== 0)));
    expect(await stack.http.put(`/v1/contents/${contentId}/vote`, { value: 2 }, { token: fan.token })).toMatchObject({ status: 400 });
    expect(await stack.http.put(`/v1/contents/${contentId}/vote`, { value: 1 })).toMatchObject({ status: 401 });
    expect(await stack.http.put(`/v1/contents/nope/vote`, { value: 1 }, { token: fan.token })).toMatchObject({ status: 404 });
  });

  it('views: one per viewer inside the dedup window, again across it; anonymous viewers by address and agent; history', async () => {
    const { contentId: fresh } = await publishTrack(stack, owner, channelId, 'Views');
    const viewer = await createActiveAccount(stack.deps);
    for (let i = 0; i < 3; i++) expect((await stack.http.post(`/v1/contents/${fresh}/views`, { watchedSeconds: 12 }, { token: viewer.token })).status).toBe(202);
    for (let i = 0; i < 2; i++) expect((await stack.http.post(`/v1/contents/${fresh}/views`, undefined, { headers: { 'user-agent': 'player-a' } })).status).toBe(202);
    expect((await stack.http.post(`/v1/contents/${fresh}/views`, undefined, { headers: { 'user-agent': 'player-b' } })).status).toBe(202);
    await flushedTo(stack, fresh, { views: 3 });
    const early = await stack.http.post(`/v1/contents/${fresh}/views`, { watchedSeconds: 3 }, { token: viewer.token });
    expect(early.status).toBe(422);
    expect(early.body.errors[0].field).toBe('watchedSeconds');

    await new Promise((r) => setTimeout(r, 3_200));
    await stack.http.post(`/v1/contents/${fresh}/views`, {}, { token: viewer.token });
    await flushedTo(stack, fresh, { views: 4 });

    const history = await stack.http.get('/v1/me/history', { token: viewer.token });
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({ contentId: fresh, title: 'Views', kind: 'track' });
    expect((await stack.http.delete(`/v1/me/history/${fresh}`, { token: viewer.token })).status).toBe(204);
    expect((await stack.http.get('/v1/me/history', { token: viewer.token })).body.items).toEqual([]);
  }, 90_000);

  it('comments: threads, replies to replies, edit by the author, delete rights per role, [deleted] keeps the thread', async () => {
    const [alice, bob, carol, stranger, moderator, helper] = await Promise.all(Array.from({ length: 6 }, () => createActiveAccount(stack.deps)));
    const admin = await createActiveAccount(stack.deps, { roles: ['admin'] });
    for (const a of [moderator, helper]) expect((await stack.http.put(`/v1/channels/${channelId}/subscription`, {}, { token: a.token })).status).toBe(200);
    expect((await stack.http.put(`/v1/channels/${channelId}/admins/${moderator.id}`, { permissions: ['moderate_comments'] }, { token: owner.token })).status).toBe(200);
    expect((await stack.http.put(`/v1/channels/${channelId}/admins/${helper.id}`, { permissions: ['edit_content'] }, { token: owner.token })).status).toBe(200);

    const post = (who: TestAccount, body: string, parentId?: string) => stack.http.post(`/v1/contents/${contentId}/comments`, { body, ...(parentId ? { parentId } : {}) }, { token: who.token });
    const top = (await post(alice, 'First!')).body;
    expect(top).toMatchObject({ threadId: null, parentId: null, authorId: alice.id, authorName: alice.name, replyCount: 0, editedAt: null });
    const reply = (await post(bob, 'Hi Alice', top.id)).body;
    expect(reply).toMatchObject({ threadId: top.id, parentId: top.id, replyToAccountId: null, replyToName: null, authorName: bob.name });
    const replyToReply = (await post(carol, 'Hi Bob', reply.id)).body;
    expect(replyToReply).toMatchObject({ threadId: top.id, parentId: reply.id, replyToAccountId: bob.id, replyToName: bob.name, authorName: carol.name });
    const second = (await post(bob, 'Second thread')).body;

    const newest = await stack.http.get(`/v1/contents/${contentId}/comments?sort=newest`);
    expect(newest.body.items.map((c: { id: string }) => c.id).slice(0, 2)).toEqual([second.id, top.id]);
    expect(newest.body.items.slice(0, 2).map((c: { authorName: string }) => c.authorName)).toEqual([bob.name, alice.name]);
    const topSorted = await stack.http.get(`/v1/contents/${contentId}/comments?sort=top&limit=1`);
    expect(topSorted.body.items[0]).toMatchObject({ id: top.id, replyCount: 2 });
    expect(topSorted.body.nextCursor).toEqual(expect.any(String));
    const replies = await stack.http.get(`/v1/comments/${top.id}/replies`);
    expect(replies.body.items.map((c: { id: string }) => c.id)).toEqual([reply.id, replyToReply.id]);
    expect(replies.body.items.map((c: { authorName: string; replyToName: string | null }) => [c.authorName, c.replyToName])).toEqual([[bob.name, null], [carol.name, bob.name]]);

    expect((await stack.http.post(`/v1/contents/${contentId}/comments`, { body: '' }, { token: alice.token })).status).toBe(400);
    expect((await stack.http.post(`/v1/contents/${contentId}/comments`, { body: 'x'.repeat(5001) }, { token: alice.token })).status).toBe(400);
    const badParent = await post(alice, 'orphan', 'cmt_nope');
    expect(badParent.status).toBe(422);
    expect(badParent.body.errors[0].field).toBe('parentId');

    expect((await stack.http.patch(`/v1/comments/${reply.id}`, { body: 'edited' }, { token: alice.token })).status).toBe(403);
    const edited = await stack.http.patch(`/v1/comments/${reply.id}`, { body: 'Hi Alice (edited)' }, { token: bob.token });
    expect(edited.body).toMatchObject({ body: 'Hi Alice (edited)', editedAt: expect.any(String), authorName: bob.name });

    // Delete rights: a stranger and an admin without moderate_comments may not; the author, owner, moderator and platform admin may.
    const victims = await Promise.all([post(alice, 'a'), post(alice, 'b'), post(alice, 'c'), post(alice, 'd')]);
    expect((await stack.http.delete(`/v1/comments/${victims[0].body.id}`, { token: stranger.token })).status).toBe(403);
    expect((await stack.http.delete(`/v1/comments/${victims[0].body.id}`, { token: helper.token })).status).toBe(403);
    expect((await stack.http.delete(`/v1/comments/${victims[0].body.id}`, { token: alice.token })).status).toBe(204);
    expect((await stack.http.delete(`/v1/comments/${victims[1].body.id}`, { token: owner.token })).status).toBe(204);
    expect((await stack.http.delete(`/v1/comments/${victims[2].body.id}`, { token: moderator.token })).status).toBe(204);
    expect((await stack.http.delete(`/v1/comments/${victims[3].body.id}`, { token: admin.token })).status).toBe(204);
    expect((await stack.http.delete(`/v1/comments/${victims[3].body.id}`, { token: admin.token })).status).toBe(404);

    // The top-level comment with replies becomes [deleted] and keeps its thread.
    expect((await stack.http.delete(`/v1/comments/${top.id}`, { token: alice.token })).status).toBe(204);
    const after = await stack.http.get(`/v1/contents/${contentId}/comments?sort=newest&limit=50`);
    expect(after.body.items.find((c: { id: string }) => c.id === top.id)).toMatchObject({ body: '[deleted]', authorId: null, authorName: null, deleted: true, replyCount: 2 });
    expect((await stack.http.get(`/v1/comments/${top.id}/replies`)).body.items).toHaveLength(2);
    // A reply goes entirely and its thread's count follows.
    expect((await stack.http.delete(`/v1/comments/${replyToReply.id}`, { token: carol.token })).status).toBe(204);
    expect((await stack.http.get(`/v1/contents/${contentId}/comments?sort=top&limit=1`)).body.items[0]).toMatchObject({ id: top.id, replyCount: 1 });

    // A deactivated author's comments stay, unnamed.
    const leaver = await createActiveAccount(stack.deps);
    const left = (await post(leaver, 'Bye', second.id)).body;
    expect((await stack.http.post(`/v1/admin/accounts/${leaver.id}/deactivate`, undefined, { token: admin.token })).status).toBe(200);
    const secondReplies = (await stack.http.get(`/v1/comments/${second.id}/replies`)).body.items;
    expect(secondReplies.find((c: { id: string }) => c.id === left.id)).toMatchObject({ authorId: leaver.id, authorName: null });
  });

  it('refuses comments where they are turned off, and on contents the caller cannot see', async () => {
    const { contentId: quiet } = await publishTrack(stack, owner, channelId, 'No comments');
    const fan = await createActiveAccount(stack.deps);
    const off = await stack.http.patch(`/v1/contents/${quiet}`, { commentsEnabled: false }, { token: owner.token });
    expect(off.status).toBe(200);
    expect(off.body.commentsEnabled).toBe(false);
    const refused = await stack.http.post(`/v1/contents/${quiet}/comments`, { body: 'hello?' }, { token: fan.token });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('commentsEnabled');

    const draft = await stack.http.post(`/v1/channels/${channelId}/contents`, { kind: 'track', title: 'Unpublished' }, { token: owner.token });
    expect((await stack.http.post(`/v1/contents/${draft.body.id}/comments`, { body: 'sneaky' }, { token: fan.token })).status).toBe(404);
    expect((await stack.http.get(`/v1/contents/${draft.body.id}/comments`)).status).toBe(404);
    expect((await stack.http.put(`/v1/contents/${draft.body.id}/vote`, { value: 1 }, { token: fan.token })).status).toBe(404);
  }, 90_000);

  it('subscriptions: racing subscribe/unsubscribe leave the count equal to the subscribers; lists for me and for the owner', async () => {
    const channel = (await createChannel(stack, owner)).id;
    const fans = await Promise.all(Array.from({ length: 10 }, () => createActiveAccount(stack.deps)));
    await Promise.all(
      fans.flatMap((fan, i) => [
        stack.http.put(`/v1/channels/${channel}/subscription`, { notify: i % 2 === 0 }, { token: fan.token }),
        ...(i % 3 === 0 ? [stack.http.delete(`/v1/channels/${channel}/subscription`, { token: fan.token })] : []),
        stack.http.put(`/v1/channels/${channel}/subscription`, {}, { token: fan.token }),
      ]),
    );
    const members = Number((await stack.deps.db('channel_subscriptions').where({ channel_id: channel }).count({ n: '*' }))[0].n);
    expect(members).toBe(10);
    await eventually(async () => (await stack.http.get(`/v1/channels/${channel}`)).body.subscriberCount === members, { what: 'subscriberCount' });
    await Promise.all(fans.slice(0, 4).map((fan) => stack.http.delete(`/v1/channels/${channel}/subscription`, { token: fan.token })));
    await eventually(async () => (await stack.http.get(`/v1/channels/${channel}`)).body.subscriberCount === 6, { what: 'subscriberCount 6' });

    const mine = await stack.http.get('/v1/me/channel-subscriptions', { token: fans[9].token });
    expect(mine.body.items).toEqual([expect.objectContaining({ channelId: channel, accountId: fans[9].id })]);
    const list = await stack.http.get(`/v1/channels/${channel}/subscribers?limit=4`, { token: owner.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(4);
    for (const s of list.body.items as { accountId: string; name: string }[]) expect(s.name).toBe(fans.find((f) => f.id === s.accountId)?.name);
    const rest = await stack.http.get(`/v1/channels/${channel}/subscribers?limit=4&cursor=${list.body.nextCursor}`, { token: owner.token });
    expect(rest.body.items).toHaveLength(2);
    expect((await stack.http.get(`/v1/channels/${channel}/subscribers`, { token: fans[9].token })).status).toBe(403);
  });

  it('notifies opted-in subscribers once when a content is published, with an unsubscribe link that works', async () => {
    const channel = (await createChannel(stack, owner)).id;
    const optedIn = await Promise.all(Array.from({ length: 3 }, () => createActiveAccount(stack.deps)));
    const quiet = await createActiveAccount(stack.deps);
    for (const fan of optedIn) await stack.http.put(`/v1/channels/${channel}/subscription`, { notify: true }, { token: fan.token });
    await stack.http.put(`/v1/channels/${channel}/subscription`, { notify: false }, { token: quiet.token });
    const { contentId: published } = await publishTrack(stack, owner, channel, 'Brand new');

    for (const fan of optedIn) {
      const mails = await eventually(async () => {
        const items = (await mailbox(stack, fan.email)).filter((m) => m.subject.includes('Brand new'));
        return items.length ? items : undefined;
      }, { what: `notification to ${fan.email}` });
      expect(mails).toHaveLength(1);
      expect(mails[0].text).toContain(`/v1/contents/${published}`);
    }
    await eventually(async () => Number((await stack.deps.db('notification_deliveries').where({ content_id: published }).count({ n: '*' }))[0].n) === 3, { what: 'three deliveries' });
    expect((await mailbox(stack, quiet.email)).filter((m) => m.subject.includes('Brand new'))).toHaveLength(0);

    const link = /(\/v1\/notifications\/unsubscribe\?token=\S+)/.exec((await mailbox(stack, optedIn[0].email))[0].text)![1];
    expect((await stack.http.get(link)).body).toEqual({ channelId: channel, notify: false });
    expect(await stack.deps.db('channel_subscriptions').where({ channel_id: channel, account_id: optedIn[0].id }).first('notify')).toEqual({ notify: false });
    expect((await stack.http.get(`/v1/notifications/unsubscribe?token=${channel}.${optedIn[1].id}.forged`)).status).toBe(400);
  }, 120_000);

  it('reports: users report contents and comments; admins list and resolve them; actions are recorded', async () => {
    const [reporter, troll] = await Promise.all([createActiveAccount(stack.deps), createActiveAccount(stack.deps)]);
    const admin = await createActiveAccount(stack.deps, { roles: ['admin'] });
    const comment = (await stack.http.post(`/v1/contents/${contentId}/comments`, { body: 'buy cheap pills' }, { token: troll.token })).body;
    const onComment = await stack.http.post(`/v1/comments/${comment.id}/reports`, { reason: 'spam' }, { token: reporter.token });
    expect(onComment.status).toBe(201);
    const onContent = await stack.http.post(`/v1/contents/${contentId}/reports`, { reason: 'copyright', detail: 'my song' }, { token: reporter.token });
    expect(onContent.body).toMatchObject({ targetKind: 'content', targetId: contentId, status: 'open', resolution: null });
    expect((await stack.http.post(`/v1/contents/${contentId}/reports`, { reason: 'boring' }, { token: reporter.token })).status).toBe(400);

    expect((await stack.http.get('/v1/admin/reports', { token: reporter.token })).status).toBe(403);
    const open = await stack.http.get('/v1/admin/reports?status=open&limit=200', { token: admin.token });
    expect(open.body.items.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([onComment.body.id, onContent.body.id]));

    const removed = await stack.http.post(`/v1/admin/reports/${onComment.body.id}/resolve`, { action: 'remove', note: 'spam' }, { token: admin.token });
    expect(removed.body).toMatchObject({ status: 'resolved', resolution: { action: 'remove', note: 'spam', actorId: admin.id } });
    expect((await stack.http.get(`/v1/comments/${comment.id}/replies`)).status).toBe(404);
    expect((await stack.http.post(`/v1/admin/reports/${onComment.body.id}/resolve`, { action: 'dismiss', note: 'again' }, { token: admin.token })).status).toBe(409);

    const trollComment = (await stack.http.post(`/v1/contents/${contentId}/comments`, { body: 'abuse' }, { token: troll.token })).body;
    const abuse = (await stack.http.post(`/v1/comments/${trollComment.id}/reports`, { reason: 'abuse' }, { token: reporter.token })).body;
    await stack.http.post(`/v1/admin/reports/${abuse.id}/resolve`, { action: 'deactivate_author', note: 'repeat offender' }, { token: admin.token });
    expect((await stack.deps.db('accounts').where({ id: troll.id }).first('status')).status).toBe('deactivated');
    expect(await stack.deps.db('moderation_actions').where({ report_id: abuse.id }).first('action', 'actor_id')).toEqual({ action: 'deactivate_author', actor_id: admin.id });

    const dismissed = await stack.http.post(`/v1/admin/reports/${onContent.body.id}/resolve`, { action: 'dismiss', note: 'licensed' }, { token: admin.token });
    expect(dismissed.body.resolution.action).toBe('dismiss');
    expect((await stack.http.get('/v1/admin/reports?status=resolved&limit=200', { token: admin.token })).body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('discover: trending, newest and top, with engagement fields', async () => {
    const fan = await createActiveAccount(stack.deps);
    await stack.http.put(`/v1/contents/${contentId}/vote`, { value: 1 }, { token: fan.token });
    await eventually(async () => (await counters(stack, contentId)).upvotes > 0 && (await stack.deps.ports.engagement.size()) === 0, { what: 'flush' });
    for (const sort of ['trending', 'newest', 'top']) {
      const res = await stack.http.get(`/v1/contents?sort=${sort}&kind=track&limit=100`, { token: fan.token });
      expect(res.status).toBe(200);
      const item = res.body.items.find((c: { id: string }) => c.id === contentId);
      expect(item).toMatchObject({ id: contentId, myVote: 1, commentsEnabled: true, upvotes: expect.any(Number), viewCount: expect.any(Number), score: expect.any(Number) });
    }
    const top = (await stack.http.get('/v1/contents?sort=top&limit=100')).body.items as { score: number }[];
    expect(top.map((c) => c.score)).toEqual([...top.map((c) => c.score)].sort((a, b) => b - a));
    expect((await stack.http.get('/v1/contents?cursor=garbage')).status).toBe(400);
  });
});
