import fs from 'node:fs';
import path from 'node:path';
import { createActiveAccount, type TestAccount } from '../harness/accounts';
import { eventually, startTestStack, type TestStack } from '../harness/stack';
import { createChannel } from '../channels/helpers';
import { makeUndecodableClip, tmpDir } from '../shoutouts/helpers';
import { decodes, ffprobe, get, loudness, makeVideo, makeWav, newContent, storedFiles, uploadMedia, waitForStatus } from './helpers';

/** Contents end to end on the real stack: upload → contentPublishing on the media queue (real ffmpeg) → playback. */
describe('content publishing (real API, Temporal, media worker, ffmpeg, PostgreSQL)', () => {
  let stack: TestStack;
  let dir: string;
  let storageDir: string;
  let owner: TestAccount;
  let channelId: string;
  let clip720: string;
  let wav: string;

  beforeAll(async () => {
    dir = tmpDir('contents');
    storageDir = path.join(dir, 'storage');
    stack = await startTestStack({
      env: { STORAGE_DIR: storageDir, CONTENT_PROCESSING_HEARTBEAT_TIMEOUT: '10s', CONTENT_PROCESSING_ATTEMPTS: '2', CONTENT_VIDEO_MAX_BYTES: String(3 * 1024 * 1024), CONTENT_TRACK_MAX_BYTES: String(1024 * 1024) },
    });
    owner = await createActiveAccount(stack.deps, { name: 'Channel Owner' });
    channelId = (await createChannel(stack, owner)).id;
    clip720 = path.join(dir, 'clip720.mp4');
    wav = path.join(dir, 'tone.wav');
    await makeVideo(clip720, { width: 1280, height: 720, seconds: 3 });
    await makeWav(wav, 4);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes a 720p video as HLS with 360p and 720p renditions, a download and a poster', async () => {
    const draft = await newContent(stack, channelId, owner.token, { kind: 'video', title: 'Test pattern', description: 'bars' });
    expect(draft).toMatchObject({ status: 'draft', kind: 'video', visibility: 'public', audience: 'everyone', playback: null });

    const uploaded = await uploadMedia(stack, draft.id, owner.token, clip720, 'video/mp4');
    expect(uploaded.status).toBe(202);
    expect(uploaded.body).toMatchObject({ content: { status: 'processing' }, workflowId: `contentPublishing-${draft.id}`, upload: { filename: 'clip720.mp4' } });
    // A second upload while processing is refused.
    expect((await uploadMedia(stack, draft.id, owner.token, clip720, 'video/mp4')).status).toBe(409);

    const published = await waitForStatus(stack, draft.id, owner.token, 'published');
    expect(published.durationSeconds).toBeGreaterThan(2.5);
    expect(published.publishedAt).toEqual(expect.any(String));
    expect(published.renditions.map((r: { name: string; width: number; height: number }) => `${r.name} ${r.width}x${r.height}`)).toEqual(['360p 640x360', '720p 1280x720']);

    // The signed master playlist: ffprobe follows it (no headers) and finds both renditions.
    const master = `${stack.api!.url}${published.playback.hls}`;
    const probed = await ffprobe(master);
    const heights = probed.streams.filter((s) => s.codec_type === 'video').map((s) => Number(s.height)).sort((a, b) => a - b);
    expect(heights).toEqual([360, 720]);
    expect(probed.streams.filter((s) => s.codec_type === 'video').every((s) => s.codec_name === 'h264')).toBe(true);
    expect(probed.streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac')).toBe(true);

    // With a bearer token the unsigned URL works too, and its playlists come back signed.
    const byToken = await get(stack, `/v1/contents/${draft.id}/hls/master.m3u8`, owner);
    expect(byToken.status).toBe(200);
    expect(byToken.headers.get('content-type')).toContain('mpegurl');
    const masterText = await byToken.text();
    expect(masterText).toMatch(/#EXT-X-STREAM-INF:[^\n]*RESOLUTION=1280x720/);
    const variant = /^(720p\/index\.m3u8\?exp=\d+&sig=[\w-]+)$/m.exec(masterText)![1];
    const playlist = await (await fetch(`${stack.api!.url}/v1/contents/${draft.id}/hls/${variant}`)).text();
    expect(playlist).toContain('#EXT-X-TARGETDURATION:');
    expect(playlist).toContain('#EXT-X-ENDLIST');
    const segment = /^(seg_00000\.ts\?exp=\d+&sig=[\w-]+)$/m.exec(playlist)![1];

    // A segment plays: fetched with its signed URL, every frame decodes.
    const seg = await fetch(`${stack.api!.url}/v1/contents/${draft.id}/hls/720p/${segment}`);
    expect(seg.status).toBe(200);
    expect(seg.headers.get('content-type')).toBe('video/mp2t');
    const segFile = path.join(dir, 'seg.ts');
    fs.writeFileSync(segFile, Buffer.from(await seg.arrayBuffer()));
    await decodes(segFile);
    const segProbe = await ffprobe(segFile);
    expect(segProbe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });

    // Segments are not guessable: no signature, no token → refused; a tampered signature → refused.
    expect((await get(stack, `/v1/contents/${draft.id}/hls/720p/seg_00000.ts`)).status).toBe(200); // public content: anyone may play
    expect((await fetch(`${stack.api!.url}/v1/contents/${draft.id}/hls/720p/${segment.replace(/sig=./, 'sig=A')}`)).status).toBe(403);

    // The download: an MP4 with Range support; the poster a JPEG.
    const download = await fetch(`${stack.api!.url}${published.playback.download}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('video/mp4');
    const mp4 = path.join(dir, 'download.mp4');
    fs.writeFileSync(mp4, Buffer.from(await download.arrayBuffer()));
    const mp4Probe = await ffprobe(mp4);
    expect(mp4Probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', height: 720 });
    const part = await fetch(`${stack.api!.url}${published.playback.download}`, { headers: { range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(fs.readFileSync(mp4).subarray(10, 20));
    const poster = await fetch(`${stack.api!.url}${published.playback.poster}`);
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await poster.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    // The upload itself is gone once processed; the media stay.
    const files = storedFiles(storageDir, draft.id);
    expect(files.some((f) => f.startsWith('uploads/'))).toBe(false);
    expect(files).toEqual(expect.arrayContaining(['m1/hls/master.m3u8', 'm1/hls/360p/index.m3u8', 'm1/hls/720p/seg_00000.ts', 'm1/download.mp4', 'm1/poster.jpg']));
  }, 240_000);

  it('publishes a WAV track at −14 LUFS (±1) with a true peak ≤ −1 dBTP and a waveform of 800 peaks', async () => {
    const draft = await newContent(stack, channelId, owner.token, { kind: 'track', title: 'Tone', artist: 'Oscillator', album: 'Test Signals' });
    expect(draft).toMatchObject({ kind: 'track', artist: 'Oscillator', album: 'Test Signals' });
    const before = await loudness(wav);
    expect(before.lufs).toBeLessThan(-20);

    expect((await uploadMedia(stack, draft.id, owner.token, wav, 'audio/wav')).status).toBe(202);
    const published = await waitForStatus(stack, draft.id, owner.token, 'published');
    expect(published.durationSeconds).toBeCloseTo(4, 0);
    expect(published.playback).toMatchObject({ download: expect.any(String), waveform: expect.any(String) });
    expect(published.playback.hls).toBeUndefined();

    const audio = await fetch(`${stack.api!.url}${published.playback.download}`);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mp4');
    const m4a = path.join(dir, 'track.m4a');
    fs.writeFileSync(m4a, Buffer.from(await audio.arrayBuffer()));
    const info = await ffprobe(m4a);
    const stream = info.streams.find((s) => s.codec_type === 'audio')!;
    expect(stream.codec_name).toBe('aac');
    expect(Number(stream.bit_rate)).toBeGreaterThan(100_000);
    expect(Number(stream.bit_rate)).toBeLessThan(160_000);
    const after = await loudness(m4a);
    expect(Math.abs(after.lufs - -14)).toBeLessThanOrEqual(1);
    expect(after.truePeak).toBeLessThanOrEqual(-0.5);

    const waveform = await get(stack, `/v1/contents/${draft.id}/waveform`, owner);
    expect(waveform.status).toBe(200);
    const body = (await waveform.json()) as { peaks: number[]; durationSeconds: number };
    expect(body.peaks).toHaveLength(800);
    expect(body.peaks.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(Math.max(...body.peaks)).toBeGreaterThan(0.1);
    // A track has no HLS or poster.
    expect((await get(stack, `/v1/contents/${draft.id}/hls/master.m3u8`, owner)).status).toBe(404);
  }, 240_000);

  it('refuses bad uploads with 4xx naming the field, storing nothing', async () => {
    const video = await newContent(stack, channelId, owner.token, { kind: 'video', title: 'Bad uploads' });
    const track = await newContent(stack, channelId, owner.token, { kind: 'track', title: 'Bad track' });
    const text = path.join(dir, 'notes.mp4');
    fs.writeFileSync(text, 'this is not a video at all\n'.repeat(100));
    const notMedia = await uploadMedia(stack, video.id, owner.token, text, 'video/mp4');
    expect(notMedia).toMatchObject({ status: 422, body: { errors: [{ field: 'file' }] } });
    const wrongType = await uploadMedia(stack, video.id, owner.token, wav, 'audio/wav');
    expect(wrongType).toMatchObject({ status: 415, body: { errors: [{ field: 'file' }] } });
    const tiny = path.join(dir, 'tiny.mp4');
    await makeVideo(tiny, { width: 160, height: 120, seconds: 1 });
    const videoAsTrack = await uploadMedia(stack, track.id, owner.token, tiny, 'video/mp4');
    expect(videoAsTrack.status).toBe(415);
    const big = path.join(dir, 'big.wav');
    fs.writeFileSync(big, Buffer.alloc(2 * 1024 * 1024));
    const tooLarge = await uploadMedia(stack, track.id, owner.token, big, 'audio/wav');
    expect(tooLarge).toMatchObject({ status: 413, body: { errors: [{ field: 'file' }] } });
    const notMultipart = await stack.http.post(`/v1/contents/${video.id}/media`, { file: 'x' }, { token: owner.token });
    expect(notMultipart.status).toBe(415);
    // Nothing stored, nothing started.
    expect(storedFiles(storageDir, video.id)).toEqual([]);
    expect(storedFiles(storageDir, track.id)).toEqual([]);
    expect((await stack.http.get(`/v1/contents/${video.id}`, { token: owner.token })).body.status).toBe('draft');
    expect((await stack.http.get(`/v1/contents/${track.id}`, { token: owner.token })).body.status).toBe('draft');
  }, 120_000);

  it('marks an undecodable upload failed with a reason, emails the uploader, and takes a new upload', async () => {
    const draft = await newContent(stack, channelId, owner.token, { kind: 'video', title: 'Broken' });
    const broken = path.join(dir, 'broken.mp4');
    await makeUndecodableClip(broken);
    expect((await uploadMedia(stack, draft.id, owner.token, broken, 'video/mp4')).status).toBe(202);
    const failed = await waitForStatus(stack, draft.id, owner.token, 'failed');
    expect(failed.failureReason).toMatch(/could not be decoded/);
    const mail = await eventually(async () => (await stack.deps.db('email_messages').where({ to: owner.email, kind: 'content-failed' }).first()) as { subject: string; text: string } | undefined, { what: 'the failure email' });
    expect(mail.subject).toContain('Broken');
    expect(mail.text).toContain(`/v1/contents/${draft.id}`);
    // The failed upload is gone; another one is accepted and publishes (a small source: one rendition, not upscaled).
    // The workflow removes the failed source after it marked the content failed and emailed: wait for it.
    await eventually(async () => storedFiles(storageDir, draft.id).filter((f) => f.startsWith('uploads/')).length === 0, { what: 'the failed upload removed' });
    const small = path.join(dir, 'small.mp4');
    await makeVideo(small, { width: 320, height: 240, seconds: 2 });
    expect((await uploadMedia(stack, draft.id, owner.token, small, 'video/mp4')).status).toBe(202);
    const published = await waitForStatus(stack, draft.id, owner.token, 'published');
    expect(published.renditions.map((r: { name: string }) => r.name)).toEqual(['240p']);
    expect(published.failureReason).toBeNull();
  }, 240_000);

  it('deletes a content: gone at once, media and row removed by the workflow', async () => {
    const draft = await newContent(stack, channelId, owner.token, { kind: 'track', title: 'To delete' });
    expect((await uploadMedia(stack, draft.id, owner.token, wav, 'audio/wav')).status).toBe(202);
    const contentCount = async () => (await stack.http.get(`/v1/channels/${channelId}`, { token: owner.token })).body.contentCount as number;
    const countBefore = await contentCount();
    await waitForStatus(stack, draft.id, owner.token, 'published');
    // Published once: the channel counts it once; deleted: it no longer does.
    expect(await contentCount()).toBe(countBefore + 1);
    expect(storedFiles(storageDir, draft.id).length).toBeGreaterThan(0);
    const deleted = await stack.http.delete(`/v1/contents/${draft.id}`, { token: owner.token });
    expect(await contentCount()).toBe(countBefore);
    expect(deleted).toMatchObject({ status: 202, body: { id: draft.id, workflowId: `contentPublishing-${draft.id}` } });
    expect((await stack.http.get(`/v1/contents/${draft.id}`, { token: owner.token })).status).toBe(404);
    await eventually(async () => storedFiles(storageDir, draft.id).length === 0 && !(await stack.deps.db('contents').where({ id: draft.id }).first()), { what: 'media and row removed' });
    expect((await stack.http.delete(`/v1/contents/${draft.id}`, { token: owner.token })).status).toBe(404);
  }, 120_000);
});
