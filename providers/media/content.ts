import { normaliseAudio, probeAudio } from './audio';
import { packageHls, type HlsEncodeSettings } from './hls';
import type { ContentTranscoder } from './port';

export interface FfmpegContentTranscoderOptions extends HlsEncodeSettings {
  ffmpegPath?: string;
  ffprobePath?: string;
}

/** The ContentTranscoder on the ffmpeg / ffprobe binaries (spawned directly). */
export function createFfmpegContentTranscoder(options: FfmpegContentTranscoderOptions): ContentTranscoder {
  const ffmpeg = options.ffmpegPath ?? 'ffmpeg';
  const ffprobe = options.ffprobePath ?? 'ffprobe';
  return {
    probeAudio: (path) => probeAudio(ffprobe, path),
    packageHls: (request) => packageHls(ffmpeg, options, request),
    normaliseAudio: (request) => normaliseAudio(ffmpeg, ffprobe, request),
  };
}
