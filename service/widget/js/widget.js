// @ts-check
/* One mounted widget's shared parts: its settings, words, state, storage keys, API client and
 * the skeleton of its Shadow DOM that the form, the thread and sign-in fill in. */

import { apiClient } from "./api.js";
import { h } from "./elements.js";
import { countOf, translator } from "./i18n.js";
import { ORIGIN } from "./page.js";
import { storage } from "./storage.js";
import { clockFor } from "./time.js";

/**
 * @typedef {object} Identity
 * @property {string | null} name
 * @property {string | null} avatar_url
 * @property {string} provider
 * @property {string} provider_label
 *
 * @typedef {{token: string, identity: Identity, expires: number, sso?: string}} Auth
 *   sso: which host JWT a sign-in through the host site came from (service/widget/js/sso.js)
 *
 * @typedef {object} Provider
 * @property {string} name
 * @property {string} label
 * @property {string} [icon]
 * @property {string} [login_url]
 *
 * @typedef {object} State
 * @property {Map<number, {data: any, li: HTMLLIElement}>} comments by id
 * @property {Set<number>} deleted comments this reader deleted here: an answer or an event
 *   still on its way must not bring one back
 * @property {number} total
 * @property {string | null} next the cursor of the next page
 * @property {number} maxDepth
 * @property {string | null} renderToken
 * @property {Provider[]} providers
 * @property {Auth | null} auth
 * @property {number | null} replyTo
 * @property {HTMLElement | null} replyButton
 * @property {boolean} signinRequired
 * @property {string} sort the thread's order: oldest, newest or top
 * @property {boolean} downVotes the site lets readers vote down
 * @property {number} editWindow minutes an author may edit or delete
 * @property {boolean} closed the thread takes no new comments
 * @property {string} challenge the site's challenge policy ("off": never asked)
 * @property {{provider: string, site_key: string, script: string} | null} captcha Turnstile or
 *   hCaptcha in place of ALTCHA, where the operator configured one
 *
 * @typedef {ReturnType<typeof widgetFor>} Widget
 */

/**
 * @param {Element} host
 * @param {import("./page.js").Config} config
 */
export function widgetFor(host, config) {
  const t = translator(config.lang);
  if (config.theme === "light" || config.theme === "dark")
    host.setAttribute("data-parley-theme", config.theme);

  const KEY = `parley:${ORIGIN}:${config.site}`;
  const keys = {
    auth: `${KEY}:auth`,
    pending: `${KEY}:pending:${config.thread}`,
    guest: `parley:${ORIGIN}:guest`,
    notify: `parley:${ORIGIN}:notify`,
    // This browser's own comments (id -> their secret), votes and order: localStorage only.
    mine: `${KEY}:mine`,
    votes: `${KEY}:votes`,
    sort: `${KEY}:sort`,
    liked: `${KEY}:liked:${config.thread}`,
    browser: `parley:${ORIGIN}:browser`,
  };

  /** @type {State} */
  const state = {
    comments: new Map(),
    deleted: new Set(),
    total: 0,
    next: null,
    maxDepth: 5,
    renderToken: null,
    providers: [],
    auth: storage.get(keys.auth),
    replyTo: null,
    replyButton: null,
    signinRequired: false,
    sort: String(storage.get(keys.sort) || ""),
    downVotes: false,
    editWindow: 0,
    closed: false,
    challenge: "off",
    captcha: null,
  };

  const root = host.attachShadow({ mode: "open" });
  // A constructed stylesheet is not an inline <style>, so a host page's CSP without
  // 'unsafe-inline' in style-src still lets the widget look right.
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(SERVER.css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(h("style", null, SERVER.css));
  }
  const heading = h("h2", { id: "parley-heading" }, t("comments"));
  const liveBadge = h("span", { class: "live", hidden: true }, t("live"));
  const status = h("div", {
    class: "sr-only",
    role: "status",
    "aria-live": "polite",
    "aria-atomic": "true",
  });
  const list = h("ol", { class: "thread" });
  const notice = h("p", { class: "loading" }, t("loading"));
  const moreButton = h("button", { type: "button", class: "button more", hidden: true }, t("more"));
  const section = h(
    "section",
    { class: "parley", lang: config.lang, "aria-labelledby": "parley-heading" },
    h("div", { class: "head" }, heading, liveBadge),
    status,
    notice,
    list,
    moreButton,
  );
  root.append(section);

  /** @param {string} message */
  function announce(message) {
    // Cleared first so that the same sentence twice is announced twice.
    status.textContent = "";
    setTimeout(() => (status.textContent = message), 50);
  }

  /** @param {number} total */
  function setTotal(total) {
    state.total = Math.max(0, total);
    heading.textContent = state.total ? countOf(config.lang, state.total) : t("comments");
  }

  function signedIn() {
    return Boolean(state.auth && state.auth.token);
  }

  /** A random id for this browser: with its address, who a guest is for votes and likes. */
  function browserHeaders() {
    let token = storage.get(keys.browser);
    if (typeof token !== "string" || !/^[\w-]{16,64}$/.test(token)) {
      const bytes = crypto.getRandomValues(new Uint8Array(18));
      token = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
      storage.set(keys.browser, token);
    }
    return { "X-Parley-Guest": token };
  }

  const clock = clockFor(config.lang);
  clock.keepFresh(root);

  return {
    config,
    t,
    keys,
    state,
    api: apiClient(() => state.auth),
    root,
    section,
    liveBadge,
    list,
    notice,
    moreButton,
    timeEl: clock.timeEl,
    announce,
    setTotal,
    signedIn,
    browserHeaders,
  };
}
