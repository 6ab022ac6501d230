import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HlsRenditionRequest, HlsRequest, HlsResult } from './port';
import { asUnreadable, progressReporter, runTool } from './run';
import { UnreadableVideoError } from './port';

/** Settings of the H.264/AAC encode, identical for our command and a bare one (bench). */
export interface HlsEncodeSettings {
  crf: number;
  preset: string;
  audioBitrateKbps: number;
  threads?: number;
}

/**
 * One ffmpeg run for every rendition: the source is decoded once, split, scaled per rendition,
 * each encoded with libx264 (capped CRF: the cap gives the master playlist its BANDWIDTH), and the
 * HLS muxer writes the master playlist, one media playlist per rendition and 4-second segments
 * (keyframes forced on the segment boundaries, so players switch renditions cleanly).
 */
export function hlsEncodeArgs(request: Pick<HlsRequest, 'inputPath' | 'outputDir' | 'renditions' | 'segmentSeconds' | 'hasAudio'>, settings: HlsEncodeSettings): string[] {
  const { renditions, hasAudio, segmentSeconds } = request;
  const n = renditions.length;
  const split = n > 1 ? `[0:v:0]split=${n}${renditions.map((_, i) => `[s${i}]`).join('')};` : '';
  const scales = renditions.map((r, i) => `[${n > 1 ? `s${i}` : '0:v:0'}]scale=${r.width}:${r.height}:flags=bicubic,setsar=1,format=yuv420p[v${i}]`).join(';');
  const maps = renditions.flatMap((_, i) => ['-map', `[v${i}]`, ...(hasAudio ? ['-map', '0:a:0'] : [])]);
  const rates = renditions.flatMap((r: HlsRenditionRequest, i) => [`-maxrate:v:${i}`, `${r.maxrateKbps}k`, `-bufsize:v:${i}`, `${r.bufsizeKbps}k`]);
  const streamMap = renditions.map((r, i) => `v:${i}${hasAudio ? `,a:${i}` : ''},name:${r.name}`).join(' ');
  return [
    '-hide_banner', '-y', '-nostdin',
    '-i', request.inputPath,
    '-filter_complex', split + scales,
    ...maps,
    '-c:v', 'libx264', '-preset', settings.preset, '-crf', String(settings.crf), '-profile:v', 'high', ...rates,
    '-force_key_frames', `expr:gte(t,n_forced*${segmentSeconds})`,
    ...(hasAudio ? ['-c:a', 'aac', '-b:a', `${settings.audioBitrateKbps}k`, '-ac', '2'] : []),
    '-map_metadata', '-1', '-sn', '-dn',
    ...(settings.threads && settings.threads > 0 ? ['-threads', String(settings.threads)] : []),
    '-f', 'hls', '-hls_time', String(segmentSeconds), '-hls_playlist_type', 'vod', '-hls_flags', 'independent_segments',
    '-hls_segment_type', 'mpegts',
    '-hls_segment_filename', join(request.outputDir, '%v', 'seg_%05d.ts'),
    '-master_pl_name', 'master.m3u8',
    '-var_stream_map', streamMap,
    join(request.outputDir, '%v', 'index.m3u8'),
  ];
}

/** The progressive MP4: the largest rendition's segments remuxed (no second encode), moov first. */
export function downloadRemuxArgs(playlistPath: string, downloadPath: string): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-y', '-nostdin', '-i', playlistPath, '-map', '0', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', downloadPath];
}

/** One JPEG frame `atSeconds` into the video. */
export function posterArgs(videoPath: string, posterPath: string, atSeconds: number): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-y', '-nostdin', '-ss', String(atSeconds), '-i', videoPath, '-frames:v', '1', '-q:v', '3', '-update', '1', '-f', 'image2', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', posterPath];
}

/** BANDWIDTH of each variant in the master playlist, by its URI's folder (the rendition name). */
export function masterBandwidths(master: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = master.split(/\r?\n/);
  lines.forEach((line, i) => {
    const m = /^#EXT-X-STREAM-INF:.*?\bBANDWIDTH=(\d+)/.exec(line);
    const uri = lines[i + 1]?.trim();
    if (m && uri) out.set(uri.split('/')[0], Number(m[1]));
  });
  return out;
}

export async function packageHls(ffmpeg: string, settings: HlsEncodeSettings, request: HlsRequest): Promise<HlsResult> {
  const { outputDir, renditions, signal } = request;
  if (renditions.length === 0) throw new Error('no renditions to encode');
  await Promise.all(renditions.map((r) => mkdir(join(outputDir, r.name), { recursive: true })));
  let encodedSeconds = 0;
  const progress = progressReporter(request.durationSeconds, request.onProgress, 0, 95);
  request.onProgress?.(0);
  try {
    await runTool(ffmpeg, hlsEncodeArgs(request, settings), {
      signal,
      onLine: (line) => {
        const t = /time=\s*(\d+):(\d+):(\d+(?:\.\d+)?)/.exec(line);
        if (t) encodedSeconds = Math.max(encodedSeconds, Number(t[1]) * 3600 + Number(t[2]) * 60 + Number(t[3]));
        progress(line);
      },
    });
  } catch (error) {
    throw asUnreadable(error, request.inputPath);
  }
  const master = await readFile(join(outputDir, 'master.m3u8'), 'utf8');
  const bandwidths = masterBandwidths(master);
  const published: HlsResult['renditions'] = [];
  for (const r of renditions) {
    const segments = (await readdir(join(outputDir, r.name))).filter((f) => /^seg_\d{5}\.ts$/.test(f)).length;
    if (segments === 0) throw new UnreadableVideoError(`${request.inputPath} has no decodable video frames`);
    published.push({ name: r.name, width: r.width, height: r.height, bandwidth: bandwidths.get(r.name) ?? r.maxrateKbps * 1000, segments });
  }
  const top = renditions[renditions.length - 1];
  await runTool(ffmpeg, downloadRemuxArgs(join(outputDir, top.name, 'index.m3u8'), request.downloadPath), { signal });
  request.onProgress?.(97);
  const duration = request.durationSeconds > 0 ? request.durationSeconds : encodedSeconds;
  // The poster a second in, or the first frame of shorter clips (or when seeking found nothing).
  const attempts = duration >= 2 ? [1, 0] : [0];
  for (const at of attempts) {
    await runTool(ffmpeg, posterArgs(request.downloadPath, request.posterPath, at), { signal }).catch((error: unknown) => {
      if (at === 0) throw error;
    });
    const made = await stat(request.posterPath).catch(() => null);
    if (made && made.size > 0) break;
    if (at === 0) throw new Error(`no poster frame could be taken from ${request.downloadPath}`);
  }
  request.onProgress?.(100);
  return { durationSeconds: duration, renditions: published };
}
