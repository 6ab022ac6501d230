import fs from 'node:fs';
import path from 'node:path';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { startTestStack, type TestStack } from '../harness/stack';
import { CHANNEL_ROLES, callerOf, createChannelTeam, createRoleAccounts, type ChannelRole, type ChannelTeam } from '../channels/roles';
import { tmpDir } from '../shoutouts/helpers';
import { get, makeVideo, makeWav, newContent, uploadMedia, waitForStatus } from './helpers';

type Role = ChannelRole | 'premium';
const ROLES: Role[] = [...CHANNEL_ROLES, 'premium'];

/** Who may see and play published contents: premium-only, private and unlisted, over every route × role, by token and by signed URL. */
describe('content access (real stack): premium, private, unlisted', () => {
  let stack: TestStack;
  let dir: string;
  let team: ChannelTeam;
  let premium: TestAccount;
  let video: { id: string };
  let track: { id: string };

  const caller = (role: Role) => (role === 'premium' ? premium : callerOf(team, role));
  const statusesFor = async (urls: (id: string) => string[], id: string) => {
    const seen: Record<string, number[]> = {};
    for (const role of ROLES) seen[role] = await Promise.all(urls(id).map(async (url) => (await get(stack, url, caller(role))).status));
    return seen;
  };
  const expectAll = (perRole: Partial<Record<Role, number>>, others: number, count: number) =>
    Object.fromEntries(ROLES.map((role) => [role, Array(count).fill(perRole[role] ?? others)]));
  const patch = async (id: string, body: Record<string, unknown>) => expect((await stack.http.patch(`/v1/contents/${id}`, body, { token: team.owner.token })).status).toBe(200);

  beforeAll(async () => {
    dir = tmpDir('contents-access');
    stack = await startTestStack({ env: { STORAGE_DIR: path.join(dir, 'storage') } });
    team = await createChannelTeam(stack, await createRoleAccounts(stack));
    premium = await createActiveAccount(stack.deps, { name: 'premium member', roles: ['premium'] });
    const clip = path.join(dir, 'clip.mp4');
    const wav = path.join(dir, 'tone.wav');
    await makeVideo(clip, { width: 320, height: 240, seconds: 1 });
    await makeWav(wav, 2);
    video = await newContent(stack, team.channel.id, team.owner.token, { kind: 'video', title: 'Premium video', audience: 'premium' });
    track = await newContent(stack, team.channel.id, team.owner.token, { kind: 'track', title: 'Private track', visibility: 'private' });
    expect((await uploadMedia(stack, video.id, team.owner.token, clip, 'video/mp4')).status).toBe(202);
    expect((await uploadMedia(stack, track.id, team.owner.token, wav, 'audio/wav')).status).toBe(202);
    await waitForStatus(stack, video.id, team.owner.token, 'published');
    await waitForStatus(stack, track.id, team.owner.token, 'published');
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const videoMedia = (id: string) => [`/v1/contents/${id}/hls/master.m3u8`, `/v1/contents/${id}/hls/240p/index.m3u8`, `/v1/contents/${id}/hls/240p/seg_00000.ts`, `/v1/contents/${id}/download`, `/v1/contents/${id}/poster`];
  const trackMedia = (id: string) => [`/v1/contents/${id}/download`, `/v1/contents/${id}/waveform`];

  it('premium: everyone sees it (premiumRequired, no playback); only premium members, platform admins and the team play it (others 403 premium-required)', async () => {
    for (const role of ROLES) {
      const res = await stack.http.get(`/v1/contents/${video.id}`, { token: caller(role)?.token });
      const plays = !['anonymous', 'stranger', 'subscriber'].includes(role);
      expect({ role, status: res.status, premiumRequired: res.body.premiumRequired, playback: res.body.playback !== null }).toEqual({ role, status: 200, premiumRequired: !plays, playback: plays });
    }
    expect(await statusesFor(videoMedia, video.id)).toEqual(expectAll({ anonymous: 403, stranger: 403, subscriber: 403 }, 200, 5));
    const refused = await (await get(stack, `/v1/contents/${video.id}/download`, callerOf(team, 'stranger'))).json();
    expect(refused).toMatchObject({ status: 403, type: expect.stringContaining('premium-required'), premiumRequired: true, detail: expect.stringMatching(/premium/) });
    // Listed for everyone (it is public), so people can find it.
    const listed = await stack.http.get(`/v1/channels/${team.channel.id}/contents?kind=video`);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(video.id);
  });

  it('private: the channel team alone sees and plays it; everyone else gets 404, and it is never listed for them', async () => {
    expect(await statusesFor((id) => [`/v1/contents/${id}`, ...trackMedia(id)], track.id)).toEqual(expectAll({ adminWithout: 200, adminWith: 200, owner: 200 }, 404, 3));
    for (const role of ROLES) {
      const list = await stack.http.get(`/v1/channels/${team.channel.id}/contents`, { token: caller(role)?.token });
      const team_ = ['adminWithout', 'adminWith', 'owner'].includes(role);
      expect({ role, listed: list.body.items.some((c: { id: string }) => c.id === track.id) }).toEqual({ role, listed: team_ });
    }
  });

  it('unlisted: reachable by id (and playable) by anyone, listed only for the team', async () => {
    await patch(track.id, { visibility: 'unlisted' });
    try {
      expect(await statusesFor((id) => [`/v1/contents/${id}`, ...trackMedia(id)], track.id)).toEqual(expectAll({}, 200, 3));
      const anonymousList = await stack.http.get(`/v1/channels/${team.channel.id}/contents`);
      expect(anonymousList.body.items.some((c: { id: string }) => c.id === track.id)).toBe(false);
      const ownerList = await stack.http.get(`/v1/channels/${team.channel.id}/contents`, { token: team.owner.token });
      expect(ownerList.body.items.some((c: { id: string }) => c.id === track.id)).toBe(true);
    } finally {
      await patch(track.id, { visibility: 'private' });
    }
  });

  it('signed URLs: work without a token until they expire; a forged or expired one is 403', async () => {
    const owned = await stack.http.get(`/v1/contents/${video.id}`, { token: team.owner.token });
    const { download, hls } = owned.body.playback as { download: string; hls: string };
    expect((await get(stack, download)).status).toBe(200);
    const master = await (await get(stack, hls)).text();
    expect(master).toMatch(/^240p\/index\.m3u8\?exp=\d+&sig=/m);
    expect((await get(stack, download.replace(/exp=\d+/, 'exp=1000'))).status).toBe(403);
    expect((await get(stack, download.replace(/sig=[\w-]+/, 'sig=forged'))).status).toBe(403);
    // A signature is for one path: the download's does not open the poster.
    expect((await get(stack, download.replace('/download?', '/poster?'))).status).toBe(403);
    // A private content's media stay closed to a stranger's token without a signature.
    expect((await get(stack, `/v1/contents/${track.id}/download`, callerOf(team, 'stranger'))).status).toBe(404);
  });
});
