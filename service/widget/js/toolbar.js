// @ts-check
/* Above the thread: the page's likes (count, signed-in likers' avatars, the reader's Like),
 * the order of the comments (remembered in this browser), and whether the thread is closed. */

import { avatar } from "./avatar.js";
import { h } from "./elements.js";
import { BASE } from "./page.js";
import { storage } from "./storage.js";

const SORTS = /** @type {const} */ (["oldest", "newest", "top"]);

/**
 * @param {import("./widget.js").Widget} w
 * @param {import("./form.js").Form} form
 * @param {import("./thread.js").Thread} thread
 */
export function toolbarFor(w, form, thread) {
  const { t, config, state, api, keys, section, list, announce } = w;

  const likeButton = h("button", { type: "button", class: "button like", "aria-pressed": "false" });
  const likeText = h("span", { class: "like-text" });
  const likers = h("span", { class: "likers" });
  const likes = h("div", { class: "likes" }, likeButton, likeText, likers);

  const sortSelect = h(
    "select",
    { id: "parley-sort" },
    SORTS.map((s) => h("option", { value: s }, t(s))),
  );
  const sortRow = h(
    "div",
    { class: "sort" },
    h("label", { for: "parley-sort" }, t("sortBy")),
    sortSelect,
  );
  const closedNote = h("p", { class: "closed", hidden: true }, t("closed"));
  section.insertBefore(h("div", { class: "toolbar" }, likes, sortRow), list);
  section.insertBefore(closedNote, list);

  // The thread's newest comments as an Atom feed, next to "Comments by Parley".
  const feed = `${BASE}/api/v1/feeds/comments.atom?site=${encodeURIComponent(config.site)}&thread=${encodeURIComponent(config.thread)}`;
  section
    .querySelector(".powered")
    ?.prepend(h("a", { href: feed, type: "application/atom+xml", class: "feed" }, t("feed")), " · ");

  let liked = storage.get(keys.liked) === true;

  /** @param {any} data ``likes`` as the API gives it */
  function showLikes(data) {
    const n = (data && data.count) || 0;
    likeButton.textContent = t(liked ? "liked" : "like");
    likeButton.setAttribute("aria-pressed", String(liked));
    likeText.textContent = n ? t(n === 1 ? "likesOne" : "likesCount", { n }) : "";
    likers.replaceChildren(
      ...((data && data.likers) || []).map((/** @type {any} */ p) => {
        const face = avatar(p, 24);
        face.setAttribute("title", p.name || "");
        return face;
      }),
    );
  }

  likeButton.addEventListener("click", async () => {
    try {
      const answer = await api("/api/v1/threads/like", {
        method: "POST",
        body: {
          site: config.site,
          thread: config.thread,
          value: liked ? 0 : 1,
          title: config.title || undefined,
          url: config.url || undefined,
        },
        auth: true,
        headers: w.browserHeaders(),
      });
      liked = !liked;
      storage.set(keys.liked, liked || null);
      showLikes(answer.likes);
      announce(likeText.textContent || t(liked ? "liked" : "like"));
    } catch (error) {
      announce(t("errGeneric", { message: /** @type {any} */ (error).message || "" }));
    }
  });

  sortSelect.addEventListener("change", async () => {
    state.sort = sortSelect.value;
    storage.set(keys.sort, state.sort);
    thread.reset();
    await thread.loadPage();
    announce(t("sortedBy", { order: t(state.sort) }));
  });

  function showClosed() {
    closedNote.hidden = !state.closed;
    // A closed thread still shows its comments; only the form goes.
    form.form.parentElement?.toggleAttribute("hidden", state.closed);
  }
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let closing;
  thread.onPage((page) => {
    sortSelect.value = state.sort;
    showLikes(page.likes);
    showClosed();
    // A thread that closes by age closes in front of a reader who kept the page open.
    clearTimeout(closing);
    const left = page.closes_at ? Date.parse(page.closes_at) - Date.now() : NaN;
    if (left > 0 && left < 2 ** 31)
      closing = setTimeout(() => {
        state.closed = true;
        showClosed();
      }, left);
  });
}
