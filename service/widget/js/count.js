// @ts-check
/*! Parley comment counts: count.js (source: service/widget/js/count.js), minified when served. */
/*
 * For article lists: every <span data-parley-count="/thread-key"></span> on the page gets its
 * thread's published comment count, and every <span data-parley-likes="/thread-key"></span>
 * its page likes, with one request per 100 threads (the API's limit).
 *   <script src="https://comments.example.com/count.js" data-parley-site="demo" async></script>
 * The words follow data-parley-lang on the script, else the page's lang (en, ja, zh-CN).
 * Counts are written with textContent only.
 */
(() => {
  "use strict";

  const script = /** @type {HTMLScriptElement | undefined} */ (
    document.currentScript ||
      [...document.querySelectorAll("script[src]")].find((s) =>
        /\/count\.js([?#]|$)/.test(/** @type {HTMLScriptElement} */ (s).src),
      )
  );
  if (!script) return;
  const BASE = script.src.replace(/\/count\.js([?#].*)?$/, "");
  const site = (script.getAttribute("data-parley-site") || "").trim();
  if (!site) {
    console.error("Parley: data-parley-site is missing on the count script");
    return;
  }
  const lang = String(script.getAttribute("data-parley-lang") || document.documentElement.lang || "en").toLowerCase();
  /** @type {(n: number) => string} */
  const words = lang.startsWith("ja")
    ? (n) => `${n}件のコメント`
    : lang.startsWith("zh")
      ? (n) => `${n} 条评论`
      : (n) => (n === 1 ? "1 comment" : `${n} comments`);
  /** @type {(n: number) => string} */
  const likeWords = lang.startsWith("ja")
    ? (n) => `${n}件のいいね`
    : lang.startsWith("zh")
      ? (n) => `${n} 个赞`
      : (n) => (n === 1 ? "1 like" : `${n} likes`);
  /** @param {Element} el @param {string} name */
  const keyOf = (el, name) => String(el.getAttribute(name)).trim();
  const BATCH = 100;

  async function fill() {
    const spans = [...document.querySelectorAll("[data-parley-count]")];
    const likeSpans = [...document.querySelectorAll("[data-parley-likes]")];
    const keys = [
      ...new Set(
        [
          ...spans.map((el) => keyOf(el, "data-parley-count")),
          ...likeSpans.map((el) => keyOf(el, "data-parley-likes")),
        ].filter(Boolean),
      ),
    ];
    for (let i = 0; i < keys.length; i += BATCH) {
      const params = new URLSearchParams({ site });
      for (const key of keys.slice(i, i + BATCH)) params.append("thread", key);
      let counts, likes;
      try {
        const response = await fetch(`${BASE}/api/v1/counts?${params}`, { mode: "cors", credentials: "omit" });
        if (!response.ok) continue;
        const data = await response.json();
        counts = data.counts || {};
        likes = data.likes || {};
      } catch {
        continue; // the page stays as it was; counts are decoration
      }
      for (const el of spans) {
        const n = counts[keyOf(el, "data-parley-count")];
        if (typeof n === "number") el.textContent = words(n);
      }
      for (const el of likeSpans) {
        const n = likes[keyOf(el, "data-parley-likes")];
        if (typeof n === "number") el.textContent = likeWords(n);
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
