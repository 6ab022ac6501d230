import { z } from 'zod';
import { duration, int } from './env';

/** Variables of channel contents (videos and tracks): upload limits, processing, signed media URLs. */
export const contentsSchema = z.object({
  /** Largest video upload (mp4, mov, webm) accepted for a content, in bytes. */
  CONTENT_VIDEO_MAX_BYTES: int(2 * 1024 * 1024 * 1024),
  /** Largest track upload (mp3, flac, wav, ogg, m4a) accepted for a content, in bytes. */
  CONTENT_TRACK_MAX_BYTES: int(300 * 1024 * 1024),
  /** Longest a single publishing attempt (HLS packaging or audio normalisation) may take. */
  CONTENT_PROCESSING_TIMEOUT: duration('2h'),
  /** Heartbeat timeout of the publishing activity: a crashed media worker's attempt is retried after it. */
  CONTENT_PROCESSING_HEARTBEAT_TIMEOUT: duration('30s'),
  /** Attempts of the publishing activity (infrastructure failures) before the content is marked failed. */
  CONTENT_PROCESSING_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  /** How long signed media URLs (HLS playlists and segments, download, poster, waveform) stay valid. */
  CONTENT_MEDIA_URL_TTL: duration('6h'),
});

export type ContentsConfig = z.infer<typeof contentsSchema>;
