import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { MEDIA_FILES, mediaPrefix, TRACK_OUTPUT, UNREADABLE_MEDIA, VIDEO_AUDIO_KBPS, type ContentMedia, type Waveform } from '../../domain/contents';
import { HLS_SEGMENT_SECONDS, renditionsFor } from '../../domain/contents/renditions';
import type { CoreDeps } from '../../platform/deps';
import { createContentTranscoder } from '../../providers/media';
import { UnreadableVideoError, type AudioProbeResult, type ProbeResult } from '../../providers/media/port';
import { assertValidKey } from '../../providers/storage/local';

export interface PublishContentInput {
  contentId: string;
  /** The upload number: outputs go to `contents/<id>/m<version>/`. */
  version: number;
  sourceKey: string;
  /** What the upload route's probe found (it refused unreadable files), so the file is not probed twice; absent in older runs. */
  probe?: ProbeResult | AudioProbeResult;
}

export interface PublishedContent {
  media: ContentMedia;
  durationSeconds: number;
}

/** Written last under the media prefix: its presence (for this very upload) means every file is complete. */
interface Manifest {
  sourceKey: string;
  sourceBytes: number;
  result: PublishedContent;
}

/** How often the activity heartbeats when ffmpeg reports nothing new (cancellation arrives with heartbeats). */
const KEEPALIVE_MS = 5_000;

/**
 * Activities of the `limelight-media` task queue for contents, after the shoutout transcode's pattern:
 * heartbeats carry progress, outputs are built in a temporary folder and published to storage with
 * the manifest last, and a retry after a complete publication returns it without redoing the work.
 * An undecodable upload fails non-retryably with type `UnreadableMedia`.
 */
