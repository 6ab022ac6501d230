import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { CoreDeps } from '../../platform/deps';
import { watermarkPath } from '../../providers/media';
import { UnreadableVideoError } from '../../providers/media/port';
import { assertValidKey } from '../../providers/storage/local';

export interface TranscodeShoutoutVideoInput {
  orderId: string;
  /** The talent's upload, as stored by the upload endpoint. */
  sourceKey: string;
}

export interface TranscodedShoutoutVideo {
  videoKey: string;
  posterKey: string;
  width: number;
  height: number;
  durationSeconds: number;
  /** Size of the transcoded MP4. */
  bytes: number;
  /** Size of the upload it was made from. */
  sourceBytes: number;
}

/** Where an order's deliverables live. `manifestKey` is written last: its presence means both files are complete. */
export function shoutoutVideoKeys(orderId: string) {
  return {
    videoKey: `shoutouts/${orderId}/video.mp4`,
    posterKey: `shoutouts/${orderId}/poster.jpg`,
    manifestKey: `shoutouts/${orderId}/video.json`,
  };
}

interface Manifest {
  sourceKey: string;
  sourceBytes: number;
  result: TranscodedShoutoutVideo;
}

/** The failure type the order workflow matches to ask the talent for another upload. */
export const UNREADABLE_VIDEO = 'UnreadableVideo';

const WORK_DIR_PREFIX = 'limelight-transcode-';
/** Work folders of attempts whose worker died (no `finally` ran) are removed once this old. */
const STALE_WORK_DIR_MS = 24 * 60 * 60 * 1000;

async function sweepStaleWorkDirs(): Promise<void> {
  const root = tmpdir();
  for (const name of await readdir(root)) {
    if (!name.startsWith(WORK_DIR_PREFIX)) continue;
    const path = join(root, name);
    const info = await stat(path).catch(() => null);
    if (info && Date.now() - info.mtimeMs > STALE_WORK_DIR_MS) await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** How often the activity heartbeats even when ffmpeg reports nothing new (cancellation arrives with heartbeats). */
const KEEPALIVE_MS = 5_000;

/** Activities of the `limelight-media` task queue (CPU-heavy, low concurrency). */
export function createShoutoutsMediaActivities(deps: CoreDeps) {
  const { storage, transcoder } = deps.ports;
  const watermark = watermarkPath(deps.config);

  async function readManifest(key: string): Promise<Manifest | null> {
    if (!(await storage.stat(key))) return null;
    try {
      return JSON.parse(await text(storage.read(key))) as Manifest;
    } catch {
      return null;
    }
  }

  return {
    /**
     * Transcodes an order's upload into the watermarked MP4 and its poster. Idempotent: a retry after
     * the outputs were completely published returns them; otherwise it starts over (outputs are
     * produced in a temporary folder and published by atomic renames, the manifest last).
     * An undecodable upload fails non-retryably with type `UnreadableVideo`.
     */
    async transcodeShoutoutVideo(input: TranscodeShoutoutVideoInput): Promise<TranscodedShoutoutVideo> {
      const ctx = Context.current();
      const { orderId, sourceKey } = input;
      try {
        assertValidKey(orderId);
        assertValidKey(sourceKey);
      } catch (error) {
        throw ApplicationFailure.nonRetryable((error as Error).message, 'InvalidInput');
      }
      const keys = shoutoutVideoKeys(orderId);

      const source = await storage.stat(sourceKey);
      // Nothing to transcode: the only remedy is another upload, as for an unreadable one.
      if (!source) throw ApplicationFailure.nonRetryable(`the upload ${sourceKey} does not exist`, UNREADABLE_VIDEO);

      const previous = await readManifest(keys.manifestKey);
      if (previous && previous.sourceKey === sourceKey && previous.sourceBytes === source.size) {
        const [video, poster] = await Promise.all([storage.stat(keys.videoKey), storage.stat(keys.posterKey)]);
        if (video && poster && video.size === previous.result.bytes) {
          ctx.log.info('transcode already published by an earlier attempt', { orderId, attempt: ctx.info.attempt });
          ctx.heartbeat(100);
          return previous.result;
        }
      }
      // Starting over: a manifest left from another source must never vouch for the files we are about to replace.
      if (previous) await storage.delete(keys.manifestKey);

      let percent = 0;
      ctx.heartbeat(percent);
      void sweepStaleWorkDirs().catch(() => undefined);
      const work = await mkdtemp(join(tmpdir(), WORK_DIR_PREFIX));
      const keepalive = setInterval(() => ctx.heartbeat(percent), KEEPALIVE_MS);
      try {
        const outputPath = join(work, 'video.mp4');
        const posterPath = join(work, 'poster.jpg');
        const inputPath = await storage.localPath(sourceKey);
        const done = await transcoder.transcode({
          inputPath,
          outputPath,
          posterPath,
          watermarkPath: watermark,
          signal: ctx.cancellationSignal,
          onProgress: (p) => {
            percent = p;
            ctx.heartbeat(p);
          },
        });
        if (done.larger) ctx.log.warn('the transcoded video is larger than the upload', { orderId, ...done.larger });
        const poster = await storage.write(keys.posterKey, createReadStream(posterPath));
        const video = await storage.write(keys.videoKey, createReadStream(outputPath));
        const result: TranscodedShoutoutVideo = {
          videoKey: keys.videoKey,
          posterKey: poster.key,
          width: done.width,
          height: done.height,
          durationSeconds: done.durationSeconds,
          bytes: video.size,
          sourceBytes: source.size,
        };
        const manifest: Manifest = { sourceKey, sourceBytes: source.size, result };
        await storage.write(keys.manifestKey, Readable.from([JSON.stringify(manifest)]));
        ctx.heartbeat(100);
        return result;
      } catch (error) {
        if (error instanceof UnreadableVideoError) throw ApplicationFailure.nonRetryable(error.message, UNREADABLE_VIDEO);
        throw error;
      } finally {
        clearInterval(keepalive);
        await rm(work, { recursive: true, force: true });
      }
    },
  };
}

export type ShoutoutsMediaActivities = ReturnType<typeof createShoutoutsMediaActivities>;
