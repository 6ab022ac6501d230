/**
 * Our transcode (Transcoder port → fluent-ffmpeg adapter: probe, encode, probe, poster) against a bare
 * ffmpeg command line with the same settings (same filter graph and encoder options, then the same
 * poster command), on a 30 s 1080p clip made here with testsrc2 + sine. Runs A-B-B-A (BENCH_ROUNDS
 * pairs, default 2) and keeps each side's best time, so load drift on a shared machine cancels out.
 * Prints one JSON line: {ours_s, bare_s, ratio, input_bytes, output_bytes, size_ratio} (wall clock),
 * plus ours_cpu_s / bare_cpu_s / cpu_ratio: CPU seconds of this process and its ffmpeg children, which
 * other work on a busy machine does not inflate (wall time there mostly measures the neighbours).
 *   npx tsx bench/transcode.ts
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTranscoder, watermarkPath } from '../providers/media';
import { TRANSCODE_DEFAULTS, fitWithin, transcodeFilterGraph, transcodeOutputArgs } from '../providers/media/ffmpeg';
import { loadConfig } from '../platform/config';
import type { MediaConfig } from '../platform/config/media';

const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));

/** CPU seconds used so far by this process and by its children that have exited (Linux /proc; 0 elsewhere). */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    children = (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in clock ticks (USER_HZ = 100)
  } catch {
    children = 0;
  }
  return (own.user + own.system) / 1e6 + children;
}

interface Timing {
  wall: number;
  cpu: number;
}

async function timed(work: () => Promise<unknown>): Promise<Timing> {
  const wall = process.hrtime.bigint();
  const cpu = cpuSeconds();
  await work();
  return { wall: Number(process.hrtime.bigint() - wall) / 1e9, cpu: cpuSeconds() - cpu };
}

async function main(): Promise<void> {
  const config = loadConfig() as ReturnType<typeof loadConfig> & MediaConfig;
  const ffmpegBin = config.FFMPEG_PATH ?? 'ffmpeg';
  const mark = watermarkPath(config);
  const dir = await mkdtemp(join(tmpdir(), 'limelight-bench-transcode-'));
  try {
    const input = join(dir, 'input.mp4');
    console.error(`making a ${SECONDS} s 1080p clip…`);
    await run(ffmpegBin, [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${SECONDS}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
      // About what a phone records: high-bitrate H.264 + AAC.
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '17', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '192k', '-shortest',
      input,
    ]);

    const transcoder = createTranscoder(config);
    const ours = (i: number) =>
      timed(() => transcoder.transcode({ inputPath: input, outputPath: join(dir, `ours-${i}.mp4`), posterPath: join(dir, `ours-${i}.jpg`), watermarkPath: mark }));

    // The bare command: what our adapter runs, typed out, without the wrapper, the probes or the progress parsing.
    const size = fitWithin(1920, 1080, config.TRANSCODE_MAX_LONG_SIDE);
    const settings = { ...TRANSCODE_DEFAULTS, crf: config.TRANSCODE_CRF, preset: config.TRANSCODE_PRESET, threads: config.TRANSCODE_THREADS };
    const bare = (i: number) => {
      const out = join(dir, `bare-${i}.mp4`);
      return timed(async () => {
        await run(ffmpegBin, ['-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-i', mark, '-filter_complex', transcodeFilterGraph(size, settings), ...transcodeOutputArgs(settings), out]);
        await run(ffmpegBin, ['-hide_banner', '-loglevel', 'error', '-y', '-ss', String(settings.posterAtSeconds), '-i', out, '-frames:v', '1', '-q:v', '3', '-update', '1', '-f', 'image2', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', join(dir, `bare-${i}.jpg`)]);
      });
    };

    const oursTimes: Timing[] = [];
    const bareTimes: Timing[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // A-B then B-A: neither side always runs on the warmer (or busier) machine.
      if (r % 2 === 0) {
        bareTimes.push(await bare(r));
        oursTimes.push(await ours(r));
      } else {
        oursTimes.push(await ours(r));
        bareTimes.push(await bare(r));
      }
      console.error(`round ${r + 1}: ours ${oursTimes[r].wall.toFixed(2)} s (cpu ${oursTimes[r].cpu.toFixed(2)}), bare ${bareTimes[r].wall.toFixed(2)} s (cpu ${bareTimes[r].cpu.toFixed(2)})`);
    }

    const oursS = Math.min(...oursTimes.map((t) => t.wall));
    const bareS = Math.min(...bareTimes.map((t) => t.wall));
    const oursCpu = Math.min(...oursTimes.map((t) => t.cpu));
    const bareCpu = Math.min(...bareTimes.map((t) => t.cpu));
    const inputBytes = (await stat(input)).size;
    const outputBytes = (await stat(join(dir, 'ours-0.mp4'))).size;
    console.log(
      JSON.stringify({
        ours_s: Number(oursS.toFixed(3)),
        bare_s: Number(bareS.toFixed(3)),
        ratio: Number((oursS / bareS).toFixed(3)),
        input_bytes: inputBytes,
        output_bytes: outputBytes,
        size_ratio: Number((outputBytes / inputBytes).toFixed(4)),
        ours_cpu_s: Number(oursCpu.toFixed(2)),
        bare_cpu_s: Number(bareCpu.toFixed(2)),
        cpu_ratio: bareCpu > 0 ? Number((oursCpu / bareCpu).toFixed(3)) : null,
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
