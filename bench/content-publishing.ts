/**
 * `npx tsx bench/content-publishing.ts`: contents published through the real stack (HTTP upload →
 * contentPublishing workflow → media worker → published) against bare ffmpeg command lines that
 * produce the same outputs, in the same run:
 *   - a 30 s 1080p video (testsrc2 + tone): HLS 360p + 720p in one encode (split + var_stream_map),
 *     the MP4 remux and the poster;
 *   - a 3-minute WAV (tone): the ebur128 measure pass and the loudnorm → AAC pass with the waveform's PCM.
 * Prints one JSON line: per medium ours_s (upload start → published), ours_upload_s (upload start → 202),
 * bare_s, ratio, processing_ratio (from the 202, when the file is on our disk as the bare side's is), output bytes (ours,
 * bare) and CPU seconds: ours = this process (API + worker) and its ffmpeg children, bare = its ffmpeg
 * children. Each medium runs BENCH_ROUNDS pairs (default 2), bare-ours then ours-bare, and each side
 * keeps its best time, so load drift on a shared machine cancels out (as bench/transcode.ts does).
 * BENCH_VIDEO_SECONDS (30), BENCH_TRACK_SECONDS (180).
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TRACK_OUTPUT, VIDEO_AUDIO_KBPS } from '../domain/contents';
import { HLS_SEGMENT_SECONDS, renditionsFor } from '../domain/contents/renditions';
import { measureArgs, normaliseArgs, outputFormat, parseEbur128Summary } from '../providers/media/audio';
import { downloadRemuxArgs, hlsEncodeArgs, posterArgs } from '../providers/media/hls';
import { PeakCollector } from '../providers/media/waveform';
import { findContent } from '../stores/contents/contents';
import { createActiveAccount } from '../test/harness/accounts';
import { startTestStack } from '../test/harness/stack';
import { runBench } from './lib/run';

const run = promisify(execFile);
const VIDEO_SECONDS = Number(process.env.BENCH_VIDEO_SECONDS ?? 30);
const TRACK_SECONDS = Number(process.env.BENCH_TRACK_SECONDS ?? 180);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));

interface Measured {
  wall: number;
  cpu: number;
  bytes: number;
  /** Ours only: seconds from the upload's start to its 202 (the rest is processing). */
  upload?: number;
}

/** A-B then B-A pairs; each side's fastest run. */
async function pairs(name: string, ours: () => Promise<Measured>, bare: () => Promise<Measured>): Promise<{ ours: Measured; bare: Measured }> {
  const o: Measured[] = [];
  const b: Measured[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      b.push(await bare());
      o.push(await ours());
    } else {
      o.push(await ours());
      b.push(await bare());
    }
    console.error(`${name} round ${r + 1}: ours ${o[r].wall.toFixed(2)} s (upload ${o[r].upload?.toFixed(2)} s, cpu ${o[r].cpu.toFixed(2)}), bare ${b[r].wall.toFixed(2)} s (cpu ${b[r].cpu.toFixed(2)})`);
  }
  const best = (runs: Measured[]) => runs.reduce((x, y) => (y.wall < x.wall ? y : x));
  return { ours: best(o), bare: best(b) };
}

/** CPU seconds of this process plus its exited (waited-for) children, from /proc (Linux). */
function cpuSeconds(): { self: number; children: number } {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const own = process.cpuUsage();
  return { self: (own.user + own.system) / 1e6, children: (Number(fields[13]) + Number(fields[14])) / 100 };
}

async function timed(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const start = process.hrtime.bigint();
  const before = cpuSeconds();
  await work();
  const after = cpuSeconds();
  return { wall: Number(process.hrtime.bigint() - start) / 1e9, cpu: after.self - before.self + after.children - before.children };
}

function folderBytes(dir: string): number {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + fs.statSync(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).size, 0);
}

/** ffmpeg with stdout to a callback (the waveform PCM), stderr kept for the ebur128 summary. */
function ffmpeg(args: string[], onStdout?: (chunk: Buffer) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => onStdout?.(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`ffmpeg exited with ${code}: ${stderr.slice(-500)}`))));
  });
}

