import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createContentsMediaActivities, type PublishedContent } from '../../activities/contents';
import { configWith } from '../../platform/config';
import type { CoreDeps } from '../../platform/deps';
import { createTranscoder } from '../../providers/media';
import { LocalStorage } from '../../providers/storage/local';
import { makeVideo, makeWav } from './helpers';

/** The media-queue activities alone (real ffmpeg, real storage folder): heartbeats, resume, failure types, cancellation. */
describe('contents media activities', () => {
  let dir: string;
  let storage: LocalStorage;
  let activities: ReturnType<typeof createContentsMediaActivities>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'limelight-content-activity-'));
    const config = configWith({ STORAGE_DIR: join(dir, 'storage') });
    storage = new LocalStorage({ dir: config.STORAGE_DIR });
    activities = createContentsMediaActivities({ config, ports: { storage, transcoder: createTranscoder(config) } } as unknown as CoreDeps);
    await makeWav(join(dir, 'tone.wav'), 2);
    await makeVideo(join(dir, 'clip.mp4'), { width: 320, height: 240, seconds: 1 });
    await storage.write('contents/cnt_a/uploads/1/tone.wav', createReadStream(join(dir, 'tone.wav')));
    await storage.write('contents/cnt_v/uploads/1/clip.mp4', createReadStream(join(dir, 'clip.mp4')));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = (fn: (input: { contentId: string; version: number; sourceKey: string }) => Promise<PublishedContent>, input: { contentId: string; version: number; sourceKey: string }, heartbeats: unknown[] = []) => {
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));
    return env.run(fn, input) as Promise<PublishedContent>;
  };

  it('publishes a track under contents/<id>/m<n>/ heartbeating progress, and a retry returns it without redoing the work', async () => {
    const heartbeats: unknown[] = [];
    const input = { contentId: 'cnt_a', version: 1, sourceKey: 'contents/cnt_a/uploads/1/tone.wav' };
    const first = await run(activities.contentsPublishTrack, input, heartbeats);
    expect(first.media).toMatchObject({ kind: 'track', version: 1, prefix: 'contents/cnt_a/m1', waveformPeaks: 800, bitrateKbps: 128 });
    expect(heartbeats[0]).toBe(0);
    expect(heartbeats[heartbeats.length - 1]).toBe(100);
    const written = (await stat(storage.pathOf('contents/cnt_a/m1/audio.m4a'))).mtimeMs;

    const again = await run(activities.contentsPublishTrack, input);
    expect(again).toEqual(first);
    expect((await stat(storage.pathOf('contents/cnt_a/m1/audio.m4a'))).mtimeMs).toBe(written);
  });

  it('fails non-retryably with UnreadableMedia for what is not media, and for a missing upload', async () => {
    await storage.write('contents/cnt_b/uploads/1/notes.wav', Readable.from([Buffer.from('not audio '.repeat(300))]));
    const failure = await run(activities.contentsPublishTrack, { contentId: 'cnt_b', version: 1, sourceKey: 'contents/cnt_b/uploads/1/notes.wav' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'UnreadableMedia', nonRetryable: true });
    expect(await storage.stat('contents/cnt_b/m1/manifest.json')).toBeNull();
    const missing = await run(activities.contentsPublishVideo, { contentId: 'cnt_c', version: 1, sourceKey: 'contents/cnt_c/uploads/1/none.mp4' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ type: 'UnreadableMedia', nonRetryable: true });
  });

  it('stops ffmpeg when cancelled and publishes nothing', async () => {
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (percent: unknown) => {
      if (percent === 0) env.cancel();
    });
    const failure = await env.run(activities.contentsPublishVideo, { contentId: 'cnt_v', version: 1, sourceKey: 'contents/cnt_v/uploads/1/clip.mp4' }).catch((e: unknown) => e);
    expect(failure).toBeDefined();
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    expect(await storage.stat('contents/cnt_v/m1/manifest.json')).toBeNull();
    expect(await storage.stat('contents/cnt_v/m1/hls/master.m3u8')).toBeNull();
  });
});
