import { stat } from 'node:fs/promises';
import ffmpeg, { type FfmpegCommand, type FfprobeData, type FfprobeStream } from 'fluent-ffmpeg';
import { UnreadableVideoError, type ProbeResult, type TranscodeRequest, type TranscodeResult, type Transcoder } from './port';

/**
 * The Transcoder on ffmpeg through fluent-ffmpeg. fluent-ffmpeg is archived upstream: everything it
 * does is spawning ffmpeg/ffprobe with the arguments built here, so replacing it means replacing only
 * `run()` and `ffprobe()` below.
 */
export interface FfmpegTranscoderOptions {
  /** Binaries; `ffmpeg` / `ffprobe` on PATH when unset. */
  ffmpegPath?: string;
  ffprobePath?: string;
  /** libx264 constant rate factor. */
  crf: number;
  /** libx264 preset. */
  preset: string;
  /** Long side of the output, in pixels (never upscaled). */
  maxLongSide: number;
  /** ffmpeg `-threads`; 0 or unset lets ffmpeg decide. */
  threads?: number;
  /** AAC bitrate (the highest: a source with less keeps its own, see audioBitrateFor). */
  audioBitrate?: string;
  /** Watermark width as a share of the output width. */
  watermarkWidthRatio?: number;
  /** Watermark opacity, 0..1. */
  watermarkOpacity?: number;
  /** Where the poster frame is taken, in seconds (the first frame for clips shorter than twice that). */
  posterAtSeconds?: number;
}

export const TRANSCODE_DEFAULTS = {
  audioBitrate: '128k',
  watermarkWidthRatio: 0.22,
  watermarkOpacity: 0.6,
  posterAtSeconds: 1,
} as const;

const NOT_A_VIDEO: ProbeResult = { isVideo: false, durationSeconds: 0, width: 0, height: 0 };

/** Containers ffprobe "recognises" that are not videos: text rendered as video, still images. */
const NON_VIDEO_FORMATS = /^(tty|image2|image2pipe|[a-z0-9]+_pipe|apng|gif|webp|bin|ansi|xbin|idf|adf)$/;
const NON_VIDEO_CODECS = new Set(['ansi', 'bintext', 'xbin', 'idf']);

/** ffmpeg's complaints that mean "the input is the problem", as opposed to the machine (disk, memory, signals). */
const INPUT_PROBLEMS = [
  /Invalid data found when processing input/i,
  /moov atom not found/i,
  /could not find codec parameters/i,
  /does not contain any stream/i,
  /Error while decoding/i,
  /error reading header/i,
  /Output file is empty/i,
  /Invalid NAL unit/i,
  /Decoder \(codec .*\) not found/i,
  /Error opening input/i,
  /Stream map .* matches no streams/i,
  /Cannot determine format of input stream/i,
];

const even = (n: number) => Math.floor(n / 2) * 2;

/** The output size: long side ≤ maxLongSide, aspect kept, both sides even, never larger than the source. */
export function fitWithin(width: number, height: number, maxLongSide: number): { width: number; height: number } {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const outLong = Math.max(2, Math.min(even(maxLongSide), even(long)));
  const outShort = Math.max(2, Math.min(even(short), Math.round((short * outLong) / long / 2) * 2));
  return width >= height ? { width: outLong, height: outShort } : { width: outShort, height: outLong };
}

/** The filter graph: scale the picture, then lay the semi-transparent watermark in the bottom-right corner. */
export function transcodeFilterGraph(out: { width: number; height: number }, options: { watermarkWidthRatio: number; watermarkOpacity: number }): string {
  const markWidth = Math.max(16, even(out.width * options.watermarkWidthRatio));
  const margin = Math.max(4, Math.round(Math.min(out.width, out.height) * 0.03));
  return [
    `[0:v]scale=${out.width}:${out.height}:flags=bicubic,setsar=1[base]`,
    `[1:v]scale=${markWidth}:-1,format=rgba,colorchannelmixer=aa=${options.watermarkOpacity}[mark]`,
    `[base][mark]overlay=x=W-w-${margin}:y=H-h-${margin}:format=auto,format=yuv420p[v]`,
  ].join(';');
}

