/**
 * The HLS ladder: 360p and 720p (the short side, so portrait videos get the same quality), never
 * upscaled. A source below 360p gets one rendition at its own size.
 */
export interface RenditionPlan {
  name: string;
  width: number;
  height: number;
  /** Capped CRF: the encoder's peak rate (kb/s) and buffer, which the master playlist's BANDWIDTH comes from. */
  maxrateKbps: number;
  bufsizeKbps: number;
}

export const HLS_LADDER = [
  { lines: 360, maxrateKbps: 900, bufsizeKbps: 1800 },
  { lines: 720, maxrateKbps: 3000, bufsizeKbps: 6000 },
] as const;

/** 4-second segments, keyframes forced on the boundaries so every rendition switches at the same instants. */
export const HLS_SEGMENT_SECONDS = 4;

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
const evenDown = (n: number) => Math.max(2, Math.floor(n / 2) * 2);

/** The renditions of a `width`×`height` (displayed) source, smallest first. */
export function renditionsFor(width: number, height: number): RenditionPlan[] {
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  const fit = (lines: number) => {
    const outShort = even(lines);
    const outLong = even((long * lines) / short);
    return width >= height ? { width: outLong, height: outShort } : { width: outShort, height: outLong };
  };
  const rungs = HLS_LADDER.filter((rung) => short >= rung.lines);
  if (rungs.length === 0) {
    const size = { width: evenDown(width), height: evenDown(height) };
    const lines = Math.min(size.width, size.height);
    return [{ name: `${lines}p`, ...size, maxrateKbps: HLS_LADDER[0].maxrateKbps, bufsizeKbps: HLS_LADDER[0].bufsizeKbps }];
  }
  return rungs.map((rung) => ({ name: `${rung.lines}p`, ...fit(rung.lines), maxrateKbps: rung.maxrateKbps, bufsizeKbps: rung.bufsizeKbps }));
}
