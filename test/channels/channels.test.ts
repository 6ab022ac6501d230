import { compileErrors, validate } from '@readme/openapi-parser';
import { createActiveAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { createChannel, liveChannels, raceTwoCreations, uniqueHandle } from './helpers';

/** Channels on the real stack: creation rules, handles, the normal limit (raced), reads, search, subscriptions, admins. */
describe('channels', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  }, 60_000);
  afterAll(() => stack?.stop());

  it('documents every channel route in a valid OpenAPI document', async () => {
    const doc = (await stack.http.get('/openapi.json')).body;
    for (const [path, method] of [
      ['/v1/channels', 'post'], ['/v1/channels', 'get'], ['/v1/channels/{id}', 'get'], ['/v1/channels/{id}', 'patch'], ['/v1/channels/{id}', 'delete'],
      ['/v1/channels/{id}/admins/{accountId}', 'put'], ['/v1/channels/{id}/admins', 'get'], ['/v1/channels/{id}/admins/{accountId}', 'delete'],
      ['/v1/channels/{id}/subscription', 'put'], ['/v1/channels/{id}/subscription', 'delete'],
    ]) expect({ path, method, documented: !!doc.paths[path]?.[method] }).toEqual({ path, method, documented: true });
    const result = await validate(structuredClone(doc));
    if (!result.valid) throw new Error(compileErrors(result));
  });

  it('creates a channel and reads it by id and by handle', async () => {
    const owner = await createActiveAccount(stack.deps);
    const handle = uniqueHandle('Night_Owls');
    const res = await stack.http.post('/v1/channels', { name: 'Night Owls', handle, description: 'Late music' }, { token: owner.token });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^chn_[0-9a-f]{32}$/), handle, name: 'Night Owls', description: 'Late music', ownerId: owner.id, createdAt: expect.any(String), subscriberCount: 0, contentCount: 0 });
    expect(res.headers.get('location')).toBe(`/v1/channels/${res.body.id}`);

    expect((await stack.http.get(`/v1/channels/${res.body.id}`)).body).toEqual(res.body);
    expect((await stack.http.get(`/v1/channels/${handle.toLowerCase()}`)).body).toEqual(res.body);
    expect((await stack.http.get(`/v1/channels/${handle.toUpperCase()}`)).body).toEqual(res.body);
    expect((await stack.http.get('/v1/channels/no-such-handle')).status).toBe(404);
  });

  it('refuses bad input with 400 naming the field, and unverified accounts with 403', async () => {
    const owner = await createActiveAccount(stack.deps);
    for (const [body, field] of [
      [{ name: 'x', handle: 'ab' }, 'handle'],
      [{ name: 'x', handle: 'a'.repeat(31) }, 'handle'],
      [{ name: 'x', handle: 'has space' }, 'handle'],
      [{ name: '', handle: uniqueHandle() }, 'name'],
      [{ handle: uniqueHandle() }, 'name'],
    ] as const) {
      const res = await stack.http.post('/v1/channels', body, { token: owner.token });
      expect({ status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ status: 400, fields: [field] });
    }
    await stack.deps.db('accounts').where({ id: owner.id }).update({ status: 'pending_verification', verified_at: null });
    const unverified = await stack.http.post('/v1/channels', { name: 'x', handle: uniqueHandle() }, { token: owner.token });
    expect(unverified.status).toBe(403);
    expect(await liveChannels(stack, owner.id)).toBe(0);
  });

  it('answers 409 naming handle when the handle is taken, case-insensitively, also when two race for it', async () => {
    const [a, b] = [await createActiveAccount(stack.deps), await createActiveAccount(stack.deps)];
    const handle = uniqueHandle('Taken');
    await createChannel(stack, a, { handle });
    const clash = await stack.http.post('/v1/channels', { name: 'Other', handle: handle.toLowerCase() }, { token: b.token });
    expect(clash.status).toBe(409);
    expect(clash.headers.get('content-type')).toContain('application/problem+json');
    expect(clash.body.errors).toEqual([{ field: 'handle', message: expect.any(String) }]);

    const raced = uniqueHandle('race');
    const answers = await Promise.all([a, b].map((who, i) => stack.http.post('/v1/channels', { name: `R${i}`, handle: i ? raced.toUpperCase() : raced }, { token: who.token })));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);

    // A PATCH to a taken handle is refused the same way.
    const mine = await createChannel(stack, b);
    const patched = await stack.http.patch(`/v1/channels/${mine.id}`, { handle: handle.toUpperCase() }, { token: b.token });
    expect(patched.status).toBe(409);
    expect(patched.body.errors[0].field).toBe('handle');
  });

  it('limits a normal account to 5 channels (422 naming channels with limit and current); two creations at the limit: exactly one wins', async () => {
    const owner = await createActiveAccount(stack.deps);
    for (let i = 0; i < 4; i++) await createChannel(stack, owner);
    const race = await raceTwoCreations(stack, owner);
    expect(race.statuses).toEqual([201, 422]);
    const refused = race.bodies.find((b) => (b as { status: number }).status === 422);
    expect(refused).toMatchObject({ status: 422, errors: [{ field: 'channels', message: expect.any(String) }], limit: 5, current: 5 });
    expect(await liveChannels(stack, owner.id)).toBe(5);

    // Repeatedly at the limit again after one is deleted: still exactly one.
    const [first] = (await stack.http.get(`/v1/channels?owner=${owner.id}`)).body.items;
    expect((await stack.http.delete(`/v1/channels/${first.id}`, { token: owner.token })).status).toBe(202);
    expect((await raceTwoCreations(stack, owner)).statuses).toEqual([201, 422]);

    // A platform admin has no limit.
    const admin = await createActiveAccount(stack.deps, { roles: ['admin'] });
    for (let i = 0; i < 6; i++) await createChannel(stack, admin);
  });

  it('lists channels: newest first, popular by subscriberCount, q as a name or handle prefix, owner, with cursors', async () => {
    const tag = uniqueHandle('q').slice(2, 8);
    const owner = await createActiveAccount(stack.deps);
    const a = await createChannel(stack, owner, { name: `Alpha ${tag}`, handle: `alpha-${tag}` });
    const b = await createChannel(stack, owner, { name: `Beta ${tag}`, handle: `${tag}-beta` });
    const c = await createChannel(stack, owner, { name: `Gamma ${tag}`, handle: `gamma-${tag}` });
    const fans = await Promise.all([0, 1, 2].map(() => createActiveAccount(stack.deps)));
    for (const fan of fans) expect((await stack.http.put(`/v1/channels/${c.id}/subscription`, undefined, { token: fan.token })).status).toBe(200);
    for (const fan of fans.slice(0, 2)) await stack.http.put(`/v1/channels/${a.id}/subscription`, {}, { token: fan.token });

    const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);
    expect(ids(await stack.http.get(`/v1/channels?owner=${owner.id}`))).toEqual([c.id, b.id, a.id]);
    expect(ids(await stack.http.get(`/v1/channels?owner=${owner.id}&sort=popular`))).toEqual([c.id, a.id, b.id]);
    // q: prefix of the name (Alpha…) or of the handle (<tag>-beta), case-insensitive; not a middle part.
    expect(ids(await stack.http.get(`/v1/channels?q=ALPHA%20${tag}`))).toEqual([a.id]);
    expect(ids(await stack.http.get(`/v1/channels?q=${tag.toUpperCase()}`))).toEqual([b.id]);
    expect(ids(await stack.http.get(`/v1/channels?q=amma%20${tag}`))).toEqual([]);

    for (const sort of ['newest', 'popular']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await stack.http.get(`/v1/channels?owner=${owner.id}&sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        seen.push(...ids(page));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(sort === 'newest' ? [c.id, b.id, a.id] : [c.id, a.id, b.id]);
    }
    const bad = await stack.http.get('/v1/channels?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('cursor');
    const firstPopular = (await stack.http.get(`/v1/channels?owner=${owner.id}&sort=popular&limit=1`)).body.nextCursor;
    expect((await stack.http.get(`/v1/channels?cursor=${firstPopular}`)).status).toBe(400);
    expect((await stack.http.get('/v1/channels?sort=random')).status).toBe(400);
  });

  it('changes a channel (owner, or an admin with edit_channel)', async () => {
    const owner = await createActiveAccount(stack.deps);
    const channel = await createChannel(stack, owner);
    const res = await stack.http.patch(`/v1/channels/${channel.id}`, { name: 'Renamed', description: 'New words' }, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...channel, name: 'Renamed', description: 'New words' });
    expect((await stack.http.patch(`/v1/channels/${channel.id}`, { name: '' }, { token: owner.token })).status).toBe(400);
  });

  it('subscribes idempotently, counts subscribers once, sets notify, unsubscribes; an admin who unsubscribes loses the role', async () => {
    const owner = await createActiveAccount(stack.deps);
    const fan = await createActiveAccount(stack.deps);
    const channel = await createChannel(stack, owner);
    const url = `/v1/channels/${channel.id}/subscription`;

    const first = await stack.http.put(url, undefined, { token: fan.token });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ channelId: channel.id, accountId: fan.id, notify: false, subscribedAt: expect.any(String) });
    const again = await stack.http.put(url, { notify: true }, { token: fan.token });
    expect(again.body).toEqual({ ...first.body, notify: true });
    // An empty JSON body is "no body".
    expect((await stack.http.request('PUT', url, { raw: '', token: fan.token, headers: { 'content-type': 'application/json' } })).body.notify).toBe(false);
    expect((await stack.http.put(url, { notify: 'yes' }, { token: fan.token })).status).toBe(400);
    expect((await stack.http.get(`/v1/channels/${channel.id}`)).body.subscriberCount).toBe(1);

    // Only a subscriber may become an admin; the owner cannot.
    const outsider = await createActiveAccount(stack.deps);
    const notSubscribed = await stack.http.put(`/v1/channels/${channel.id}/admins/${outsider.id}`, { permissions: ['edit_content'] }, { token: owner.token });
    expect(notSubscribed.status).toBe(422);
    expect(notSubscribed.body.errors).toEqual([{ field: 'accountId', message: expect.any(String) }]);
    expect((await stack.http.put(`/v1/channels/${channel.id}/admins/${owner.id}`, { permissions: [] }, { token: owner.token })).body.errors[0].field).toBe('accountId');
    expect((await stack.http.put(`/v1/channels/${channel.id}/admins/${fan.id}`, { permissions: ['fly'] }, { token: owner.token })).status).toBe(400);

    const made = await stack.http.put(`/v1/channels/${channel.id}/admins/${fan.id}`, { permissions: ['edit_channel', 'edit_content', 'edit_channel'] }, { token: owner.token });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ channelId: channel.id, accountId: fan.id, name: fan.name, permissions: ['edit_channel', 'edit_content'] });
    expect((await stack.http.patch(`/v1/channels/${channel.id}`, { name: 'By the admin' }, { token: fan.token })).status).toBe(200);
    expect((await stack.http.get(`/v1/channels/${channel.id}/admins`, { token: fan.token })).body).toEqual({ items: [made.body], nextCursor: null });

    expect((await stack.http.delete(url, { token: fan.token })).status).toBe(204);
    expect((await stack.http.delete(url, { token: fan.token })).status).toBe(204);
    expect((await stack.http.get(`/v1/channels/${channel.id}`)).body.subscriberCount).toBe(0);
    expect((await stack.http.get(`/v1/channels/${channel.id}/admins`, { token: owner.token })).body.items).toEqual([]);
    expect((await stack.http.patch(`/v1/channels/${channel.id}`, { name: 'Not any more' }, { token: fan.token })).status).toBe(403);
  });

  it('takes the admin role away (the owner), keeping the subscription', async () => {
    const owner = await createActiveAccount(stack.deps);
    const fan = await createActiveAccount(stack.deps);
    const channel = await createChannel(stack, owner);
    await stack.http.put(`/v1/channels/${channel.id}/subscription`, {}, { token: fan.token });
    await stack.http.put(`/v1/channels/${channel.id}/admins/${fan.id}`, { permissions: ['edit_channel'] }, { token: owner.token });
    expect((await stack.http.delete(`/v1/channels/${channel.id}/admins/${fan.id}`, { token: owner.token })).status).toBe(204);
    expect((await stack.http.get(`/v1/channels/${channel.id}/admins`, { token: owner.token })).body.items).toEqual([]);
    expect((await stack.http.get(`/v1/channels/${channel.id}`)).body.subscriberCount).toBe(1);
  });
});
