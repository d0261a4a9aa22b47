// @ts-check
/* The thread: published comments nested under their parents, page by page, and the reader's
 * own comments awaiting moderation, which only this browser knows. */

import { q } from "./api.js";
import { avatar } from "./avatar.js";
import { h, safeUrl } from "./elements.js";
import { cleanHtml } from "./sanitizer.js";
import { storage } from "./storage.js";

const PENDING_DAYS = 30;

/**
 * @typedef {object} Pending a comment of this reader's that waits for a moderator
 * @property {number} id
 * @property {number | null} parent
 * @property {string} body
 * @property {number} created ms since the epoch
 * @property {number} depth
 * @property {string | null} name
 * @property {string | null} avatar_url
 * @property {string} [key] shows this reader the comment's status before it is published
 *
 * @typedef {ReturnType<typeof threadFor>} Thread
 */

/**
 * @param {import("./widget.js").Widget} w
 * @param {import("./form.js").Form} form
 * @param {import("./actions.js").Actions} actions
 * @param {() => void} retry loads the thread again after a failed first load
 */
export function threadFor(w, form, actions, retry) {
  const { t, config, state, root, list, notice, moreButton, api, keys } = w;
  moreButton.addEventListener("click", () => loadPage());
  /** @type {((page: any) => void)[]} */
  const pageListeners = [];
  /** @type {((id: number) => void)[]} called when a comment shown as awaiting is published */
  const publishedListeners = [];

  /**
   * @param {any} author
   * @param {string} id
   */
  function authorEl(author, id) {
    const name = (author && author.name) || t("anonymous");
    const url = safeUrl(author && author.url);
    return url
      ? h(
          "a",
          { class: "author", id, href: url, rel: "nofollow ugc noopener noreferrer", target: "_blank" },
          name,
        )
      : h("span", { class: "author", id }, name);
  }

  /** @param {number | null | undefined} parentId */
  function childrenOf(parentId) {
    const parent = parentId != null && state.comments.get(parentId);
    if (!parent) return list;
    let ol = parent.li.querySelector(":scope > .children");
    if (!ol) {
      ol = h("ol", { class: "children" });
      // Before the form if it is open under this comment, so replies read in order.
      parent.li.append(ol);
    }
    return ol;
  }

  /**
   * @param {any} c a comment as the API returns it
   * @param {{pending?: boolean}} [options]
   */
  function commentEl(c, { pending = false } = {}) {
    const author = c.author || {};
    const authorId = `parley-author-${pending ? "p" : ""}${c.id}`;
    const body = pending
      ? h(
          "div",
          { class: "body-wrap" },
          h("p", { class: "note" }, t("awaiting")),
          h("div", { class: "text" }, c.body || ""),
        )
      : h("div", { class: "body" }, cleanHtml(c.body_html));
    const canReply = !pending && !c.deleted && !state.closed && (c.depth || 0) < state.maxDepth;
    const replyButton = canReply
      ? h(
          "button",
          {
            type: "button",
            class: "link-button reply",
            "aria-label": t("replyTo", { name: author.name || t("anonymous") }),
            onclick: (/** @type {Event} */ event) =>
              form.openReply(
                c.id,
                author.name || t("anonymous"),
                /** @type {HTMLElement} */ (event.currentTarget),
              ),
          },
          t("reply"),
        )
      : null;
    const main = h(
      "div",
      { class: "main" },
      h(
        "div",
        { class: "meta" },
        authorEl(author, authorId),
        w.timeEl(c.created_at, pending ? null : c.id),
        c.pinned && h("span", { class: "badge" }, t("pinned")),
        c.edited && h("span", { class: "edited" }, t("edited")),
      ),
      body,
    );
    const article = c.deleted
      ? actions.tombstone(c.id)
      : h(
          "article",
          { tabindex: "-1", "aria-labelledby": authorId },
          avatar(author, (c.depth || 0) > 0 ? 32 : 40),
          main,
        );
    const li = h(
      "li",
      {
        class: `comment${pending ? " pending" : ""}${c.pinned ? " pinned" : ""}`,
        id: pending ? `parley-pending-${c.id}` : `parley-comment-${c.id}`,
      },
      article,
    );
    if (!pending && !c.deleted) main.append(actions.row(c, replyButton, () => ({ li, main })));
    return li;
  }

  /**
   * The top-level comment a new one arriving live goes before, in the order the reader chose
   * (the server's, ``service/comments/ranking.py``): pinned ones first; then under "newest" the
   * newer first, under "top" those with up votes first (a new comment has none, and without
   * votes the newer comes first); under "oldest" it goes last (null).
   * @param {any} c
   */
  function nextInOrder(c) {
    if (state.sort !== "newest" && state.sort !== "top") return null;
    for (const li of list.children) {
      const entry = state.comments.get(Number(li.id.replace("parley-comment-", "")));
      if (!entry || entry.li !== li || entry.data.pinned) continue;
      if (state.sort === "top" && (entry.data.votes || 0) > 0) continue;
      if (entry.data.id < c.id) return li;
    }
    return null;
  }

  /**
   * Adds a published comment once; replaces its "awaiting moderation" copy if there is one.
   * @param {any} c
   * @param {{fresh?: boolean}} [options]
   */
  function addComment(c, { fresh = false } = {}) {
    if (!c || typeof c.id !== "number" || state.comments.has(c.id))
      return state.comments.get(c && c.id);
    // Its author deleted it here; a late answer to the post or a replay must not revive it.
    if (state.deleted.has(c.id)) return undefined;
    const li = commentEl(c);
    const entry = { data: c, li };
    if (fresh) {
      li.classList.add("fresh");
      // The entry's li: a redraw may have replaced this one meanwhile.
      setTimeout(() => entry.li.classList.remove("fresh"), 2500);
    }
    const pendingLi = root.getElementById(`parley-pending-${c.id}`);
    if (pendingLi) {
      const kids = pendingLi.querySelector(":scope > .children");
      if (kids) li.append(kids);
      pendingLi.replaceWith(li);
      forgetPending(c.id);
    } else if (fresh && c.parent == null) {
      list.insertBefore(li, nextInOrder(c));
    } else {
      childrenOf(c.parent).append(li);
    }
    state.comments.set(c.id, entry);
    form.keepFormLast(c.parent);
    notice.hidden = true;
    if (pendingLi) for (const listener of publishedListeners) listener(c.id);
    return entry;
  }

  /**
   * Draws comment ``id`` again from what is known of it: the live stream can bring the reader's
   * own comment before the answer to their POST says it is theirs (edit and delete then show).
   * @param {number} id
   */
  function redraw(id) {
    const entry = state.comments.get(id);
    if (!entry) return;
    const li = commentEl(entry.data);
    // Only the comment itself is drawn again: its replies, and the reply form if the reader
    // opened it under the comment meanwhile, move over as they are.
    // Moving an element takes the focus from it: give it back (the reader may be typing there).
    const active = /** @type {HTMLElement | null} */ (root.activeElement);
    const focused = active && entry.li.contains(active) ? active : null;
    const article = entry.li.querySelector(":scope > article");
    for (const child of [...entry.li.children]) if (child !== article) li.append(child);
    li.className = entry.li.className; // "fresh" (its timer still ends it), "target"
    entry.li.replaceWith(li);
    entry.li = li;
    if (focused && focused.isConnected) focused.focus({ preventScroll: true });
    else if (focused) li.querySelector("article")?.focus({ preventScroll: true });
  }

  /** @returns {Pending[]} */
  function pendingList() {
    const cutoff = Date.now() - PENDING_DAYS * 86400000;
    const items = storage.get(keys.pending);
    return Array.isArray(items)
      ? items.filter((p) => p && typeof p.id === "number" && p.created > cutoff)
      : [];
  }

  /** @param {Pending} item */
  function rememberPending(item) {
    storage.set(keys.pending, [...pendingList().filter((p) => p.id !== item.id), item]);
  }

  /** @param {number} id */
  function forgetPending(id) {
    const rest = pendingList().filter((p) => p.id !== id);
    storage.set(keys.pending, rest.length ? rest : null);
  }

  /** @param {Pending} item */
  function showPending(item) {
    if (state.comments.has(item.id) || root.getElementById(`parley-pending-${item.id}`)) {
      return root.getElementById(`parley-pending-${item.id}`);
    }
    const li = commentEl(
      {
        id: item.id,
        parent: item.parent,
        depth: item.depth,
        created_at: new Date(item.created).toISOString(),
        author: { name: item.name, avatar_url: item.avatar_url },
        body: item.body,
      },
      { pending: true },
    );
    childrenOf(item.parent).append(li);
    form.keepFormLast(item.parent);
    notice.hidden = true;
    return li;
  }

  async function restorePending() {
    for (const item of pendingList()) {
      if (state.comments.has(item.id)) {
        forgetPending(item.id);
        continue;
      }
      showPending(item);
      // Decided while the reader was away? Published ones move into the thread, rejected vanish.
      api(`/api/v1/comments/${item.id}?${q({ key: item.key })}`).then(
        ({ comment }) => {
          if (comment.status === "published") {
            if (!state.comments.has(comment.id)) w.setTotal(state.total + 1);
            addComment(comment);
          } else if (comment.status === "rejected") {
            forgetPending(item.id);
            const li = root.getElementById(`parley-pending-${item.id}`);
            if (li) li.remove();
          }
        },
        (error) => {
          if (error.status === 404) forgetPending(item.id);
        },
      );
    }
  }

  /** The next page of the thread; false if it could not be loaded. */
  async function loadPage() {
    const first = state.next == null && state.comments.size === 0;
    moreButton.disabled = true;
    list.setAttribute("aria-busy", "true");
    try {
      const page = await api(
        `/api/v1/comments?${q({ site: config.site, thread: config.thread, after: state.next || undefined, limit: 100, sort: state.sort || undefined })}`,
        // Public and cacheable: revalidated (ETag, 304) on every load, never shown stale.
        { cache: "no-cache" },
      );
      state.maxDepth = typeof page.max_depth === "number" ? page.max_depth : state.maxDepth;
      state.sort = page.sort || "oldest";
      state.downVotes = Boolean(page.down_votes);
      state.editWindow = Number(page.edit_window_minutes) || 0;
      state.closed = Boolean(page.closed);
      state.challenge = String(page.challenge || "off");
      state.captcha = page.captcha || null;
      for (const listener of pageListeners) listener(page);
      for (const c of page.comments) addComment(c);
      w.setTotal(page.total);
      state.next = page.next_cursor;
      moreButton.hidden = state.next == null;
      notice.hidden = state.comments.size > 0;
      notice.className = "empty";
      notice.textContent = t("empty");
      return true;
    } catch {
      if (first) {
        notice.className = "problem";
        notice.replaceChildren(
          t("loadFailed"),
          " ",
          h("button", { type: "button", class: "link-button", onclick: () => retry() }, t("retry")),
        );
      }
      return false;
    } finally {
      moreButton.disabled = false;
      list.removeAttribute("aria-busy");
    }
  }

  /**
   * A comment already shown came again (its author edited it, the worker published the new
   * text): show the new text, marked "edited".
   * @param {any} c
   */
  function refresh(c) {
    const entry = state.comments.get(c.id);
    const article = entry && entry.li.querySelector(":scope > article");
    const body = article && article.querySelector(".body");
    if (!entry || !article || !body || !c.body_html || c.body_html === entry.data.body_html) return;
    entry.data = c;
    body.replaceChildren(cleanHtml(c.body_html));
    if (!article.querySelector(".edited"))
      article.querySelector(".meta")?.append(h("span", { class: "edited" }, t("edited")));
  }

  /**
   * A comment shown here was deleted by its author elsewhere (the live stream brought it back
   * marked deleted): it goes, or stays as a tombstone while replies hang from it, as when its
   * author deletes it on this page.
   * @param {number} id
   */
  function drop(id) {
    const entry = state.comments.get(id);
    if (!entry || entry.data.deleted) return;
    if (entry.li.querySelector(":scope > .children > li")) {
      entry.data = { ...entry.data, deleted: true, author: null, body_html: "" };
      redraw(id);
    } else {
      entry.li.remove();
      state.comments.delete(id);
      state.deleted.add(id);
    }
    w.setTotal(state.total - 1);
  }

  /** Forgets the comments shown, so the next page is the first again (a new order). */
  function reset() {
    state.comments.clear();
    state.next = null;
    list.replaceChildren();
    form.closeReply(false);
  }

  /**
   * The comment ``id``, loading more pages until it is there or there are no more.
   * @param {number} id
   */
  async function find(id) {
    while (!state.comments.has(id) && state.next != null) {
      if (!(await loadPage())) break;
    }
    return state.comments.get(id);
  }

  return {
    addComment,
    redraw,
    refresh,
    drop,
    rememberPending,
    showPending,
    restorePending,
    loadPage,
    reset,
    find,
    onPage: (/** @type {(page: any) => void} */ fn) => pageListeners.push(fn),
    onPublished: (/** @type {(id: number) => void} */ fn) => publishedListeners.push(fn),
  };
}
