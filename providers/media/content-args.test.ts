import { normaliseArgs, outputFormat, parseEbur128Summary, toAudioProbe } from './audio';
import { hlsEncodeArgs, masterBandwidths } from './hls';

describe('content media command lines', () => {
  it('encodes every rendition in one run: one decode, split, one stream map', () => {
    const args = hlsEncodeArgs(
      { inputPath: 'in.mp4', outputDir: '/out', segmentSeconds: 4, hasAudio: true, renditions: [{ name: '360p', width: 640, height: 360, maxrateKbps: 900, bufsizeKbps: 1800 }, { name: '720p', width: 1280, height: 720, maxrateKbps: 3000, bufsizeKbps: 6000 }] },
      { crf: 28, preset: 'veryfast', audioBitrateKbps: 128 },
    );
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    expect(args[args.indexOf('-filter_complex') + 1]).toBe('[0:v:0]split=2[s0][s1];[s0]scale=640:360:flags=bicubic,setsar=1,format=yuv420p[v0];[s1]scale=1280:720:flags=bicubic,setsar=1,format=yuv420p[v1]');
    expect(args[args.indexOf('-var_stream_map') + 1]).toBe('v:0,a:0,name:360p v:1,a:1,name:720p');
    expect(args[args.indexOf('-hls_time') + 1]).toBe('4');
    expect(args[args.indexOf('-force_key_frames') + 1]).toBe('expr:gte(t,n_forced*4)');
    expect(args).toEqual(expect.arrayContaining(['-maxrate:v:1', '3000k', '-master_pl_name', 'master.m3u8']));
  });

  it('maps no audio for a silent video', () => {
    const args = hlsEncodeArgs({ inputPath: 'in.mp4', outputDir: '/out', segmentSeconds: 4, hasAudio: false, renditions: [{ name: '240p', width: 320, height: 240, maxrateKbps: 900, bufsizeKbps: 1800 }] }, { crf: 28, preset: 'veryfast', audioBitrateKbps: 128 });
    expect(args).not.toContain('0:a:0');
    expect(args[args.indexOf('-var_stream_map') + 1]).toBe('v:0,name:240p');
    expect(args[args.indexOf('-filter_complex') + 1]).toMatch(/^\[0:v:0\]scale=320:240/);
  });

  it('reads BANDWIDTH per rendition from the master playlist', () => {
    const master = '#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-STREAM-INF:BANDWIDTH=1130800,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"\n360p/index.m3u8\n\n#EXT-X-STREAM-INF:BANDWIDTH=3440800,RESOLUTION=1280x720\n720p/index.m3u8\n';
    expect([...masterBandwidths(master)]).toEqual([['360p', 1130800], ['720p', 3440800]]);
  });

  it('parses the ebur128 summary and passes the measures to loudnorm', () => {
    const stderr = `[Parsed_ebur128_0 @ 0x1] t: 1 M: -20 I: -99 LUFS\n[Parsed_ebur128_0 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -32.3 LUFS\n    Threshold: -42.3 LUFS\n\n  Loudness range:\n    LRA:         3.1 LU\n    Threshold: -52.3 LUFS\n\n  True peak:\n    Peak:      -31.5 dBFS\n`;
    const measure = parseEbur128Summary(stderr)!;
    expect(measure).toEqual({ integratedLufs: -32.3, thresholdLufs: -42.3, lraLu: 3.1, truePeakDb: -31.5 });
    const args = normaliseArgs({ inputPath: 'in.wav', outputPath: 'out.m4a', targetLufs: -14, truePeakDb: -1, bitrateKbps: 128 }, measure, outputFormat({ sampleRate: 96_000, channels: 6 }));
    const graph = args[args.indexOf('-filter_complex') + 1];
    expect(graph).toContain('loudnorm=I=-14:TP=-1:LRA=7:measured_I=-32.3:measured_TP=-31.5:measured_LRA=3.1:measured_thresh=-42.3:linear=true');
    expect(graph).toContain('aformat=sample_rates=48000:channel_layouts=stereo[out]');
    expect(args).toEqual(expect.arrayContaining(['-b:a', '128k', '-f', 's16le', 'pipe:1']));
  });

  it('takes audio with a cover picture, refuses text and pictures', () => {
    expect(toAudioProbe({ format: { format_name: 'mp3', duration: '12.5' }, streams: [{ codec_type: 'audio', codec_name: 'mp3', sample_rate: '44100', channels: 2 }, { codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } }] })).toMatchObject({ isAudio: true, durationSeconds: 12.5, channels: 2 });
    expect(toAudioProbe({ format: { format_name: 'tty' }, streams: [{ codec_type: 'video', codec_name: 'ansi' }] }).isAudio).toBe(false);
    expect(toAudioProbe({ format: { format_name: 'image2' }, streams: [{ codec_type: 'video', codec_name: 'png' }] }).isAudio).toBe(false);
  });
});