export function createContentsMediaActivities(deps: CoreDeps) {
  const { storage, transcoder } = deps.ports;
  const content = createContentTranscoder(deps.config, VIDEO_AUDIO_KBPS);

  async function readManifest(key: string): Promise<Manifest | null> {
    if (!(await storage.stat(key))) return null;
    try {
      return JSON.parse(await text(storage.read(key))) as Manifest;
    } catch {
      return null;
    }
  }

  /** The common frame: validation, resume, work folder, heartbeats, failure types. */
  async function publish(input: PublishContentInput, work: (ctx: { dir: string; inputPath: string; prefix: string; progress: (p: number) => void; signal: AbortSignal }) => Promise<PublishedContent>): Promise<PublishedContent> {
    const ctx = Context.current();
    try {
      assertValidKey(input.contentId);
      assertValidKey(input.sourceKey);
    } catch (error) {
      throw ApplicationFailure.nonRetryable((error as Error).message, 'InvalidInput');
    }
    const prefix = mediaPrefix(input.contentId, input.version);
    const manifestKey = `${prefix}/${MEDIA_FILES.manifest}`;
    const previous = await readManifest(manifestKey);
    const source = await storage.stat(input.sourceKey);
    if (previous && previous.sourceKey === input.sourceKey && (!source || previous.sourceBytes === source.size)) {
      ctx.log.info('content media already published by an earlier attempt', { contentId: input.contentId, attempt: ctx.info.attempt });
      ctx.heartbeat(100);
      return previous.result;
    }
    if (!source) throw ApplicationFailure.nonRetryable(`the upload ${input.sourceKey} does not exist`, UNREADABLE_MEDIA);
    if (previous) await storage.delete(manifestKey);

    let percent = 0;
    ctx.heartbeat(percent);
    const dir = await mkdtemp(join(tmpdir(), 'limelight-content-'));
    const keepalive = setInterval(() => ctx.heartbeat(percent), KEEPALIVE_MS);
    try {
      const inputPath = await storage.localPath(input.sourceKey);
      const result = await work({
        dir,
        inputPath,
        prefix,
        signal: ctx.cancellationSignal,
        progress: (p) => {
          percent = p;
          ctx.heartbeat(p);
        },
      });
      await storage.write(manifestKey, Readable.from([JSON.stringify({ sourceKey: input.sourceKey, sourceBytes: source.size, result } satisfies Manifest)]));
      ctx.heartbeat(100);
      return result;
    } catch (error) {
      if (error instanceof UnreadableVideoError) throw ApplicationFailure.nonRetryable(error.message, UNREADABLE_MEDIA);
      throw error;
    } finally {
      clearInterval(keepalive);
      await rm(dir, { recursive: true, force: true });
    }
  }

  const put = (key: string, path: string) => storage.write(key, createReadStream(path));

  return {
    /** A video upload → HLS renditions (360p, 720p; never upscaled) with a master playlist, the download MP4 and a poster. */
    async contentsPublishVideo(input: PublishContentInput): Promise<PublishedContent> {
      return publish(input, async ({ dir, inputPath, prefix, progress, signal }) => {
        const probe = input.probe && 'isVideo' in input.probe ? input.probe : await transcoder.probe(inputPath);
        if (!probe.isVideo) throw new UnreadableVideoError(`${input.sourceKey} is not a readable video${probe.formatName ? ` (format ${probe.formatName})` : ''}`);
        const hlsDir = join(dir, 'hls');
        const paths = { download: join(dir, MEDIA_FILES.download), poster: join(dir, MEDIA_FILES.poster) };
        const done = await content.packageHls({
          inputPath,
          outputDir: hlsDir,
          renditions: renditionsFor(probe.width, probe.height),
          segmentSeconds: HLS_SEGMENT_SECONDS,
          downloadPath: paths.download,
          posterPath: paths.poster,
          durationSeconds: probe.durationSeconds,
          hasAudio: probe.audioCodec !== undefined,
          onProgress: (p) => progress(Math.min(98, p)),
          signal,
        });
        // Segments and playlists first, the master after them: a master never names a missing playlist.
        for (const r of done.renditions) {
          for (let n = 0; n < r.segments; n++) await put(`${prefix}/${MEDIA_FILES.segment(r.name, n)}`, join(hlsDir, r.name, `seg_${String(n).padStart(5, '0')}.ts`));
          await put(`${prefix}/${MEDIA_FILES.playlist(r.name)}`, join(hlsDir, r.name, 'index.m3u8'));
        }
        await put(`${prefix}/${MEDIA_FILES.master}`, join(hlsDir, 'master.m3u8'));
        const download = await put(`${prefix}/${MEDIA_FILES.download}`, paths.download);
        const poster = await put(`${prefix}/${MEDIA_FILES.poster}`, paths.poster);
        return {
          durationSeconds: done.durationSeconds,
          media: { kind: 'video', version: input.version, prefix, renditions: done.renditions, downloadBytes: download.size, posterBytes: poster.size },
        };
      });
    },

    /** A track upload → AAC 128 kb/s at −14 LUFS (true peak ≤ −1 dBTP) and a waveform of 800 peaks. */
    async contentsPublishTrack(input: PublishContentInput): Promise<PublishedContent> {
      return publish(input, async ({ dir, inputPath, prefix, progress, signal }) => {
        const probe = input.probe && 'isAudio' in input.probe ? input.probe : await content.probeAudio(inputPath);
        if (!probe.isAudio) throw new UnreadableVideoError(`${input.sourceKey} is not readable audio${probe.formatName ? ` (format ${probe.formatName})` : ''}`);
        const audioPath = join(dir, MEDIA_FILES.audio);
        const done = await content.normaliseAudio({
          inputPath,
          outputPath: audioPath,
          targetLufs: TRACK_OUTPUT.targetLufs,
          truePeakDb: TRACK_OUTPUT.truePeakDb,
          bitrateKbps: TRACK_OUTPUT.bitrateKbps,
          waveformPeaks: TRACK_OUTPUT.waveformPeaks,
          durationSeconds: probe.durationSeconds,
          source: probe,
          onProgress: (p) => progress(Math.min(98, p)),
          signal,
        });
        const waveform: Waveform = { version: 1, durationSeconds: done.durationSeconds, peaks: done.peaks };
        const audio = await put(`${prefix}/${MEDIA_FILES.audio}`, audioPath);
        const wave = await storage.write(`${prefix}/${MEDIA_FILES.waveform}`, Readable.from([JSON.stringify(waveform)]));
        return {
          durationSeconds: done.durationSeconds,
          media: {
            kind: 'track',
            version: input.version,
            prefix,
            audioBytes: audio.size,
            bitrateKbps: TRACK_OUTPUT.bitrateKbps,
            sampleRate: done.sampleRate,
            channels: done.channels,
            waveformBytes: wave.size,
            waveformPeaks: done.peaks.length,
            sourceLufs: done.sourceLufs,
            sourceTruePeakDb: done.sourceTruePeakDb,
          },
        };
      });
    },
  };
}

export type ContentsMediaActivities = ReturnType<typeof createContentsMediaActivities>;
