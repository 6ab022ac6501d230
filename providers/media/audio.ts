import type { AudioProbeResult, NormaliseAudioRequest, NormaliseAudioResult } from './port';
import { UnreadableVideoError } from './port';
import { asUnreadable, MediaToolError, progressReporter, runTool } from './run';
import { PeakCollector, WAVEFORM_SAMPLE_RATE } from './waveform';

/** Containers ffprobe "recognises" that are no audio files (text, pictures). */
const NOT_AUDIO_FORMATS = /^(tty|image2|image2pipe|[a-z0-9]+_pipe|apng|gif|webp|bin|ansi|xbin|idf|adf)$/;

interface ProbeJson {
  format?: { format_name?: string; duration?: string };
  streams?: { codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number; duration?: string; disposition?: { attached_pic?: number } }[];
}

const num = (v: unknown) => {
  const n = typeof v === 'number' ? v : Number.parseFloat(String(v ?? ''));
  return Number.isFinite(n) ? n : 0;
};

export function toAudioProbe(data: ProbeJson): AudioProbeResult {
  const formatName = data.format?.format_name;
  const audio = data.streams?.find((s) => s.codec_type === 'audio');
  const isAudio =
    audio !== undefined && num(audio.channels) > 0 && num(audio.sample_rate) > 0 && !(formatName ?? '').split(',').some((name) => NOT_AUDIO_FORMATS.test(name));
  return {
    isAudio,
    durationSeconds: num(data.format?.duration) || num(audio?.duration),
    sampleRate: num(audio?.sample_rate),
    channels: num(audio?.channels),
    ...(audio?.codec_name ? { codec: audio.codec_name } : {}),
    ...(formatName ? { formatName } : {}),
  };
}

export async function probeAudio(ffprobe: string, path: string): Promise<AudioProbeResult> {
  let text: string;
  try {
    text = await runTool(ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]);
  } catch (error) {
    // ffprobe ran and refused the file: not audio. A missing binary or a kill is ours to retry.
    if (error instanceof MediaToolError && !error.killed) return { isAudio: false, durationSeconds: 0, sampleRate: 0, channels: 0 };
    throw error;
  }
  return toAudioProbe(JSON.parse(text) as ProbeJson);
}

/** EBU R128 measures of ffmpeg's ebur128 filter (its summary). */
export interface LoudnessMeasure {
  integratedLufs: number;
  thresholdLufs: number;
  lraLu: number;
  truePeakDb: number;
}

export function parseEbur128Summary(stderr: string): LoudnessMeasure | undefined {
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const i = /I:\s*(-?[\d.]+|-inf) LUFS\s*\n\s*Threshold:\s*(-?[\d.]+) LUFS/.exec(summary);
  const lra = /LRA:\s*(-?[\d.]+) LU\b/.exec(summary);
  const peak = /Peak:\s*(-?[\d.]+|-inf) dBFS/.exec(summary);
  if (!i || !lra || !peak) return undefined;
  const n = (text: string) => (text === '-inf' ? -Infinity : Number(text));
  return { integratedLufs: n(i[1]), thresholdLufs: n(i[2]), lraLu: n(lra[1]), truePeakDb: n(peak[1]) };
}

/** The measuring pass: ebur128 with true peak (several times cheaper than loudnorm's own analysis pass). */
export function measureArgs(inputPath: string): string[] {
  return ['-hide_banner', '-nostdin', '-nostats', '-i', inputPath, '-map', '0:a:0', '-vn', '-sn', '-dn', '-af', 'ebur128=peak=true', '-f', 'null', '-'];
}

/**
 * The encoding pass: loudnorm with the measured values (linear gain when the peak allows, else its
 * dynamic mode, which also keeps the true peak under the target), then AAC in an m4a, and in the
 * same run 8 kHz mono PCM of the normalised audio on stdout for the waveform.
 */