/** Everything after the inputs and the filter graph, identical for our command and a bare one (bench). */
export function transcodeOutputArgs(options: { crf: number; preset: string; audioBitrate: string; threads?: number }): string[] {
  return [
    '-map', '[v]', '-map', '0:a:0?',
    '-c:v', 'libx264', '-preset', options.preset, '-crf', String(options.crf), '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', options.audioBitrate,
    '-movflags', '+faststart', '-map_metadata', '-1', '-sn', '-dn',
    ...(options.threads && options.threads > 0 ? ['-threads', String(options.threads)] : []),
    '-f', 'mp4',
  ];
}

/** "128k" → 128000 bits/s. */
function bitsPerSecond(rate: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(rate.trim());
  if (!m) return 0;
  return Math.round(Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1_000 : m[2].toLowerCase() === 'm' ? 1_000_000 : 1));
}

/**
 * The output's AAC bitrate: the configured one, but never above the source's audio (re-encoding
 * 69 kb/s at 128 kb/s only makes the file bigger), and never below 16 kb/s. Unknown source rate: the configured one.
 */
export function audioBitrateFor(configured: string, sourceBitsPerSecond: number | undefined): string {
  const ceiling = bitsPerSecond(configured);
  if (!sourceBitsPerSecond || sourceBitsPerSecond <= 0 || !ceiling || sourceBitsPerSecond * 0.95 >= ceiling) return configured;
  // 5 % under the source: the AAC encoder overshoots its target by a little.
  return `${Math.max(16, Math.floor((sourceBitsPerSecond * 0.95) / 1000))}k`;
}

const kbps = (bits: number | undefined) => (bits ? `${Math.round(bits / 1000)} kb/s` : 'unknown');

/** Why an output came out larger than its input, stream by stream. */
export function largerReason(source: ProbeResult, output: ProbeResult, sizes: { inputBytes: number; outputBytes: number }): string {
  const reasons: string[] = [];
  if (source.videoBitrate && output.videoBitrate && output.videoBitrate > source.videoBitrate) {
    reasons.push(`the source video is ${kbps(source.videoBitrate)}, more compressed than x264 at our quality setting with the watermark (${kbps(output.videoBitrate)})`);
  }
  if (source.audioBitrate && output.audioBitrate && output.audioBitrate > source.audioBitrate * 1.05) reasons.push(`the audio grew from ${kbps(source.audioBitrate)} to ${kbps(output.audioBitrate)}`);
  if (!source.audioCodec && output.audioCodec) reasons.push('an audio stream was added');
  if (sizes.outputBytes - sizes.inputBytes < 16 * 1024) reasons.push(`the input is tiny (${sizes.inputBytes} bytes) and the MP4 index and headers weigh ${sizes.outputBytes - sizes.inputBytes} bytes more`);
  if (!reasons.length) reasons.push(`the source bitrates are unknown (video ${kbps(source.videoBitrate)}, audio ${kbps(source.audioBitrate)}); the output is video ${kbps(output.videoBitrate)}, audio ${kbps(output.audioBitrate)}`);
  return reasons.join('; ');
}

function toNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : Number.parseFloat(String(value ?? ''));
  return Number.isFinite(n) ? n : 0;
}

function flag(value: unknown): boolean {
  return value === 1 || value === '1' || value === true;
}

function rotationOf(stream: FfprobeStream): number {
  const tags = (stream.tags ?? {}) as Record<string, unknown>;
  return toNumber(stream.rotation ?? tags.rotate ?? 0);
}

/** ffprobe's answer → ProbeResult; width/height are the displayed ones (rotation and pixel aspect applied). */
export function toProbeResult(data: FfprobeData): ProbeResult {
  const formatName = typeof data.format?.format_name === 'string' ? data.format.format_name : undefined;
  const audio = data.streams.find((s) => s.codec_type === 'audio');
  const video = data.streams.find((s) => s.codec_type === 'video' && !flag(s.disposition?.attached_pic));
  const codedWidth = toNumber(video?.width);
  const codedHeight = toNumber(video?.height);
  const isVideo =
    video !== undefined &&
    codedWidth > 0 &&
    codedHeight > 0 &&
    !NON_VIDEO_CODECS.has(String(video.codec_name)) &&
    !(formatName ?? '').split(',').some((name) => NON_VIDEO_FORMATS.test(name));
  if (!isVideo || !video) return { ...NOT_A_VIDEO, ...(formatName ? { formatName } : {}), ...(audio?.codec_name ? { audioCodec: audio.codec_name } : {}) };

  let width = codedWidth;
  const sar = /^(\d+):(\d+)$/.exec(String(video.sample_aspect_ratio ?? ''));
  if (sar && Number(sar[1]) > 0 && Number(sar[2]) > 0 && sar[1] !== sar[2]) width = Math.round((width * Number(sar[1])) / Number(sar[2]));
  let height = codedHeight;
  if (Math.abs(rotationOf(video)) % 180 === 90) [width, height] = [height, width];
  const durationSeconds = toNumber(data.format?.duration) || toNumber(video.duration);
  return {
    isVideo: true,
    durationSeconds,
    width,
    height,
    ...(video.codec_name ? { videoCodec: video.codec_name } : {}),
    ...(audio?.codec_name ? { audioCodec: audio.codec_name } : {}),
    ...(formatName ? { formatName } : {}),
    ...(toNumber(audio?.bit_rate) > 0 ? { audioBitrate: toNumber(audio?.bit_rate) } : {}),
    ...(toNumber(video.bit_rate) > 0 ? { videoBitrate: toNumber(video.bit_rate) } : {}),
  };
}

