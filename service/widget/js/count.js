// @ts-check
/*! Parley comment counts: count.js (source: service/widget/js/count.js), minified when served. */
/*
 * For article lists: every <span data-parley-count="/thread-key"></span> on the page gets its
 * thread's published comment count, with one request per 100 threads (the API's limit).
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
  const BATCH = 100;

  async function fill() {
    const spans = [...document.querySelectorAll("[data-parley-count]")];
    const keys = [...new Set(spans.map((el) => String(el.getAttribute("data-parley-count")).trim()).filter(Boolean))];
    for (let i = 0; i < keys.length; i += BATCH) {
      const params = new URLSearchParams({ site });
      for (const key of keys.slice(i, i + BATCH)) params.append("thread", key);
      let counts;
      try {
        const response = await fetch(`${BASE}/api/v1/counts?${params}`, { mode: "cors", credentials: "omit" });
        if (!response.ok) continue;
        counts = (await response.json()).counts || {};
      } catch {
        continue; // the page stays as it was; counts are decoration
      }
      for (const el of spans) {
        const n = counts[String(el.getAttribute("data-parley-count")).trim()];
        if (typeof n === "number") el.textContent = words(n);
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
