import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createFfmpegTranscoder, DEFAULT_WATERMARK_PATH } from '../../providers/media';
import { probe, tmpDir } from '../shoutouts/helpers';

const run = promisify(execFile);

/** A small, low-bitrate upload must not come out bigger than it went in, or say why it did. */
describe('shoutout transcode size', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmpDir('transcode-size');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const transcoder = createFfmpegTranscoder({ crf: 23, preset: 'veryfast', maxLongSide: 1280, audioBitrate: '128k' });
  const audioRate = async (file: string) => Number((await probe(file)).streams.find((s) => s.codec_type === 'audio')!.bit_rate);

  async function upload(name: string, args: string[]): Promise<string> {
    const file = path.join(dir, name);
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, file]);
    return file;
  }

  it('never raises the audio bitrate above the source and explains a larger output', async () => {
    // The upload: a small clip whose audio is ~69 kb/s (it used to come out at 110 kb/s).
    const input = await upload('low.mp4', [
      '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15:duration=4', '-f', 'lavfi', '-i', 'anoisesrc=color=pink:duration=4:amplitude=0.3',
      '-c:v', 'libx264', '-preset', 'veryslow', '-crf', '38', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '69k', '-shortest',
    ]);
    const source = await audioRate(input);
    expect(source).toBeLessThan(80_000);
    const output = path.join(dir, 'low-out.mp4');
    const result = await transcoder.transcode({ inputPath: input, outputPath: output, posterPath: path.join(dir, 'low.jpg'), watermarkPath: DEFAULT_WATERMARK_PATH });
    expect(await audioRate(output)).toBeLessThanOrEqual(source);
    const [inBytes, outBytes] = [fs.statSync(input).size, fs.statSync(output).size];
    if (outBytes > inBytes) {
      expect(result.larger).toMatchObject({ inputBytes: inBytes, outputBytes: outBytes });
      expect(result.larger!.reason).toMatch(/source video is \d+ kb\/s|tiny/);
    } else expect(result.larger).toBeUndefined();
  }, 60_000);

  it('keeps the configured audio bitrate for a richer source', async () => {
    const input = await upload('rich.mp4', [
      '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15:duration=2', '-f', 'lavfi', '-i', 'anoisesrc=color=pink:duration=2:amplitude=0.3',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '256k', '-shortest',
    ]);
    const output = path.join(dir, 'rich-out.mp4');
    const result = await transcoder.transcode({ inputPath: input, outputPath: output, posterPath: path.join(dir, 'rich.jpg'), watermarkPath: DEFAULT_WATERMARK_PATH });
    const rate = await audioRate(output);
    expect(rate).toBeGreaterThan(100_000);
    expect(rate).toBeLessThan(140_000);
    expect(result.larger).toBeUndefined();
  }, 60_000);
});
