/**
 * View dedup: one viewer counts once per window on one content. A view counts when the viewer's
 * last counted view is at least `windowMs` older; a view inside the window counts nothing and does
 * not extend it (so a viewer who keeps watching counts once per window, not once ever).
 * `marks` holds the last counted time of each (content, viewer) known before the batch and is
 * updated in place; answers how many views count per content.
 */
export function countViews(views: Iterable<{ contentId: string; viewerKey: string; at: string }>, marks: Map<string, number>, windowMs: number): Map<string, number> {
  const counted = new Map<string, number>();
  for (const view of views) {
    const key = `${view.contentId}\u0000${view.viewerKey}`;
    const at = Date.parse(view.at);
    const last = marks.get(key);
    // An earlier-stamped view arriving late (another API's clock) is inside the window too.
    if (last !== undefined && at - last < windowMs) continue;
    marks.set(key, at);
    counted.set(view.contentId, (counted.get(view.contentId) ?? 0) + 1);
  }
  return counted;
}
