import { PeakCollector, reducePeaks } from './waveform';

describe('waveform peaks', () => {
  it('reduces to exactly the asked count, keeping each slice maximum', () => {
    expect(reducePeaks([0.1, 0.5, 0.2, 0.9, 0.3, 0.4], 3)).toEqual([0.5, 0.9, 0.4]);
    expect(reducePeaks([0.25], 4)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(reducePeaks([], 2)).toEqual([0, 0]);
    expect(reducePeaks(Array.from({ length: 12_345 }, (_, i) => (i % 100) / 100), 800)).toHaveLength(800);
  });

  it('reads 16-bit PCM split anywhere between chunks', () => {
    const pcm = Buffer.alloc(160 * 2 * 2);
    for (let i = 0; i < 320; i++) pcm.writeInt16LE(i < 160 ? 16384 : -32768, i * 2);
    const collector = new PeakCollector();
    collector.push(pcm.subarray(0, 101));
    collector.push(pcm.subarray(101));
    expect(collector.peaks(4)).toEqual([0.5, 0.5, 1, 1]);
  });
});