runBench(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'limelight-bench-contents-'));
  const storageDir = path.join(dir, 'storage');
  const stack = await startTestStack({ env: { STORAGE_DIR: storageDir, LOG_LEVEL: 'silent', CONTENT_PROCESSING_HEARTBEAT_TIMEOUT: '60s' }, responseGuard: false });
  try {
    const { config } = stack;
    const video = path.join(dir, 'source.mp4');
    const wav = path.join(dir, 'source.wav');
    console.error(`making a ${VIDEO_SECONDS} s 1080p video and a ${TRACK_SECONDS} s WAV…`);
    await run('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${VIDEO_SECONDS}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${VIDEO_SECONDS}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '17', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '192k', '-shortest', video,
    ]);
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=220:duration=${TRACK_SECONDS}:sample_rate=44100`, '-af', 'volume=0.3,aformat=channel_layouts=stereo', wav]);

    const owner = await createActiveAccount(stack.deps, { name: 'bench owner' });
    const channel = await stack.http.post('/v1/channels', { name: 'Bench channel', handle: `bench-${Date.now().toString(36)}` }, { token: owner.token });
    if (channel.status !== 201) throw new Error(`channel: ${channel.status} ${channel.text}`);

    /** Ours: create the draft (not timed), then upload → published. */
    const ours = async (kind: 'video' | 'track', file: string, type: string) => {
      const created = await stack.http.post(`/v1/channels/${channel.body.id}/contents`, { kind, title: `bench ${kind}` }, { token: owner.token });
      if (created.status !== 201) throw new Error(`content: ${created.status} ${created.text}`);
      const id = created.body.id as string;
      const form = new FormData();
      form.append('file', new Blob([fs.readFileSync(file)], { type }), path.basename(file));
      let upload = 0;
      const timing = await timed(async () => {
        const started = process.hrtime.bigint();
        const res = await fetch(`${stack.api!.url}/v1/contents/${id}/media`, { method: 'POST', headers: { authorization: `Bearer ${owner.token}` }, body: form });
        if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
        upload = Number(process.hrtime.bigint() - started) / 1e9;
        // Watched in the database (one indexed read every 50 ms), not through the API, so the bench
        // client's own polling does not weigh on the publishing it measures.
        for (;;) {
          const state = await findContent(stack.deps.db, id);
          if (state?.status === 'published') return;
          if (state?.status === 'failed') throw new Error(`failed: ${state.failureReason}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      });
      // The published files of upload 1 (not the upload itself, nor the resume manifest).
      const media = path.join(storageDir, 'contents', id, 'm1');
      return { ...timing, upload, bytes: folderBytes(media) - fs.statSync(path.join(media, 'manifest.json')).size };
    };

    /** Bare: the same command lines, typed out, straight to a folder. */
    const bareVideo = async () => {
      const out = path.join(dir, 'bare-video');
      fs.rmSync(out, { recursive: true, force: true });
      const renditions = renditionsFor(1920, 1080);
      for (const r of renditions) fs.mkdirSync(path.join(out, 'hls', r.name), { recursive: true });
      const settings = { crf: config.TRANSCODE_CRF, preset: config.TRANSCODE_PRESET, audioBitrateKbps: VIDEO_AUDIO_KBPS, threads: config.TRANSCODE_THREADS };
      const timing = await timed(async () => {
        await ffmpeg(hlsEncodeArgs({ inputPath: video, outputDir: path.join(out, 'hls'), renditions, segmentSeconds: HLS_SEGMENT_SECONDS, hasAudio: true }, settings));
        await ffmpeg(downloadRemuxArgs(path.join(out, 'hls', renditions[renditions.length - 1].name, 'index.m3u8'), path.join(out, 'download.mp4')));
        await ffmpeg(posterArgs(path.join(out, 'download.mp4'), path.join(out, 'poster.jpg'), 1));
      });
      return { ...timing, bytes: folderBytes(out) };
    };
    const bareTrack = async () => {
      const out = path.join(dir, 'bare-track');
      fs.rmSync(out, { recursive: true, force: true });
      fs.mkdirSync(out, { recursive: true });
      const timing = await timed(async () => {
        const measure = parseEbur128Summary(await ffmpeg(measureArgs(wav)))!;
        const peaks = new PeakCollector();
        await ffmpeg(normaliseArgs({ inputPath: wav, outputPath: path.join(out, 'audio.m4a'), ...TRACK_OUTPUT }, measure, outputFormat({ sampleRate: 44_100, channels: 2 })), (chunk) => peaks.push(chunk));
        fs.writeFileSync(path.join(out, 'waveform.json'), JSON.stringify({ version: 1, durationSeconds: TRACK_SECONDS, peaks: peaks.peaks(TRACK_OUTPUT.waveformPeaks) }));
      });
      return { ...timing, bytes: folderBytes(out) };
    };

    const { ours: ov, bare: bv } = await pairs('video', () => ours('video', video, 'video/mp4'), bareVideo);
    const { ours: ot, bare: bt } = await pairs('track', () => ours('track', wav, 'audio/wav'), bareTrack);

    const r3 = (n: number) => Number(n.toFixed(3));
    const side = (o: Measured, b: Measured) => ({
      ours_s: r3(o.wall),
      ours_upload_s: r3(o.upload ?? 0),
      // Upload accepted (the file is on our disk, as the bare command line's is) → published.
      processing_ratio: r3((o.wall - (o.upload ?? 0)) / b.wall),
      bare_s: r3(b.wall),
      ratio: r3(o.wall / b.wall),
      ours_bytes: o.bytes,
      bare_bytes: b.bytes,
      ours_cpu_s: r3(o.cpu),
      bare_cpu_s: r3(b.cpu),
    });
    console.log(
      JSON.stringify({
        rounds: ROUNDS,
        video: { source: `1920x1080 ${VIDEO_SECONDS}s`, input_bytes: fs.statSync(video).size, ...side(ov, bv) },
        track: { source: `wav ${TRACK_SECONDS}s`, input_bytes: fs.statSync(wav).size, ...side(ot, bt) },
        target_ratio: 1.1,
      }),
    );
  } finally {
    await stack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
