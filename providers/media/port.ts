/** Video work behind a port: fluent-ffmpeg is archived upstream, so the adapter must stay swappable. */
export interface ProbeResult {
  isVideo: boolean;
  durationSeconds: number;
  width: number;
  height: number;
  videoCodec?: string;
  audioCodec?: string;
  formatName?: string;
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

export interface Transcoder {
  probe(path: string): Promise<ProbeResult>;
  transcode(request: TranscodeRequest): Promise<{ durationSeconds: number; width: number; height: number }>;
}

/** The input cannot be decoded: asking for a new upload is the only remedy. */
export class UnreadableVideoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableVideoError';
  }
}