export function normaliseArgs(request: Pick<NormaliseAudioRequest, 'inputPath' | 'outputPath' | 'targetLufs' | 'truePeakDb' | 'bitrateKbps'>, measure: LoudnessMeasure, output: { sampleRate: number; channels: number }): string[] {
  const lraTarget = Math.min(20, Math.max(7, Math.ceil(measure.lraLu + 0.5)));
  const loudnorm = [
    `I=${request.targetLufs}`, `TP=${request.truePeakDb}`, `LRA=${lraTarget}`,
    `measured_I=${measure.integratedLufs}`, `measured_TP=${measure.truePeakDb}`, `measured_LRA=${measure.lraLu}`, `measured_thresh=${measure.thresholdLufs}`,
    'linear=true',
  ].join(':');
  const layout = output.channels === 1 ? 'mono' : 'stereo';
  return [
    '-hide_banner', '-y', '-nostdin',
    '-i', request.inputPath,
    '-filter_complex',
    `[0:a:0]loudnorm=${loudnorm},asplit=2[n][w];[n]aformat=sample_rates=${output.sampleRate}:channel_layouts=${layout}[out];[w]aformat=sample_rates=${WAVEFORM_SAMPLE_RATE}:sample_fmts=s16:channel_layouts=mono[pcm]`,
    '-map', '[out]', '-c:a', 'aac', '-b:a', `${request.bitrateKbps}k`, '-map_metadata', '-1', '-movflags', '+faststart', '-f', 'mp4', request.outputPath,
    '-map', '[pcm]', '-f', 's16le', 'pipe:1',
  ];
}

/** 44.1 and 48 kHz kept; anything else becomes 48 kHz (loudnorm works at 192 kHz inside). */
export function outputFormat(probe: Pick<AudioProbeResult, 'sampleRate' | 'channels'>): { sampleRate: number; channels: number } {
  return { sampleRate: probe.sampleRate === 44_100 ? 44_100 : 48_000, channels: probe.channels === 1 ? 1 : 2 };
}

export async function normaliseAudio(ffmpeg: string, ffprobe: string, request: NormaliseAudioRequest): Promise<NormaliseAudioResult> {
  const { signal } = request;
  const probe = request.source ?? (await probeAudio(ffprobe, request.inputPath));
  if (!probe.isAudio) throw new UnreadableVideoError(`${request.inputPath} is not readable audio${probe.formatName ? ` (format ${probe.formatName})` : ''}`);
  const duration = probe.durationSeconds || request.durationSeconds;
  request.onProgress?.(0);

  // The summary comes last on stderr: keep the lines from "Summary:" on (the per-frame lines before it are many).
  const summary: string[] = [];
  const measureProgress = progressReporter(duration, request.onProgress, 0, 30);
  try {
    await runTool(ffmpeg, measureArgs(request.inputPath), {
      signal,
      onLine: (line) => {
        if (summary.length > 0 || line.includes('Summary:')) summary.push(line);
        else measureProgress(line);
      },
    });
  } catch (error) {
    throw asUnreadable(error, request.inputPath);
  }
  const stderr = summary.join('\n');
  const measure = parseEbur128Summary(stderr);
  if (!measure || !Number.isFinite(measure.integratedLufs) || measure.integratedLufs <= -70) {
    throw new UnreadableVideoError(`${request.inputPath} is silent: there is no loudness to normalise`);
  }

  const output = outputFormat(probe);
  const collector = new PeakCollector();
  let encodedSeconds = 0;
  const encodeProgress = progressReporter(duration, request.onProgress, 30, 99);
  try {
    await runTool(ffmpeg, normaliseArgs(request, measure, output), {
      signal,
      onStdout: (chunk) => collector.push(chunk),
      onLine: (line) => {
        const t = /time=\s*(\d+):(\d+):(\d+(?:\.\d+)?)/.exec(line);
        if (t) encodedSeconds = Math.max(encodedSeconds, Number(t[1]) * 3600 + Number(t[2]) * 60 + Number(t[3]));
        encodeProgress(line);
      },
    });
  } catch (error) {
    throw asUnreadable(error, request.inputPath);
  }
  request.onProgress?.(100);
  return {
    durationSeconds: duration || encodedSeconds,
    sampleRate: output.sampleRate,
    channels: output.channels,
    sourceLufs: measure.integratedLufs,
    sourceTruePeakDb: measure.truePeakDb,
    peaks: collector.peaks(request.waveformPeaks),
  };
}
