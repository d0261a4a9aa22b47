// @ts-check
/* When a comment was written, as "3 minutes ago" in the reader's language, kept up to date. */

import { h } from "./elements.js";

const UNITS = /** @type {const} */ ([
  ["year", 31536000],
  ["month", 2592000],
  ["week", 604800],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
]);

/**
 * Relative times and <time> elements in ``lang``.
 * @param {string} lang
 */
export function clockFor(lang) {
  const rtf =
    window.Intl && Intl.RelativeTimeFormat
      ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" })
      : null;
  const dtf = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" });

  /** @param {Date} date */
  function relative(date) {
    const seconds = (date.getTime() - Date.now()) / 1000;
    if (!rtf) return dtf.format(date);
    if (Math.abs(seconds) < 45) return rtf.format(0, "second");
    for (const [unit, size] of UNITS) {
      if (Math.abs(seconds) >= size || unit === "second")
        return rtf.format(Math.round(seconds / size), unit);
    }
    return dtf.format(date);
  }

  /**
   * The time, linked to the comment when it has an id.
   * @param {string} iso
   * @param {number | null} id
   */
  function timeEl(iso, id) {
    const date = new Date(iso);
    const valid = !Number.isNaN(date.getTime());
    const time = h(
      "time",
      valid ? { datetime: date.toISOString(), title: dtf.format(date) } : null,
      valid ? relative(date) : "",
    );
    return id
      ? h("a", { class: "time", href: `#parley-comment-${id}` }, time)
      : h("span", { class: "time" }, time);
  }

  /**
   * Rewrites every time under ``root`` once a minute, so "just now" does not stay forever.
   * @param {ShadowRoot} root
   */
  function keepFresh(root) {
    setInterval(() => {
      for (const time of root.querySelectorAll("time[datetime]")) {
        time.textContent = relative(new Date(/** @type {string} */ (time.getAttribute("datetime"))));
      }
    }, 60000);
  }

  return { timeEl, keepFresh };
}
