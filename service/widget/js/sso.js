// @ts-check
/* Host-site SSO: the page vouches for its own signed-in reader with a JWT its server signed,
 * given as data-parley-sso="<jwt>" on the embed script or by window.parleySSO(), a function
 * returning (a promise of) one. The widget trades it at POST /auth/sso for a reader token,
 * without any popup, and asks parleySSO() again when that token runs out. The host owns the
 * session: no "Log out" link, but the page can call parley.signOut(). */

import { q } from "./api.js";
import { storage } from "./storage.js";

/** @typedef {{signOut: () => void}} ParleyGlobal */

/** How long before the reader token runs out to ask the host for a fresh JWT. */
const RENEW_EARLY_MS = 60_000;

/**
 * @param {import("./widget.js").Widget} w
 * @param {import("./signin.js").Signin} signin
 * @param {HTMLScriptElement} script
 */
export function ssoFor(w, signin, script) {
  const { state, config, api, keys } = w;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let renewal;

  /** The host's JWT for the reader now, or null when the host has no one signed in. */
  async function hostToken() {
    const provider = /** @type {any} */ (window).parleySSO;
    try {
      const token = typeof provider === "function" ? await provider() : null;
      if (typeof token === "string" && token) return token.trim();
    } catch (error) {
      console.warn("Parley: window.parleySSO() failed", error);
      return null;
    }
    const attribute = (script.getAttribute("data-parley-sso") || "").trim();
    return attribute || null;
  }

  /** Which JWT a stored sign-in came from, so one token is not traded twice (a jti works once). */
  const fingerprint = (/** @type {string} */ jwt) => jwt.slice(-24);

  const isSso = () => Boolean(state.auth && state.auth.sso);

  function scheduleRenewal() {
    clearTimeout(renewal);
    if (!isSso() || !state.auth || !state.auth.expires) return;
    const wait = Math.max(5_000, state.auth.expires - Date.now() - RENEW_EARLY_MS);
    // Timers fire late in background tabs; the reader token is checked again on use anyway.
    renewal = setTimeout(() => start(true), Math.min(wait, 2 ** 31 - 1));
  }

  /**
   * Sign the host's reader in; true when the widget is now signed in through the host.
   * @param {boolean} [renew] ask for a fresh JWT even when the stored sign-in still holds
   */
  async function start(renew = false) {
    const jwt = await hostToken();
    if (!jwt) {
      // The host says no one is signed in there: a sign-in it vouched for ends too.
      if (isSso()) signOut();
      return false;
    }
    const auth = state.auth;
    const current = auth && auth.token && auth.sso === fingerprint(jwt);
    if (!renew && current && auth && auth.expires > Date.now() + RENEW_EARLY_MS) {
      scheduleRenewal();
      return true;
    }
    try {
      const data = await api("/auth/sso", { method: "POST", body: { site: config.site, token: jwt } });
      const identity = data && data.identity && typeof data.identity === "object" ? data.identity : {};
      state.auth = {
        token: String(data.token),
        identity: {
          name: typeof identity.name === "string" ? identity.name : null,
          avatar_url: typeof identity.avatar_url === "string" ? identity.avatar_url : null,
          provider: String(identity.provider || ""),
          provider_label: String(identity.provider_label || ""),
        },
        expires: Date.now() + (Number(data.expires_in) || 0) * 1000,
        sso: fingerprint(jwt),
      };
      storage.set(keys.auth, state.auth);
      signin.renderIdentity();
      scheduleRenewal();
      return true;
    } catch (error) {
      // Why is in Parley's log, for the site owner; the reader can still sign in otherwise.
      console.warn("Parley: the site's sign-in token was not accepted", error);
      if (isSso()) signOut();
      return false;
    }
  }

  /** Forget the reader here and revoke their token (the host's own session is its business). */
  function signOut() {
    clearTimeout(renewal);
    const auth = state.auth;
    signin.forget();
    signin.renderIdentity();
    if (auth && auth.token) {
      const revoke = fetchWith(auth.token, `/auth/logout?${q({ site: config.site })}`);
      revoke.catch(() => {});
    }
  }

  /** @param {string} token @param {string} path */
  function fetchWith(token, path) {
    const saved = state.auth;
    state.auth = /** @type {any} */ ({ token });
    const call = api(path, { method: "POST", auth: true });
    state.auth = saved;
    return call;
  }

  const global = /** @type {any} */ (window);
  const parley = /** @type {any} */ ((global.parley = global.parley || {}));
  const signOuts = (parley._signOuts = parley._signOuts || []);
  signOuts.push(signOut);
  /** Every widget on the page signs out (parley.signOut(), for the host's own log-out). */
  parley.signOut = () => signOuts.forEach((/** @type {() => void} */ f) => f());

  return { start, signOut };
}
