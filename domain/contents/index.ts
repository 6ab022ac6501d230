/** Contents of a channel: videos and music tracks, uploaded, published by the contentPublishing workflow. */
export const CONTENT_KINDS = ['video', 'track'] as const;
export const CONTENT_STATUSES = ['draft', 'processing', 'published', 'failed'] as const;
export const CONTENT_VISIBILITIES = ['public', 'unlisted', 'private'] as const;
export const CONTENT_AUDIENCES = ['everyone', 'premium'] as const;

export type ContentKind = (typeof CONTENT_KINDS)[number];
export type ContentStatus = (typeof CONTENT_STATUSES)[number];
export type ContentVisibility = (typeof CONTENT_VISIBILITIES)[number];
export type ContentAudience = (typeof CONTENT_AUDIENCES)[number];

export interface Content {
  id: string;
  channelId: string;
  kind: ContentKind;
  title: string;
  description: string;
  authorId: string;
  status: ContentStatus;
  visibility: ContentVisibility;
  audience: ContentAudience;
  durationSeconds: number | null;
  /** Tracks only. */
  artist: string | null;
  album: string | null;
  failureReason: string | null;
  /** How many uploads were accepted; the media of upload n live under `contents/<id>/m<n>/`. */
  uploadCount: number;
  media: ContentMedia | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

/** One HLS rendition as published: its playlist is `hls/<name>/index.m3u8`, segments `hls/<name>/seg_<nnnnn>.ts`. */
export interface PublishedRendition {
  name: string;
  width: number;
  height: number;
  /** Peak bits per second, as the master playlist says. */
  bandwidth: number;
  segments: number;
}

/** What a published content's media are (the row's `media` column): paths are relative to `prefix`. */
export type ContentMedia =
  | {
      kind: 'video';
      version: number;
      prefix: string;
      renditions: PublishedRendition[];
      downloadBytes: number;
      posterBytes: number;
    }
  | {
      kind: 'track';
      version: number;
      prefix: string;
      audioBytes: number;
      bitrateKbps: number;
      sampleRate: number;
      channels: number;
      waveformBytes: number;
      waveformPeaks: number;
      /** Integrated loudness and true peak of the upload, before normalisation. */
      sourceLufs: number;
      sourceTruePeakDb: number;
    };

/** An upload is accepted for a draft, or to replace one that failed; never while one is processing or once published. */
export function canUpload(status: ContentStatus): boolean {
  return status === 'draft' || status === 'failed';
}

/** Every storage key of a content lives under this folder (channel deletion removes it whole). */
export function contentFolder(contentId: string): string {
  return `contents/${contentId}`;
}

/** The folder of the media produced from upload number `version`. */
export function mediaPrefix(contentId: string, version: number): string {
  return `${contentFolder(contentId)}/m${version}`;
}

/** The folder an upload is streamed into before processing. */
export function uploadPrefix(contentId: string, version: number): string {
  return `${contentFolder(contentId)}/uploads/${version}`;
}

/** Where each published file lives, relative to the media prefix. */
export const MEDIA_FILES = {
  master: 'hls/master.m3u8',
  playlist: (rendition: string) => `hls/${rendition}/index.m3u8`,
  segment: (rendition: string, n: number) => `hls/${rendition}/${segmentName(n)}`,
  download: 'download.mp4',
  poster: 'poster.jpg',
  audio: 'audio.m4a',
  waveform: 'waveform.json',
  manifest: 'manifest.json',
} as const;

/** ffmpeg's `seg_%05d.ts`. */
export function segmentName(n: number): string {
  return `seg_${String(n).padStart(5, '0')}.ts`;
}

export const SEGMENT_NAME = /^seg_(\d{5})\.ts$/;

/** The workflow of a content's uploads and removal. */
export function contentWorkflowId(contentId: string): string {
  return `contentPublishing-${contentId}`;
}

/** Tracks: AAC at 128 kb/s, loudness normalised to EBU R128 −14 LUFS integrated, true peak ≤ −1 dBTP, and 800 waveform peaks. */
export const TRACK_OUTPUT = { targetLufs: -14, truePeakDb: -1, bitrateKbps: 128, waveformPeaks: 800 } as const;

/** The AAC rate of every HLS rendition. */
export const VIDEO_AUDIO_KBPS = 128;

/** The ApplicationFailure type of an upload that cannot be decoded: the content fails at once, no retry. */
export const UNREADABLE_MEDIA = 'UnreadableMedia';

/** The waveform document players fetch. */
export interface Waveform {
  version: 1;
  durationSeconds: number;
  peaks: number[];
}