/** "HH:MM:SS.xx" → seconds. */
function timemarkSeconds(timemark: unknown): number {
  if (typeof timemark !== 'string') return 0;
  return timemark.split(':').reduce((acc, part) => acc * 60 + toNumber(part), 0);
}

class FfmpegRunError extends Error {
  constructor(message: string, readonly stderr: string, readonly killed: boolean) {
    super(message);
    this.name = 'FfmpegRunError';
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('transcode aborted');
}

export class FfmpegTranscoder implements Transcoder {
  private readonly settings: Required<Omit<FfmpegTranscoderOptions, 'ffmpegPath' | 'ffprobePath'>> & Pick<FfmpegTranscoderOptions, 'ffmpegPath' | 'ffprobePath'>;

  constructor(options: FfmpegTranscoderOptions) {
    this.settings = {
      threads: 0,
      ...TRANSCODE_DEFAULTS,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    } as FfmpegTranscoder['settings'];
  }

  async probe(path: string): Promise<ProbeResult> {
    // A missing file is the caller's bug or a storage problem, not "not a video": let it throw.
    const info = await stat(path);
    if (!info.isFile() || info.size === 0) return { ...NOT_A_VIDEO };
    let data: FfprobeData;
    try {
      data = await this.ffprobe(path);
    } catch (error) {
      // ffprobe ran and refused the file: garbage, text, a truncated upload. Anything else (no binary, killed) is ours.
      if (/ffprobe exited with code/.test((error as Error).message)) return { ...NOT_A_VIDEO };
      throw error;
    }
    return toProbeResult(data);
  }

  async transcode(request: TranscodeRequest): Promise<TranscodeResult> {
    const { inputPath, outputPath, posterPath, watermarkPath, onProgress, signal } = request;
    const s = this.settings;
    await stat(watermarkPath); // a missing watermark is a deployment problem: fail loudly (and retryably)
    const source = await this.probe(inputPath);
    if (!source.isVideo) throw new UnreadableVideoError(`${inputPath} is not a readable video${source.formatName ? ` (format ${source.formatName})` : ''}`);
    const size = fitWithin(source.width, source.height, s.maxLongSide);

    let lastPercent = -1;
    const report = (percent: number) => {
      const p = Math.max(0, Math.min(100, Math.floor(percent)));
      if (p !== lastPercent) {
        lastPercent = p;
        onProgress?.(p);
      }
    };
    report(0);

    const encode = this.command(inputPath)
      .input(watermarkPath)
      .complexFilter(transcodeFilterGraph(size, s))
      .outputOptions(transcodeOutputArgs({ ...s, audioBitrate: audioBitrateFor(s.audioBitrate, source.audioBitrate) }))
      .output(outputPath);
    // ffmpeg's status lines ("frame=  750 … time=00:00:30.00 …"): progress while it runs; the last one says what was encoded.
    let framesEncoded: number | undefined;
    let encodedSeconds = 0;
    try {
      await this.run(encode, signal, (line) => {
        const time = /time=\s*(-?\d+:\d+:\d+(?:\.\d+)?)/.exec(line);
        const frames = /frame=\s*(\d+)/.exec(line);
        if (frames) framesEncoded = Number(frames[1]);
        if (time) {
          encodedSeconds = Math.max(encodedSeconds, timemarkSeconds(time[1]));
          if (source.durationSeconds > 0) report(Math.min(99, (encodedSeconds / source.durationSeconds) * 100));
        }
      });
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (error instanceof FfmpegRunError && !error.killed && INPUT_PROBLEMS.some((re) => re.test(error.stderr))) {
        throw new UnreadableVideoError(`${inputPath} could not be decoded: ${lastLine(error.stderr)}`);
      }
      throw error;
    }
    if (framesEncoded === 0) throw new UnreadableVideoError(`${inputPath} has no decodable video frames`);

    const posterAt = source.durationSeconds === 0 || source.durationSeconds >= 2 * s.posterAtSeconds ? s.posterAtSeconds : 0;
    let result: TranscodeResult;
    if (framesEncoded !== undefined && (source.durationSeconds > 0 || encodedSeconds > 0)) {
      // ffmpeg said how many frames it encoded, and the size is ours: no need to probe the output.
      await this.poster(outputPath, posterPath, posterAt, signal);
      result = { durationSeconds: source.durationSeconds || encodedSeconds, width: size.width, height: size.height };
    } else {
      // No status lines to go by (another ffmpeg build?): check the output itself while the poster is taken.
      const [output, posterDone] = await Promise.allSettled([this.probe(outputPath), this.poster(outputPath, posterPath, posterAt, signal)]);
      if (output.status === 'rejected') throw output.reason;
      if (!output.value.isVideo || output.value.durationSeconds <= 0) throw new UnreadableVideoError(`${inputPath} has no decodable video frames`);
      if (posterDone.status === 'rejected') throw posterDone.reason;
      result = { durationSeconds: output.value.durationSeconds, width: output.value.width, height: output.value.height };
    }
    // A transcode is never larger than its input without a reason the caller can log.
    const [inputInfo, outputInfo] = await Promise.all([stat(inputPath), stat(outputPath)]);
    if (outputInfo.size > inputInfo.size) {
      const sizes = { inputBytes: inputInfo.size, outputBytes: outputInfo.size };
      result.larger = { ...sizes, reason: largerReason(source, await this.probe(outputPath), sizes) };
    }
    report(100);
    return result;
  }

