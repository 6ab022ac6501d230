import { join } from 'node:path';
import { PROJECT_ROOT } from '../../platform/paths';
import type { Config } from '../../platform/config';
import { createFfmpegContentTranscoder } from './content';
import { createFfmpegTranscoder } from './ffmpeg';
import type { ContentTranscoder, Transcoder } from './port';

export { FfmpegTranscoder, createFfmpegTranscoder, fitWithin, type FfmpegTranscoderOptions } from './ffmpeg';
export { UnreadableVideoError, type ProbeResult, type TranscodeRequest, type Transcoder } from './port';
export type { AudioProbeResult, ContentTranscoder, HlsRequest, HlsResult, NormaliseAudioRequest, NormaliseAudioResult } from './port';
export { createFfmpegContentTranscoder } from './content';

/** The committed Limelight mark (scripts/make-watermark.sh renders it), read from the source tree also when running compiled code. */
export const DEFAULT_WATERMARK_PATH = join(PROJECT_ROOT, 'providers', 'media', 'assets', 'watermark.png');

/** The watermark a deployment uses: `WATERMARK_PATH` or the committed one. */
export function watermarkPath(config: Config): string {
  return config.WATERMARK_PATH ?? DEFAULT_WATERMARK_PATH;
}

/** The Transcoder adapter: ffmpeg (system binaries or `FFMPEG_PATH` / `FFPROBE_PATH`). */
export function createTranscoder(config: Config): Transcoder {
  const media = config;
  return createFfmpegTranscoder({
    ffmpegPath: media.FFMPEG_PATH,
    ffprobePath: media.FFPROBE_PATH,
    crf: media.TRANSCODE_CRF,
    preset: media.TRANSCODE_PRESET,
    maxLongSide: media.TRANSCODE_MAX_LONG_SIDE,
    threads: media.TRANSCODE_THREADS,
  });
}

/**
 * The ContentTranscoder adapter (HLS, normalised audio, waveforms) on the same binaries and x264
 * settings as the Transcoder; `audioBitrateKbps` is the HLS renditions' AAC rate.
 */
export function createContentTranscoder(config: Config, audioBitrateKbps = 128): ContentTranscoder {
  return createFfmpegContentTranscoder({
    ffmpegPath: config.FFMPEG_PATH,
    ffprobePath: config.FFPROBE_PATH,
    crf: config.TRANSCODE_CRF,
    preset: config.TRANSCODE_PRESET,
    threads: config.TRANSCODE_THREADS,
    audioBitrateKbps,
  });
}
