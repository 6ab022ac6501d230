import { z } from 'zod';
import { int, optionalString } from './env';

/** Variables of media storage and transcoding. */
export const mediaSchema = z.object({
  /** Folder of the local Storage adapter (uploads, transcoded videos, posters). */
  STORAGE_DIR: z.string().default('.data/storage'),
  /** ffmpeg / ffprobe binaries; the ones on PATH when unset. */
  FFMPEG_PATH: optionalString,
  FFPROBE_PATH: optionalString,
  /** libx264 constant rate factor (0–51, higher = smaller). */
  TRANSCODE_CRF: z.coerce.number().int().min(0).max(51).default(28),
  TRANSCODE_PRESET: z
    .enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'])
    .default('veryfast'),
  /** The long side of the output is at most this many pixels (never upscaled). */
  TRANSCODE_MAX_LONG_SIDE: int(1280),
  /** ffmpeg threads per transcode; 0 lets ffmpeg decide. */
  TRANSCODE_THREADS: int(0),
  /** Watermark PNG; the committed Limelight mark when unset. */
  WATERMARK_PATH: optionalString,
  /** Largest accepted video upload. */
  UPLOAD_MAX_BYTES: int(500 * 1024 * 1024),
});

export type MediaConfig = z.infer<typeof mediaSchema>;
