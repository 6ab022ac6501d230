/**
 * Waveform peaks for players: the decoded audio arrives as 16-bit mono PCM (ffmpeg `-f s16le`),
 * is reduced on the fly to the peak of every short block (memory stays small for hours of audio),
 * then to `count` equal slices, each the largest absolute amplitude in it, 0..1.
 */
export const WAVEFORM_SAMPLE_RATE = 8000;
/** 10 ms blocks at 8 kHz. */
const BLOCK_SAMPLES = 80;

export class PeakCollector {
  private readonly blocks: number[] = [];
  private current = 0;
  private inBlock = 0;
  private carry: number | undefined;

  push(chunk: Buffer): void {
    let offset = 0;
    if (this.carry !== undefined && chunk.length > 0) {
      this.sample(Buffer.from([this.carry, chunk[0]]).readInt16LE(0));
      this.carry = undefined;
      offset = 1;
    }
    for (; offset + 1 < chunk.length; offset += 2) this.sample(chunk.readInt16LE(offset));
    if (offset < chunk.length) this.carry = chunk[offset];
  }

  private sample(value: number): void {
    const magnitude = Math.abs(value);
    if (magnitude > this.current) this.current = magnitude;
    if (++this.inBlock === BLOCK_SAMPLES) this.endBlock();
  }

  private endBlock(): void {
    this.blocks.push(this.current / 32768);
    this.current = 0;
    this.inBlock = 0;
  }

  /** The waveform: exactly `count` peaks (blocks repeated when the audio is shorter than `count` blocks). */
  peaks(count: number): number[] {
    if (this.inBlock > 0) this.endBlock();
    return reducePeaks(this.blocks, count);
  }
}

/** `values` reduced (or stretched) to `count` slices, each its largest value, rounded to 4 decimals. */
export function reducePeaks(values: readonly number[], count: number): number[] {
  const out: number[] = [];
  if (count <= 0) return out;
  const n = values.length;
  for (let i = 0; i < count; i++) {
    if (n === 0) {
      out.push(0);
      continue;
    }
    const start = Math.floor((i * n) / count);
    const end = Math.max(start + 1, Math.floor(((i + 1) * n) / count));
    let peak = 0;
    for (let j = start; j < end && j < n; j++) if (values[j] > peak) peak = values[j];
    out.push(Math.round(Math.min(1, peak) * 10_000) / 10_000);
  }
  return out;
}
