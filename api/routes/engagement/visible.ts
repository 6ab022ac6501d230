import type { Principal } from '../../../domain/auth';
import type { ContentViewer } from '../contents/viewer';

/**
 * The hot path of votes and views asks "may this caller see this content?" on every click. A
 * published, non-private content is visible to everyone, so that answer is kept for a few seconds
 * per content (a popular video then costs no database read per click); anything else (drafts,
 * private contents, unknown ids) goes through the viewer's full check every time. A content made
 * private or deleted stops taking votes and views within VISIBLE_TTL_MS.
 */
const VISIBLE_TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;

export function createVisibilityCache(viewer: ContentViewer) {
  const visibleUntil = new Map<string, number>();
  return {
    async requireVisible(contentId: string, principal: Principal | undefined): Promise<void> {
      const now = Date.now();
      if ((visibleUntil.get(contentId) ?? 0) > now) return;
      const { content } = await viewer.load(contentId, principal);
      if (content.status === 'published' && content.visibility !== 'private') {
        if (visibleUntil.size >= MAX_ENTRIES) visibleUntil.clear();
        visibleUntil.set(contentId, now + VISIBLE_TTL_MS);
      }
    },
  };
}

export type VisibilityCache = ReturnType<typeof createVisibilityCache>;
