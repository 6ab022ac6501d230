import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createTranscoder } from '../../providers/media';
import type { Transcoder } from '../../providers/media/port';
import { createShoutoutsMediaActivities, shoutoutVideoKeys, type TranscodedShoutoutVideo } from '../../activities/shoutouts/media';
import { LocalStorage } from '../../providers/storage/local';
import { configWith } from '../../platform/config';
import type { CoreDeps } from '../../platform/deps';
import { makeClip } from './clips';

describe('transcodeShoutoutVideo activity', () => {
  let dir: string;
  let storage: LocalStorage;
  let transcodes: number;
  let activities: ReturnType<typeof createShoutoutsMediaActivities>;
  let clip: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'limelight-activity-'));
    clip = join(dir, 'clip.mp4');
    await makeClip(clip, { width: 320, height: 240, seconds: 2 });
    const config = configWith({ STORAGE_DIR: join(dir, 'storage') });
    storage = new LocalStorage({ dir: config.STORAGE_DIR });
    const real = createTranscoder(config);
    // Counts the real transcodes, to see which attempts did the work.
    const transcoder: Transcoder = {
      probe: (path) => real.probe(path),
      transcode: (request) => {
        transcodes++;
        return real.transcode(request);
      },
    };
    const deps = { config, ports: { storage, transcoder } } as unknown as CoreDeps;
    activities = createShoutoutsMediaActivities(deps);
  });
  beforeEach(() => {
    transcodes = 0;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = (input: { orderId: string; sourceKey: string }, heartbeats: unknown[] = []) => {
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));
    return env.run(activities.transcodeShoutoutVideo, input) as Promise<TranscodedShoutoutVideo>;
  };

  it('publishes the video and poster under shoutouts/<orderId>/, heartbeating progress', async () => {
    await storage.write('uploads/ord_1/source.mp4', createReadStream(clip));
    const heartbeats: unknown[] = [];
    const result = await run({ orderId: 'ord_1', sourceKey: 'uploads/ord_1/source.mp4' }, heartbeats);
    const source = await storage.stat('uploads/ord_1/source.mp4');
    expect(result).toEqual({
      videoKey: 'shoutouts/ord_1/video.mp4',
      posterKey: 'shoutouts/ord_1/poster.jpg',
      width: 320,
      height: 240,
      durationSeconds: expect.any(Number),
      bytes: (await storage.stat('shoutouts/ord_1/video.mp4'))!.size,
      sourceBytes: source!.size,
    });
    expect(result.durationSeconds).toBeGreaterThan(1.5);
    expect(await storage.stat('shoutouts/ord_1/poster.jpg')).not.toBeNull();
    expect(heartbeats[0]).toBe(0);
    expect(heartbeats[heartbeats.length - 1]).toBe(100);
    expect(transcodes).toBe(1);
  });

  it('returns the published result on a retry without transcoding again', async () => {
    const first = await run({ orderId: 'ord_1', sourceKey: 'uploads/ord_1/source.mp4' });
    expect(first.videoKey).toBe('shoutouts/ord_1/video.mp4');
    expect(transcodes).toBe(0);
  });

  it('starts over when an earlier attempt died before publishing everything', async () => {
    await storage.write('uploads/ord_2/source.mp4', createReadStream(clip));
    const keys = shoutoutVideoKeys('ord_2');
    // A crash after the poster and a half-written video: no manifest, so it is not taken as done.
    await storage.write(keys.posterKey, Readable.from([Buffer.from('stale poster')]));
    await storage.write(keys.videoKey, Readable.from([Buffer.from('half a video')]));
    const result = await run({ orderId: 'ord_2', sourceKey: 'uploads/ord_2/source.mp4' });
    expect(transcodes).toBe(1);
    expect(result.bytes).toBeGreaterThan(1000);
    expect((await storage.stat(keys.videoKey))!.size).toBe(result.bytes);
    expect((await storage.stat(keys.posterKey))!.size).toBeGreaterThan(100);
  });

  it('does not reuse a result made from another upload', async () => {
    await storage.write('uploads/ord_2/second.mp4', createReadStream(clip));
    await run({ orderId: 'ord_2', sourceKey: 'uploads/ord_2/second.mp4' });
    expect(transcodes).toBe(1);
  });

  it('fails non-retryably with type UnreadableVideo for an undecodable or missing upload, leaving no output', async () => {
    await storage.write('uploads/ord_3/source.mp4', Readable.from([Buffer.from('not a video '.repeat(500))]));
    const failure = await run({ orderId: 'ord_3', sourceKey: 'uploads/ord_3/source.mp4' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'UnreadableVideo', nonRetryable: true });
    expect(await storage.stat('shoutouts/ord_3/video.mp4')).toBeNull();
    expect(await storage.stat('shoutouts/ord_3/poster.jpg')).toBeNull();

    const missing = await run({ orderId: 'ord_4', sourceKey: 'uploads/ord_4/nothing.mp4' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ type: 'UnreadableVideo', nonRetryable: true });
    const invalid = await run({ orderId: '../etc', sourceKey: 'uploads/x.mp4' }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(await readdir(join(storage.root, '.tmp'))).toEqual([]);
  });

  it('kills ffmpeg and fails (retryably) when the activity is cancelled', async () => {
    await storage.write('uploads/ord_5/source.mp4', createReadStream(clip));
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (percent: unknown) => {
      if (percent === 0) env.cancel();
    });
    const failure = await env.run(activities.transcodeShoutoutVideo, { orderId: 'ord_5', sourceKey: 'uploads/ord_5/source.mp4' }).catch((e: unknown) => e);
    expect(failure).toBeDefined();
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    expect(await storage.stat('shoutouts/ord_5/video.mp4')).toBeNull();
  });
});
