/**
 * Our transcode (Transcoder port → fluent-ffmpeg adapter: probe, encode, probe, poster) against a bare
 * ffmpeg command line with the same settings (same filter graph and encoder options, then the same
 * poster command), on a 30 s 1080p clip made here with testsrc2 + sine. Runs A-B-B-A (BENCH_ROUNDS
 * pairs, default 2) and keeps each side's best time, so load drift on a shared machine cancels out.
 * Prints one JSON line: {ours_s, bare_s, ratio, input_bytes, output_bytes, size_ratio}.
 *   npx tsx bench/transcode.ts
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTranscoder, watermarkPath } from '../activities/media';
import { TRANSCODE_DEFAULTS, fitWithin, transcodeFilterGraph, transcodeOutputArgs } from '../activities/media/ffmpeg';
import { loadConfig } from '../platform/config';
import type { MediaConfig } from '../platform/config/media';

const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));

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
    const ours = async (i: number) => {
      const started = process.hrtime.bigint();
      await transcoder.transcode({ inputPath: input, outputPath: join(dir, `ours-${i}.mp4`), posterPath: join(dir, `ours-${i}.jpg`), watermarkPath: mark });
      return Number(process.hrtime.bigint() - started) / 1e9;
    };

    // The bare command: what our adapter runs, typed out, without the wrapper, the probes or the progress parsing.
    const size = fitWithin(1920, 1080, config.TRANSCODE_MAX_LONG_SIDE);
    const settings = { ...TRANSCODE_DEFAULTS, crf: config.TRANSCODE_CRF, preset: config.TRANSCODE_PRESET, threads: config.TRANSCODE_THREADS };
    const bare = async (i: number) => {
      const out = join(dir, `bare-${i}.mp4`);
      const started = process.hrtime.bigint();
      await run(ffmpegBin, ['-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-i', mark, '-filter_complex', transcodeFilterGraph(size, settings), ...transcodeOutputArgs(settings), out]);
      await run(ffmpegBin, ['-hide_banner', '-loglevel', 'error', '-y', '-ss', String(settings.posterAtSeconds), '-i', out, '-frames:v', '1', '-q:v', '3', '-update', '1', '-f', 'image2', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', join(dir, `bare-${i}.jpg`)]);
      return Number(process.hrtime.bigint() - started) / 1e9;
    };

    const oursTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // A-B then B-A: neither side always runs on the warmer (or busier) machine.
      if (r % 2 === 0) {
        bareTimes.push(await bare(r));
        oursTimes.push(await ours(r));
      } else {
        oursTimes.push(await ours(r));
        bareTimes.push(await bare(r));
      }
      console.error(`round ${r + 1}: ours ${oursTimes[r].toFixed(2)} s, bare ${bareTimes[r].toFixed(2)} s`);
    }

    const oursS = Math.min(...oursTimes);
    const bareS = Math.min(...bareTimes);
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
