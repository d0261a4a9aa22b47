// @ts-check
/* New comments published by others, arriving over Server-Sent Events while the page is open. */

import { q } from "./api.js";
import { BASE } from "./page.js";

/**
 * @param {import("./widget.js").Widget} w
 * @param {import("./thread.js").Thread} thread
 * @returns {{listen: () => void, renew: () => void}} ``listen`` opens the stream (once; again
 *   later if the browser gave up); ``renew`` opens it now unless it is open: the server sends a
 *   thread with no comments yet only "come back in a minute", so after the reader's own first
 *   comment the widget asks again at once.
 */
export function liveFor(w, thread) {
  const { t, config, state, root, liveBadge } = w;
  /** @type {EventSource | null} */
  let events = null;

  function listen() {
    if (!window.EventSource || events) return;
    const newest = Math.max(0, ...state.comments.keys());
    // Only a fully loaded thread asks for a replay; otherwise "Load more" brings older ones.
    const after = state.next == null ? newest : undefined;
    events = new EventSource(
      `${BASE}/api/v1/threads/events?${q({ site: config.site, thread: config.thread, after })}`,
    );
    events.addEventListener("open", () => (liveBadge.hidden = false));
    events.addEventListener("comment", (event) => {
      let c;
      try {
        c = JSON.parse(/** @type {MessageEvent} */ (event).data);
      } catch {
        return;
      }
      const mine = root.getElementById(`parley-pending-${c.id}`);
      if (state.comments.has(c.id)) return c.deleted ? thread.drop(c.id) : thread.refresh(c);
      // Deleted before this page showed it (a replay brings its tombstone): nothing to add.
      if (c.deleted) return;
      if (thread.addComment(c, { fresh: true })) {
        w.setTotal(state.total + 1);
        w.announce(
          mine
            ? t("published")
            : t("newComment", { name: (c.author && c.author.name) || t("anonymous") }),
        );
      }
    });
    events.addEventListener("error", () => {
      liveBadge.hidden = true;
      // EventSource retries by itself after a stream ends; if it gave up, try again later.
      if (events && events.readyState === EventSource.CLOSED) {
        events = null;
        setTimeout(listen, 30000);
      }
    });
  }

  function renew() {
    if (events && events.readyState === EventSource.OPEN) return;
    if (events) events.close();
    events = null;
    listen();
  }

  return { listen, renew };
}
