// @ts-check
/* Mounting the widget: find where, read the embed's settings, build the parts, start. */

import { actionsFor } from "./actions.js";
import { formFor } from "./form.js";
import { liveFor } from "./live.js";
import { findHost, readConfig, script } from "./page.js";
import { postingFor } from "./posting.js";
import { signinFor } from "./signin.js";
import { ssoFor } from "./sso.js";
import { threadFor } from "./thread.js";
import { toolbarFor } from "./toolbar.js";
import { widgetFor } from "./widget.js";

/**
 * @param {HTMLScriptElement} script
 * @param {Element} host
 */
function mount(script, host) {
  const config = readConfig(script, host);
  if (!config.site) {
    console.error("Parley: data-parley-site is missing on the embed script");
    return;
  }
  const w = widgetFor(host, config);
  const form = formFor(w);
  const actions = actionsFor(w);
  const thread = threadFor(w, form, actions, () => start());
  toolbarFor(w, form, thread);
  actions.whenHeld((c, body, key) => {
    const author = c.author || {};
    thread.rememberPending({
      id: c.id,
      parent: c.parent,
      body,
      created: Date.parse(c.created_at) || Date.now(),
      depth: c.depth || 0,
      name: author.name || null,
      avatar_url: author.avatar_url || null,
      key,
    });
  });
  const live = liveFor(w, thread);
  const signin = signinFor(w, form);
  postingFor(w, form, thread, signin, live.renew, actions);
  const sso = ssoFor(w, signin, script);

  async function start() {
    w.notice.className = "loading";
    w.notice.textContent = w.t("loading");
    w.notice.hidden = false;
    const loaded = await thread.loadPage();
    if (!loaded) return;
    await thread.restorePending();
    live.listen();
    // A permalink: load pages until the comment is there, then show and highlight it.
    const match = /^#parley-comment-(\d+)$/.exec(location.hash);
    const linked = match && (await thread.find(Number(match[1])));
    if (linked) {
      linked.li.classList.add("target");
      linked.li.scrollIntoView({ block: "center" });
      const article = linked.li.querySelector("article");
      if (article) article.focus({ preventScroll: true });
    }
  }

  signin.renderIdentity();
  start();
  signin.loadProviders();
  // The host's own account first (it may replace a stale sign-in), then who is signed in.
  sso.start().finally(() => signin.checkAuth());
}

if (script) {
  const host = findHost(script);
  if (host) mount(script, host);
}
