// @ts-check
/* The proof-of-work challenge (ALTCHA's SHA-256 scheme), solved in the background while the
 * reader types, so a person never waits for it: the server asks for one only where the
 * site's policy says so (see service/comments/challenge.py). */

import { q } from "./api.js";

/**
 * @param {import("./widget.js").Widget} w
 */
export function challengeFor(w) {
  const { config, state, api } = w;
  /** @type {Promise<string | null> | null} */
  let solving = null;

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

  /** Starts solving one, unless one is ready or on its way, where the site may ask. */
  function warm() {
    if (!solving && state.challenge !== "off") solving = solve();
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
    solving = solve();
    return take();
  }

  return { warm, take, fresh };
}
