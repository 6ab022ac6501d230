import { createMediaSigner, signPlaylist } from './signing';

describe('signed media URLs', () => {
  const signer = createMediaSigner('x'.repeat(40));

  it('verifies its own signature until it expires, for that content and path only', () => {
    const sig = signer.sign('cnt_1', 'hls/master.m3u8', 2_000);
    expect(signer.verify('cnt_1', 'hls/master.m3u8', '2000', sig, 1_999)).toBe('valid');
    expect(signer.verify('cnt_1', 'hls/master.m3u8', '2000', sig, 2_001)).toBe('invalid');
    expect(signer.verify('cnt_2', 'hls/master.m3u8', '2000', sig, 1_000)).toBe('invalid');
    expect(signer.verify('cnt_1', 'download', '2000', sig, 1_000)).toBe('invalid');
    expect(signer.verify('cnt_1', 'hls/master.m3u8', '2001', sig, 1_000)).toBe('invalid');
    expect(signer.verify('cnt_1', 'hls/master.m3u8', undefined, undefined)).toBe('absent');
    expect(signer.verify('cnt_1', 'hls/master.m3u8', '2000', undefined)).toBe('invalid');
    expect(createMediaSigner('y'.repeat(40)).verify('cnt_1', 'hls/master.m3u8', '2000', sig, 1_000)).toBe('invalid');
  });

  it('signs every URI of a playlist, relative to it, and drops foreign ones', () => {
    const master = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n360p/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2\nhttps://evil.example/x.m3u8\n';
    const signed = signPlaylist(master, (p) => signer.signedPath('cnt_1', p, 5_000), 'hls/');
    const lines = signed.split('\n');
    expect(lines[2]).toBe(`360p/index.m3u8?exp=5000&sig=${signer.sign('cnt_1', 'hls/360p/index.m3u8', 5_000)}`);
    expect(lines[4]).toBe('');
    const media = signPlaylist('#EXTINF:4.0,\nseg_00000.ts\n', (p) => signer.signedPath('cnt_1', p, 5_000), 'hls/360p/');
    expect(media).toContain(`seg_00000.ts?exp=5000&sig=${signer.sign('cnt_1', 'hls/360p/seg_00000.ts', 5_000)}`);
  });
});
