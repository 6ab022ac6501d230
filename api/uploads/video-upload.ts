import type { Context } from 'hono';
import type { ProbeResult, Transcoder } from '../../providers/media/port';
import type { Storage } from '../../providers/storage/port';
import { receiveMediaUpload, type MediaUpload, type UploadKind } from './media-upload';

export const VIDEO_FIELD = 'video';

export type VideoUpload = MediaUpload<ProbeResult>;

/** A video upload in the field `video`: mp4, mov or webm (by file extension or declared media type), probed as a video. */
export function videoUploadKind(transcoder: Transcoder, field = VIDEO_FIELD): UploadKind<ProbeResult> {
  return {
    field,
    accepts: 'an mp4, mov or webm video',
    extensions: new Set(['mp4', 'm4v', 'mov', 'webm']),
    extensionByMime: { 'video/mp4': 'mp4', 'video/x-m4v': 'm4v', 'video/quicktime': 'mov', 'video/webm': 'webm' },
    probe: (path) => transcoder.probe(path),
    isUsable: (probe) => probe.isVideo,
    unusable: 'is not a readable video (mp4, mov or webm)',
  };
}

/**
 * Receives a `multipart/form-data` upload whose field `video` holds an mp4, mov or webm file, streams
 * it straight into storage (never whole in memory), then probes it. Nothing stays stored when it fails:
 * no multipart body → 415, no `video` file → 400, another type → 415, over `maxBytes` → 413 (the
 * transfer is cut at the limit), not a readable video → 422; each names the field `video`.
 */
export function receiveVideoUpload(c: Context, deps: { storage: Storage; transcoder: Transcoder }, options: { maxBytes: number; keyPrefix: string }): Promise<VideoUpload> {
  return receiveMediaUpload(c, deps.storage, videoUploadKind(deps.transcoder), options);
}
