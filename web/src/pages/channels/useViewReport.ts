import { useEffect, useRef, type RefObject } from 'react';
import { api } from '../../api/client';
import { useWebConfig } from '../../auth';

/**
 * Counts the seconds actually played (seeking does not count) and reports one view when they reach
 * VIEW_COUNTS_AFTER (the deployment's, from /v1/web/config). One report per page visit; the API
 * counts a viewer once per dedup window anyway.
 */
export function useViewReport(media: RefObject<HTMLMediaElement | null>, contentId: string, onReported?: () => void) {
  const threshold = useWebConfig().data?.viewCountsAfterSeconds;
  const done = useRef(false);
  const reported = useRef(onReported);
  reported.current = onReported;
  useEffect(() => {
    const el = media.current;
    if (!el || threshold === undefined) return;
    let watched = 0;
    let last = el.currentTime;
    const onTime = () => {
      const delta = el.currentTime - last;
      last = el.currentTime;
      // A step of more than a second is a seek, not watching.
      if (!el.paused && delta > 0 && delta < 1.5) watched += delta;
      if (!done.current && watched >= threshold) {
        done.current = true;
        void api.POST('/v1/contents/{id}/views', { params: { path: { id: contentId } }, body: { watchedSeconds: watched } }).then(() => reported.current?.());
      }
    };
    const onSeek = () => (last = el.currentTime);
    el.addEventListener('timeupdate', onTime);
    el.addEventListener('seeked', onSeek);
    return () => {
      el.removeEventListener('timeupdate', onTime);
      el.removeEventListener('seeked', onSeek);
    };
  }, [media, contentId, threshold]);
}
