import { useEffect, useRef, useState } from 'react';
import type { Content } from './data';
import { useViewReport } from './useViewReport';

type Playback = NonNullable<Content['playback']>;

/**
 * A video through HLS: the browser's own player where it plays HLS (Safari, Android), else hls.js,
 * loaded on demand (Chromium and Firefox) — from this server's bundle, in the page (no worker:
 * the CSP allows no blob: workers). The signed URLs of the first load are kept: a refetch of the
 * content brings fresh ones but must not restart playback.
 */
export function VideoPlayer({ contentId, playback, title, onView }: { contentId: string; playback: Playback; title: string; onView?: () => void }) {
  const ref = useRef<HTMLVideoElement>(null);
  const [source] = useState(playback);
  const [error, setError] = useState<string | null>(null);
  useViewReport(ref, contentId, onView);
  useEffect(() => {
    const video = ref.current;
    if (!video || !source.hls) return;
    if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = source.hls;
      return;
    }
    let destroyed = false;
    let hls: { destroy(): void } | undefined;
    void import('hls.js/light').then(({ default: Hls }) => {
      if (destroyed) return;
      if (!Hls.isSupported()) {
        video.src = source.download; // no MSE: the progressive MP4
        return;
      }
      const player = new Hls({ enableWorker: false });
      hls = player;
      player.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) setError(`The video could not be played (${data.details}).`);
      });
      player.loadSource(source.hls!);
      player.attachMedia(video);
    }, () => setError('The video player could not be loaded.'));
    return () => {
      destroyed = true;
      hls?.destroy();
    };
  }, [source]);
  return (
    <div className="player">
      <video ref={ref} controls playsInline poster={source.poster} aria-label={`Video: ${title}`} data-testid="content-video" />
      {error && <p role="alert" className="alert">{error}</p>}
    </div>
  );
}

/** A track: the browser's audio player, with the waveform's 800 peaks drawn under it (played part in colour). */
export function TrackPlayer({ contentId, playback, title, onView }: { contentId: string; playback: Playback; title: string; onView?: () => void }) {
  const ref = useRef<HTMLAudioElement>(null);
  const [source] = useState(playback);
  const [peaks, setPeaks] = useState<number[] | null>(null);
  const [played, setPlayed] = useState(0);
  useViewReport(ref, contentId, onView);
  useEffect(() => {
    if (!source.waveform) return;
    let live = true;
    fetch(source.waveform)
      .then((res) => (res.ok ? (res.json() as Promise<{ peaks: number[] }>) : null))
      .then((body) => live && body && setPeaks(body.peaks))
      .catch(() => undefined); // the waveform is decoration: the player works without it
    return () => {
      live = false;
    };
  }, [source]);
  // 800 peaks → 200 bars (the maximum of each 4): enough detail for the width of a page.
  const bars = peaks ? Array.from({ length: Math.ceil(peaks.length / 4) }, (_, i) => Math.max(...peaks.slice(i * 4, i * 4 + 4))) : [];
  return (
    <div className="player player-track">
      {bars.length > 0 && (
        <svg className="waveform" viewBox={`0 0 ${bars.length * 3} 60`} preserveAspectRatio="none" aria-hidden="true">
          {bars.map((p, i) => (
            <rect key={i} x={i * 3} y={30 - Math.max(1, p * 28)} width={2} height={Math.max(2, p * 56)} className={i / bars.length < played ? 'wave-played' : 'wave-rest'} />
          ))}
        </svg>
      )}
      <audio
        ref={ref}
        controls
        src={source.download}
        aria-label={`Track: ${title}`}
        data-testid="content-audio"
        onTimeUpdate={(e) => setPlayed(e.currentTarget.duration ? e.currentTarget.currentTime / e.currentTarget.duration : 0)}
      />
    </div>
  );
}
