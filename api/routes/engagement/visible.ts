import type { Principal } from '../../../domain/auth';
import type { ContentViewer } from '../contents/viewer';

/**
 * The hot path of votes and views asks "may this caller see this content?" on every click. A
 * published, non-private content is visible to everyone, so that answer is kept for a few seconds
 * per content (a popular video then costs no database read per click); anything else (drafts,
 * private contents, unknown ids) goes through the viewer's full check every time. A content made
 * private or deleted stops taking votes and views within VISIBLE_TTL_MS (and the flush skips the
 * events of a deleted one). 15 s, not 5: with a thousand contents clicked at once, 5 s meant a
 * content read for every other click.
 */
const VISIBLE_TTL_MS = 15_000;
const MAX_ENTRIES = 50_000;

export function createVisibilityCache(viewer: ContentViewer) {
  const visibleUntil = new Map<string, number>();
  // The anonymous check in flight per content: when an entry expires under load, the clicks that
  // arrive meanwhile wait for that one read instead of each reading the content again.
  const checking = new Map<string, Promise<boolean>>();
  const checkPublic = (contentId: string): Promise<boolean> => {
    let check = checking.get(contentId);
    if (!check) {
      check = viewer
        .load(contentId, undefined)
        .then(({ content }) => content.status === 'published' && content.visibility !== 'private', () => false)
        .finally(() => checking.delete(contentId));
      checking.set(contentId, check);
    }
    return check;
  };
  return {
    async requireVisible(contentId: string, principal: Principal | undefined): Promise<void> {
      if ((visibleUntil.get(contentId) ?? 0) > Date.now()) return;
      if (await checkPublic(contentId)) {
        if (visibleUntil.size >= MAX_ENTRIES) visibleUntil.clear();
        visibleUntil.set(contentId, Date.now() + VISIBLE_TTL_MS);
        return;
      }
      // Not visible to everyone (or the read failed): the caller's own full check, every time.
      await viewer.load(contentId, principal);
    },
  };
}

export type VisibilityCache = ReturnType<typeof createVisibilityCache>;
