// @ts-check
/* Signing in with a provider in a first-party popup, who is signed in, and signing out. The
 * reader's token lives in the host page's localStorage and travels as a bearer token. */

import { q } from "./api.js";
import { avatar } from "./avatar.js";
import { h, safeUrl } from "./elements.js";
import { BASE, ORIGIN } from "./page.js";
import { storage } from "./storage.js";

/** @typedef {ReturnType<typeof signinFor>} Signin */

/**
 * @param {import("./widget.js").Widget} w
 * @param {import("./form.js").Form} form
 */
export function signinFor(w, form) {
  const { t, config, state, api, keys } = w;
  const { inputs, signin, who, guest } = form;

  function renderIdentity() {
    const identity =
      state.auth && state.auth.token
        ? state.auth.identity || /** @type {import("./widget.js").Identity} */ ({})
      : null;
    who.hidden = !identity;
    guest.hidden = Boolean(identity) || (state.signinRequired && !identity);
    form.rememberRow.hidden = guest.hidden;
    form.notifyRow.hidden = !identity;
    signin.hidden = Boolean(identity) || state.providers.length === 0;
    if (identity && String(identity.provider || "").startsWith("site:")) {
      // Signed in through the host site: the host owns the session, so no Log out here.
      who.replaceChildren(
        avatar({ name: identity.name, avatar_url: identity.avatar_url }, 32),
        h(
          "p",
          null,
          t("commentingAsSite", {
            name: identity.name || t("anonymous"),
            site: identity.provider_label,
          }),
        ),
      );
    } else if (identity) {
      const provider = identity.provider_label || identity.provider || "";
      who.replaceChildren(
        avatar({ name: identity.name, avatar_url: identity.avatar_url }, 32),
        h(
          "p",
          null,
          t("commentingAs", { provider }),
          " ",
          h(
            "button",
            { type: "button", class: "link-button", onclick: () => logout(false) },
            t("logOut"),
          ),
          " / ",
          h(
            "button",
            { type: "button", class: "link-button", onclick: () => logout(true) },
            t("change"),
          ),
        ),
        h(
          "p",
          { class: "own-data" },
          h("button", { type: "button", class: "link-button", onclick: downloadData }, t("myData")),
          " · ",
          h("button", { type: "button", class: "link-button", onclick: eraseMe }, t("eraseMe")),
        ),
      );
    }
    const buttons = state.providers.map((p) => {
      const icon = safeUrl(p.icon);
      return h(
        "button",
        {
          type: "button",
          class: "button provider",
          "data-provider": p.name,
          "aria-label": t("signInAs", { provider: p.label }),
          onclick: () => signIn(p),
        },
        icon && h("span", { class: "icon", "aria-hidden": "true", style: `--icon: url("${icon}")` }),
        p.label,
      );
    });
    signin.replaceChildren(
      h("span", { class: "signin-label" }, t("signInWith")),
      ...buttons,
      ...(state.signinRequired ? [] : [h("p", { class: "or" }, t("orGuest"))]),
    );
  }

  /** @type {Window | null} */
  let popup = null;
  /** @param {import("./widget.js").Provider} provider */
  function signIn(provider) {
    const login =
      safeUrl(provider.login_url) || `${BASE}/auth/${encodeURIComponent(provider.name)}/login`;
    const url = `${login}${login.includes("?") ? "&" : "?"}${q({ site: config.site, origin: location.origin })}`;
    const width = 520;
    const height = 680;
    const left = Math.max(0, (window.screenX || 0) + (window.outerWidth - width) / 2);
    const top = Math.max(0, (window.screenY || 0) + (window.outerHeight - height) / 2);
    popup = window.open(
      url,
      "parley-signin",
      `popup,width=${width},height=${height},left=${left},top=${top}`,
    );
    if (!popup) form.showFormError(t("errPopup"));
  }

  window.addEventListener("message", (event) => {
    // Only Parley's own popup may sign the reader in, whatever else posts messages here.
    if (event.origin !== ORIGIN) return;
    const data = event.data;
    if (!data || typeof data !== "object" || data.type !== "parley:auth") return;
    if (popup && event.source !== popup) return;
    popup = null;
    if (data.error || typeof data.token !== "string") {
      form.showFormError(
        t("errSigninFailed", { message: String(data.message || data.error || "") }),
      );
      return;
    }
    const identity = data.identity && typeof data.identity === "object" ? data.identity : {};
    state.auth = {
      token: data.token,
      identity: {
        name: typeof identity.name === "string" ? identity.name : null,
        avatar_url: typeof identity.avatar_url === "string" ? identity.avatar_url : null,
        provider: String(identity.provider || ""),
        provider_label: String(identity.provider_label || identity.provider || ""),
      },
      expires: Date.now() + (Number(data.expires_in) || 0) * 1000,
    };
    storage.set(keys.auth, state.auth);
    form.clearErrors();
    renderIdentity();
    w.announce(
      t("signedIn", { name: state.auth.identity.name || state.auth.identity.provider_label }),
    );
    inputs.body.focus();
  });

  // Signing in or out in another tab of this site changes this one too.
  window.addEventListener("storage", (event) => {
    if (event.key !== keys.auth) return;
    state.auth = storage.get(keys.auth);
    renderIdentity();
  });

  /** The reader's token is no longer good: forget it. */
  function forget() {
    state.auth = null;
    storage.set(keys.auth, null);
  }

  /** Everything Parley holds about the signed-in reader here, saved as a JSON file. */
  async function downloadData() {
    try {
      const data = await api(`/api/v1/me/data?${q({ site: config.site })}`, { auth: true });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)]));
      link.download = `parley-${config.site}-my-data.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    } catch (error) {
      w.announce(t("errGeneric", { message: /** @type {any} */ (error).message || "" }));
    }
  }

  /** Erases the signed-in reader's data on this site (the server signs them out too). */
  async function eraseMe() {
    if (!window.confirm(t("eraseConfirm"))) return;
    try {
      await api(`/api/v1/me?${q({ site: config.site })}`, { method: "DELETE", auth: true });
    } catch (error) {
      w.announce(t("errGeneric", { message: /** @type {any} */ (error).message || "" }));
      return;
    }
    forget();
    renderIdentity();
    w.announce(t("erased"));
  }

  /** @param {boolean} change sign in with another provider next */
  async function logout(change) {
    const auth = state.auth;
    forget();
    renderIdentity();
    if (change) {
      const first = /** @type {HTMLElement | null} */ (signin.querySelector(".provider"));
      if (first) first.focus();
    } else {
      w.announce(t("signedOut"));
      inputs.body.focus();
    }
    if (auth && auth.token) {
      // Revoke the token on the server too; the reader is signed out here either way.
      state.auth = auth;
      const revoke = api(`/auth/logout?${q({ site: config.site })}`, {
        method: "POST",
        auth: true,
      });
      state.auth = null;
      revoke.catch(() => {});
    }
  }

  /** Refreshes who is signed in from the server, forgetting a token it no longer accepts. */
  async function checkAuth() {
    const auth = state.auth;
    if (!auth || !auth.token) return;
    if (auth.expires && auth.expires < Date.now()) {
      forget();
      return;
    }
    try {
      const me = await api(`/auth/me?${q({ site: config.site })}`, { auth: true });
      if (me && me.identity && state.auth) {
        Object.assign(state.auth.identity, {
          name: me.identity.name,
          avatar_url: me.identity.avatar_url,
          provider: me.identity.provider,
          provider_label: me.identity.provider_label,
        });
        storage.set(keys.auth, state.auth);
      }
    } catch (error) {
      if (/** @type {import("./api.js").ApiFailure} */ (error).status === 401) forget();
    }
    renderIdentity();
  }

  async function loadProviders() {
    try {
      const data = await api(`/auth/providers?${q({ site: config.site })}`);
      state.providers = (data && Array.isArray(data.providers) ? data.providers : []).filter(
        (/** @type {any} */ p) => p && typeof p.name === "string" && typeof p.label === "string",
      );
    } catch {
      state.providers = [];
    }
    renderIdentity();
  }

  return { renderIdentity, forget, checkAuth, loadProviders };
}
