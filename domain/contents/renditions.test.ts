import { renditionsFor } from './renditions';

describe('renditionsFor (HLS ladder, never upscaled)', () => {
  it.each([
    [1920, 1080, ['360p:640x360', '720p:1280x720']],
    [1280, 720, ['360p:640x360', '720p:1280x720']],
    [854, 480, ['360p:640x360']],
    [640, 360, ['360p:640x360']],
    [720, 1280, ['360p:360x640', '720p:720x1280']],
    [320, 240, ['240p:320x240']],
    [321, 241, ['240p:320x240']],
  ])('%i×%i → %j', (w, h, expected) => {
    expect(renditionsFor(w, h).map((r) => `${r.name}:${r.width}x${r.height}`)).toEqual(expected);
  });

  it('never makes a rendition larger than the source', () => {
    for (const [w, h] of [[1000, 700], [1279, 719], [400, 360]]) {
      for (const r of renditionsFor(w, h)) {
        expect(Math.min(r.width, r.height)).toBeLessThanOrEqual(Math.min(w, h));
      }
    }
  });
});
