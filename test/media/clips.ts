import { execFile } from 'node:child_process';
import { rename } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Makes a test clip with ffmpeg's lavfi sources (testsrc picture + sine tone). */
export async function makeClip(path: string, options: { width: number; height: number; seconds: number; rate?: number; audio?: boolean; crf?: number; extra?: string[]; rotate?: number }): Promise<void> {
  const { width, height, seconds, rate = 25, audio = true, crf = 18 } = options;
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=${rate}:duration=${seconds}`,
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`] : []),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', String(crf), '-pix_fmt', 'yuv420p',
    ...(audio ? ['-c:a', 'aac', '-shortest'] : []),
    ...(options.extra ?? []),
    path,
  ]);
  if (options.rotate) {
    // A phone-style rotation flag (display matrix), set by remuxing.
    const flagged = `${path}.rotated.mp4`;
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', path, '-c', 'copy', '-metadata:s:v:0', `rotate=${options.rotate}`, flagged]);
    await rename(flagged, path);
  }
}

/** Frame number `n` of a video as raw RGB24, scaled to width × height. */
export async function frameRgb(path: string, n: number, width: number, height: number): Promise<Buffer> {
  const { stdout } = await run(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-i', path, '-vf', `select=eq(n\\,${n}),scale=${width}:${height}:flags=bicubic`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout as unknown as Buffer;
}

/** Mean absolute difference (0..255) of two RGB24 frames over a rectangle. */
export function regionDifference(a: Buffer, b: Buffer, frameWidth: number, region: { x: number; y: number; width: number; height: number }): number {
  let sum = 0;
  let count = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      const i = (y * frameWidth + x) * 3;
      for (let ch = 0; ch < 3; ch++) sum += Math.abs(a[i + ch] - b[i + ch]);
      count += 3;
    }
  }
  return sum / count;
}

/** ffprobe's JSON for a file. */
export async function ffprobeJson(path: string): Promise<{ streams: Array<Record<string, unknown>>; format: Record<string, unknown> }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', path]);
  return JSON.parse(stdout) as { streams: Array<Record<string, unknown>>; format: Record<string, unknown> };
}
