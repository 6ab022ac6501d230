import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WATERMARK_PATH, createTranscoder } from '../../providers/media';
import { fitWithin, TRANSCODE_DEFAULTS } from '../../providers/media/ffmpeg';
import { UnreadableVideoError, type Transcoder } from '../../providers/media/port';
import { configWith } from '../../platform/config';
import { ffprobeJson, frameRgb, makeClip, regionDifference } from './clips';

describe('fitWithin (output size)', () => {
  it.each([
    [1920, 1080, 1280, 720],
    [1080, 1920, 720, 1280],
    [3840, 2160, 1280, 720],
    [4000, 3000, 1280, 960],
    [1280, 720, 1280, 720],
    [640, 360, 640, 360],
    [641, 481, 640, 480],
    [1281, 721, 1280, 720],
    [2000, 100, 1280, 64],
    [100, 2000, 64, 1280],
    [3, 3, 2, 2],
  ])('%i×%i → %i×%i', (w, h, ew, eh) => {
    const out = fitWithin(w, h, 1280);
    expect(out).toEqual({ width: ew, height: eh });
    expect(out.width % 2).toBe(0);
    expect(out.height % 2).toBe(0);
  });
});

describe('ffmpeg transcoder', () => {
  let dir: string;
  let transcoder: Transcoder;
  let small: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'limelight-transcoder-'));
    transcoder = createTranscoder(configWith({ TRANSCODE_CRF: '28', TRANSCODE_PRESET: 'veryfast' }));
    small = join(dir, 'small.mp4');
    await makeClip(small, { width: 320, height: 240, seconds: 2 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('transcodes a 1080p clip to a smaller watermarked 720p H.264/AAC faststart MP4 with a poster', async () => {
    const input = join(dir, 'hd.mov');
    await makeClip(input, { width: 1920, height: 1080, seconds: 2, crf: 16 });
    const output = join(dir, 'hd-out.mp4');
    const poster = join(dir, 'hd-poster.jpg');
    const progress: number[] = [];
    const result = await transcoder.transcode({ inputPath: input, outputPath: output, posterPath: poster, watermarkPath: DEFAULT_WATERMARK_PATH, onProgress: (p) => progress.push(p) });

    expect(result.width).toBe(1280);
    expect(result.height).toBe(720);
    expect(result.durationSeconds).toBeGreaterThan(1.8);
    expect(result.durationSeconds).toBeLessThan(2.3);
    const probed = await ffprobeJson(output);
    const video = probed.streams.find((s) => s.codec_type === 'video')!;
    const audio = probed.streams.find((s) => s.codec_type === 'audio')!;
    expect(video).toMatchObject({ codec_name: 'h264', width: 1280, height: 720, pix_fmt: 'yuv420p' });
    expect(audio).toMatchObject({ codec_name: 'aac' });
    expect((await stat(output)).size).toBeLessThan((await stat(input)).size);
    // +faststart: the index (moov) comes before the media data.
    const head = await readFile(output);
    expect(head.indexOf('moov')).toBeGreaterThan(0);
    expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat'));
    // Poster: a JPEG at the output size.
    expect((await readFile(poster)).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await ffprobeJson(poster)).streams[0]).toMatchObject({ width: 1280, height: 720 });
    // Progress: 0 … 100, never going back.
    expect(progress[0]).toBe(0);
    expect(progress[progress.length - 1]).toBe(100);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    // Watermark: the bottom-right corner differs from the (scaled) source frame; the top-left does not.
    const [src, out] = await Promise.all([frameRgb(input, 25, 1280, 720), frameRgb(output, 25, 1280, 720)]);
    const markWidth = Math.round(1280 * TRANSCODE_DEFAULTS.watermarkWidthRatio);
    const markHeight = Math.round((markWidth * 100) / 420);
    const margin = Math.round(720 * 0.03);
    const markRegion = { x: 1280 - margin - markWidth, y: 720 - margin - markHeight, width: markWidth, height: markHeight };
    const farRegion = { x: margin, y: margin, width: markWidth, height: markHeight };
    const atMark = regionDifference(src, out, 1280, markRegion);
    const far = regionDifference(src, out, 1280, farRegion);
    expect(atMark).toBeGreaterThan(20);
    expect(far).toBeLessThan(6);
  });

  it('keeps small clips at their size and portrait clips upright', async () => {
    const rotated = join(dir, 'rotated.mp4');
    await makeClip(rotated, { width: 320, height: 240, seconds: 2, audio: false, rotate: 90 });
    const probe = await transcoder.probe(rotated);
    expect(probe).toMatchObject({ isVideo: true, width: 240, height: 320 });
    const result = await transcoder.transcode({ inputPath: rotated, outputPath: join(dir, 'rot-out.mp4'), posterPath: join(dir, 'rot.jpg'), watermarkPath: DEFAULT_WATERMARK_PATH });
    expect(result).toMatchObject({ width: 240, height: 320 });
    const out = await ffprobeJson(join(dir, 'rot-out.mp4'));
    expect(out.streams.filter((s) => s.codec_type === 'audio')).toHaveLength(0);
  });

  it('probes a video, and says "not a video" for text, garbage, images and audio without throwing', async () => {
    expect(await transcoder.probe(small)).toMatchObject({ isVideo: true, width: 320, height: 240, videoCodec: 'h264', audioCodec: 'aac' });
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'Dear talent, please say happy birthday to Ana.\n'.repeat(20));
    expect(await transcoder.probe(text)).toMatchObject({ isVideo: false });
    const textAsMp4 = join(dir, 'notes.mp4');
    await copyFile(text, textAsMp4);
    expect(await transcoder.probe(textAsMp4)).toMatchObject({ isVideo: false });
    const garbage = join(dir, 'garbage.webm');
    await writeFile(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    expect(await transcoder.probe(garbage)).toMatchObject({ isVideo: false });
    expect(await transcoder.probe(DEFAULT_WATERMARK_PATH)).toMatchObject({ isVideo: false });
    const empty = join(dir, 'empty.mp4');
    await writeFile(empty, '');
    expect(await transcoder.probe(empty)).toMatchObject({ isVideo: false });
    await expect(transcoder.probe(join(dir, 'missing.mp4'))).rejects.toThrow(/ENOENT/);
  });

  it('rejects unreadable input with UnreadableVideoError', async () => {
    const garbage = join(dir, 'garbage.mp4');
    await writeFile(garbage, Buffer.from('this is not a video at all'.repeat(100)));
    const request = (input: string) => ({ inputPath: input, outputPath: join(dir, 'never.mp4'), posterPath: join(dir, 'never.jpg'), watermarkPath: DEFAULT_WATERMARK_PATH });
    await expect(transcoder.transcode(request(garbage))).rejects.toBeInstanceOf(UnreadableVideoError);
    // A truncated upload (the index at the end never arrived).
    const whole = await readFile(small);
    const truncated = join(dir, 'truncated.mp4');
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length / 3)));
    await expect(transcoder.transcode(request(truncated))).rejects.toBeInstanceOf(UnreadableVideoError);
  });

  it('stops ffmpeg when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const work = transcoder.transcode({
      inputPath: small,
      outputPath: join(dir, 'aborted.mp4'),
      posterPath: join(dir, 'aborted.jpg'),
      watermarkPath: DEFAULT_WATERMARK_PATH,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('cancelled by test')),
    });
    await expect(work).rejects.toThrow('cancelled by test');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
