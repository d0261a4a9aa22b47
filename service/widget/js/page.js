// @ts-check
/* The page the widget is embedded in: its script tag, Parley's address, the mount point and
 * the embed's settings. */

import { pickLang } from "./i18n.js";

/** The embed script's tag, or undefined if it cannot be found. */
export const script = /** @type {HTMLScriptElement | undefined} */ (
  document.currentScript ||
    [...document.querySelectorAll("script[src]")].find((s) =>
      /\/embed\.js([?#]|$)/.test(/** @type {HTMLScriptElement} */ (s).src),
    )
);
export const BASE = script ? script.src.replace(/\/embed\.js([?#].*)?$/, "") : "";
export const ORIGIN = script ? new URL(BASE).origin : "";

/**
 * @typedef {object} Config
 * @property {string} site
 * @property {string} thread
 * @property {string} title
 * @property {string} url
 * @property {string} lang
 * @property {string} theme
 */

/**
 * The element to mount in, or null when the widget is already mounted there.
 * @param {HTMLScriptElement} script
 */
export function findHost(script) {
  const marked = [...document.querySelectorAll("[data-parley-thread]")].find(
    (el) => el.tagName !== "SCRIPT" && !el.shadowRoot,
  );
  const host = marked || document.getElementById("parley");
  if (host && !host.shadowRoot) return host;
  if (host && host.shadowRoot) return null; // already mounted
  const created = document.createElement("div");
  created.id = "parley";
  script.after(created);
  return created;
}

/**
 * The embed's settings: each attribute on the script wins over the same on the host.
 * @param {HTMLScriptElement} script
 * @param {Element} host
 * @returns {Config}
 */
export function readConfig(script, host) {
  /** @param {string} name */
  const attr = (name) =>
    (
      script.getAttribute(`data-parley-${name}`) ||
      host.getAttribute(`data-parley-${name}`) ||
      ""
    ).trim();
  const link = /** @type {HTMLLinkElement | null} */ (
    document.querySelector('link[rel="canonical"]')
  );
  // Parley accepts a thread URL only on one of the site's origins; the page's own origin
  // is one (Parley checked it), a canonical URL elsewhere may not be.
  const canonical = link && sameOrigin(link.href) ? link : null;
  return {
    site: attr("site"),
    thread: attr("thread") || location.pathname,
    title: (attr("title") || document.title || "").slice(0, 300),
    url: (attr("url") || (canonical && canonical.href) || location.href.split("#")[0]).slice(
      0,
      2048,
    ),
    lang: pickLang(attr("lang") || document.documentElement.lang || navigator.language),
    theme: attr("theme"),
  };
}

/** @param {string} href */
function sameOrigin(href) {
  try {
    return new URL(href).origin === location.origin;
  } catch {
    return false;
  }
}
