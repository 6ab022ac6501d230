/** Video work behind a port: fluent-ffmpeg is archived upstream, so the adapter must stay swappable. */
export interface ProbeResult {
  isVideo: boolean;
  durationSeconds: number;
  width: number;
  height: number;
  videoCodec?: string;
  audioCodec?: string;
  formatName?: string;
  /** Stream bitrates in bits/s, when the container says (caps the output's: never above the source's). */
  audioBitrate?: number;
  videoBitrate?: number;
}

export interface TranscodeRequest {
  inputPath: string;
  outputPath: string;
  posterPath: string;
  watermarkPath: string;
  /** Called with 0..100 as ffmpeg reports progress (the activity heartbeats it). */
  onProgress?: (percent: number) => void;
  /** Aborting stops the work (the ffmpeg process is killed) and rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface TranscodeResult {
  durationSeconds: number;
  width: number;
  height: number;
  /** Set when the output came out larger than the input: the sizes and why (the caller logs it). */
  larger?: { inputBytes: number; outputBytes: number; reason: string };
}

export interface Transcoder {
  probe(path: string): Promise<ProbeResult>;
  transcode(request: TranscodeRequest): Promise<TranscodeResult>;
}

/** The input cannot be decoded: asking for a new upload is the only remedy. */
export class UnreadableVideoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableVideoError';
  }
}

/** An audio upload as ffprobe sees it. */
export interface AudioProbeResult {
  /** A decodable audio stream is there (a cover picture beside it is fine). */
  isAudio: boolean;
  durationSeconds: number;
  codec?: string;
  sampleRate: number;
  channels: number;
  formatName?: string;
}

/** One HLS rendition to encode (sizes already fitted: never upscaled). */
export interface HlsRenditionRequest {
  name: string;
  width: number;
  height: number;
  maxrateKbps: number;
  bufsizeKbps: number;
}

export interface HlsRequest {
  inputPath: string;
  /** Gets `master.m3u8` and `<rendition>/index.m3u8` + `<rendition>/seg_%05d.ts`. */
  outputDir: string;
  renditions: HlsRenditionRequest[];
  segmentSeconds: number;
  /** The progressive MP4 (the largest rendition, remuxed) and a poster JPEG taken from it. */
  downloadPath: string;
  posterPath: string;
  /** The source's duration, for progress (0: unknown). */
  durationSeconds: number;
  hasAudio: boolean;
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
}

export interface HlsResult {
  durationSeconds: number;
  renditions: { name: string; width: number; height: number; bandwidth: number; segments: number }[];
}

export interface NormaliseAudioRequest {
  inputPath: string;
  /** AAC in an MP4 (m4a) container. */
  outputPath: string;
  targetLufs: number;
  truePeakDb: number;
  bitrateKbps: number;
  /** How many peaks the waveform has. */
  waveformPeaks: number;
  durationSeconds: number;
  /** The input's probe when the caller already has it (saves running ffprobe again). */
  source?: AudioProbeResult;
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
}

export interface NormaliseAudioResult {
  durationSeconds: number;
  sampleRate: number;
  channels: number;
  /** The upload's loudness (EBU R128) before normalisation. */
  sourceLufs: number;
  sourceTruePeakDb: number;
  /** 0..1 peak amplitude of each of `waveformPeaks` equal slices of the normalised audio. */
  peaks: number[];
}

/**
 * The streaming platform's media work (contents): HLS packaging of videos, loudness-normalised
 * tracks with their waveform. Beside `Transcoder` (the shoutout's watermarked MP4) on the same ffmpeg.
 */
export interface ContentTranscoder {
  probeAudio(path: string): Promise<AudioProbeResult>;
  packageHls(request: HlsRequest): Promise<HlsResult>;
  normaliseAudio(request: NormaliseAudioRequest): Promise<NormaliseAudioResult>;
}
