import { audioBitrateFor, largerReason, transcodeOutputArgs } from './ffmpeg';

describe('shoutout transcode: audio bitrate and size', () => {
  it('never asks for more audio bitrate than the source has', () => {
    expect(audioBitrateFor('128k', 69_000)).toBe('65k');
    expect(audioBitrateFor('128k', 256_000)).toBe('128k');
    expect(audioBitrateFor('128k', undefined)).toBe('128k');
    expect(audioBitrateFor('128k', 8_000)).toBe('16k');
    expect(transcodeOutputArgs({ crf: 23, preset: 'veryfast', audioBitrate: audioBitrateFor('128k', 69_000) }).join(' ')).toContain('-b:a 65k');
  });

  it('says why an output came out larger than its input', () => {
    const source = { isVideo: true, durationSeconds: 4, width: 320, height: 240, videoBitrate: 40_000, audioBitrate: 69_000, audioCodec: 'aac' };
    const output = { isVideo: true, durationSeconds: 4, width: 320, height: 240, videoBitrate: 120_000, audioBitrate: 68_000, audioCodec: 'aac' };
    expect(largerReason(source, output, { inputBytes: 60_000, outputBytes: 100_000 })).toMatch(/source video is 40 kb\/s.*\(120 kb\/s\)/);
    expect(largerReason({ ...source, videoBitrate: undefined }, { ...output, videoBitrate: undefined }, { inputBytes: 5_000, outputBytes: 9_000 })).toMatch(/tiny \(5000 bytes\)/);
  });
});
