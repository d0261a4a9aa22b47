// @ts-check
/* The challenge, solved in the background while the reader types, so a person never waits for
 * it: the server asks for one only where the site's policy says so (see
 * service/comments/challenge.py). By default ALTCHA's SHA-256 proof of work; where the
 * operator configured Cloudflare Turnstile or hCaptcha (the thread page's `captcha`), that
 * provider's script is loaded (only then) and its widget's token is the answer. */

import { q } from "./api.js";
import { h } from "./elements.js";
import { script } from "./page.js";

/**
 * @param {import("./widget.js").Widget} w
 * @param {Element} spot where the provider's box shows in the form
 */
export function challengeFor(w, spot) {
  const { config, state, api } = w;
  /** @type {Promise<string | null> | null} */
  let solving = null;
  /** @type {any} the provider's widget id, once rendered */
  let rendered = null;
  /** @type {((token: string | null) => void) | null} */
  let resolveToken = null;

  /** The provider's global (window.turnstile or window.hcaptcha), its script loaded once.
   * @param {{provider: string, script: string}} c */
  function provider(c) {
    const global = /** @type {any} */ (window)[c.provider];
    if (global) return Promise.resolve(global);
    return new Promise((resolve, reject) => {
      // The page's nonce, so a host page whose CSP allows the provider's origin by nonce
      // or by origin lets the script run.
      const tag = h("script", { src: c.script, async: true });
      if (script && script.nonce) tag.nonce = script.nonce;
      tag.addEventListener("load", () => resolve(/** @type {any} */ (window)[c.provider]));
      tag.addEventListener("error", reject);
      document.head.append(tag);
    });
  }

  /** A token from the provider's widget, rendered into the form (light DOM: the providers'
   * scripts do not look into shadow roots, so a slot shows it in place). */
  async function providerToken() {
    const c = state.captcha;
    if (!c) return null;
    const got = new Promise((resolve) => (resolveToken = resolve));
    try {
      const global = await provider(c);
      if (rendered == null) {
        const box = h("div", { slot: "parley-captcha", class: "parley-captcha" });
        spot.append(h("slot", { name: "parley-captcha" }));
        w.root.host.append(box);
        rendered = global.render(box, {
          sitekey: c.site_key,
          theme:
            w.root.host.getAttribute("data-parley-theme") ||
            (c.provider === "turnstile" ? "auto" : "light"),
          callback: (/** @type {string} */ token) => resolveToken && resolveToken(token),
          "expired-callback": () => (solving = null),
          "error-callback": () => resolveToken && resolveToken(null),
        });
      } else global.reset(rendered);
    } catch {
      return null; // blocked or offline: the server says what it needs
    }
    return got;
  }

  /** @param {string} text */
  async function sha256(text) {
    const bytes = new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
    );
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** @returns {Promise<string | null>} the payload to send, or null if it cannot be solved */
  async function solve() {
    try {
      const c = await api(`/api/v1/challenge?${q({ site: config.site })}`);
      for (let n = 0; n <= c.maxnumber; n++) {
        if ((await sha256(c.salt + n)) === c.challenge) {
          const { algorithm, challenge, salt, signature } = c;
          return btoa(JSON.stringify({ algorithm, challenge, number: n, salt, signature }));
        }
      }
    } catch {
      /* no challenge now (offline, no WebCrypto): the server says if it needs one */
    }
    return null;
  }

  /** Starts solving one, unless one is ready or on its way, where the site may ask. A
   * provider's box, which a person may see, only where the site will ask (always, or every
   * guest); under "suspicious" it comes only if the server asks. */
  function warm() {
    if (solving || state.challenge === "off") return;
    if (!state.captcha) solving = solve();
    else if (state.challenge === "always" || (state.challenge === "guests" && !w.signedIn()))
      solving = providerToken();
  }

  /** The solution for the next post (waiting for it if need be); it is used up. */
  function take() {
    warm();
    const mine = solving;
    solving = null;
    return mine || Promise.resolve(null);
  }

  /** A fresh one, whatever the policy said: the server asked for it. */
  function fresh() {
    solving = state.captcha ? providerToken() : solve();
    return take();
  }

  return { warm, take, fresh };
}