  /** One JPEG frame of the (watermarked) output; the first frame if seeking found none. */
  private async poster(videoPath: string, posterPath: string, atSeconds: number, signal?: AbortSignal): Promise<void> {
    const attempts = atSeconds > 0 ? [atSeconds, 0] : [0];
    for (const [i, at] of attempts.entries()) {
      const command = this.command(videoPath)
        .inputOptions(['-ss', String(at)])
        .outputOptions(['-frames:v', '1', '-q:v', '3', '-update', '1', '-f', 'image2', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p'])
        .output(posterPath);
      try {
        await this.run(command, signal);
      } catch (error) {
        if (i === attempts.length - 1 || signal?.aborted) throw error;
        continue;
      }
      const info = await stat(posterPath).catch(() => null);
      if (info && info.size > 0) return;
    }
    throw new Error(`no poster frame could be taken from ${videoPath}`);
  }

  private command(input: string): FfmpegCommand {
    // Named explicitly so fluent-ffmpeg does not search PATH with `which` (it caches the answer process-wide).
    return ffmpeg(input, { stdoutLines: 200 })
      .setFfmpegPath(this.settings.ffmpegPath ?? 'ffmpeg')
      .setFfprobePath(this.settings.ffprobePath ?? 'ffprobe');
  }

  private ffprobe(path: string): Promise<FfprobeData> {
    return new Promise((resolve, reject) => {
      this.command(path).ffprobe((error: unknown, data: FfprobeData) => (error ? reject(error as Error) : resolve(data)));
    });
  }

  /** Runs a command to completion; killed when `signal` aborts; `onLine` sees each line ffmpeg writes to stderr. */
  private run(command: FfmpegCommand, signal?: AbortSignal, onLine?: (line: string) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = () => command.kill('SIGKILL');
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      // Read ffmpeg's own status lines (fluent-ffmpeg's 'progress' event would run an extra ffprobe per command).
      if (onLine) command.on('stderr', onLine);
      command
        .on('end', () => {
          done();
          resolve();
        })
        .on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
          done();
          const killed = /killed with signal/.test(error.message);
          reject(new FfmpegRunError(`${error.message.split('\n')[0]}: ${lastLine(stderr ?? '')}`, stderr ?? '', killed));
        })
        .run();
    });
  }
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.filter((l) => !/^Conversion failed!?$/.test(l)).pop() ?? lines.pop() ?? '';
}

export function createFfmpegTranscoder(options: FfmpegTranscoderOptions): FfmpegTranscoder {
  return new FfmpegTranscoder(options);
}
