// @ts-check
/* Posting a comment: checking it in the browser first, sending it, waiting for the moderation
 * decision, and saying in the reader's language what came of it. */

import { q } from "./api.js";
import { challengeFor } from "./challenge.js";
import { h, safeUrl } from "./elements.js";
import { FIELDS } from "./form.js";
import { cleanHtml } from "./sanitizer.js";
import { storage } from "./storage.js";

const WAIT_SECONDS = 8;

/** The API's field names, as the form's. */
const FIELD_OF = /** @type {Record<string, typeof FIELDS[number]>} */ ({
  body: "body",
  "author.name": "name",
  author: "name",
  "author.email": "email",
  "author.url": "url",
});

/**
 * Makes the form post comments.
 * @param {import("./widget.js").Widget} w
 * @param {import("./form.js").Form} form
 * @param {import("./thread.js").Thread} thread
 * @param {import("./signin.js").Signin} signin
 * @param {() => void} posted called once a comment is stored (its thread exists from then on)
 * @param {import("./actions.js").Actions} actions
 */
export function postingFor(w, form, thread, signin, posted, actions) {
  const { t, config, state, api, keys, signedIn, root } = w;
  const { inputs, submitButton, outcome } = form;
  const MAX_BODY = SERVER.maxBody;
  // Where Turnstile's or hCaptcha's box shows, if the operator chose one.
  const captchaSpot = h("div", { class: "captcha" });
  /** @type {HTMLElement} */ (submitButton.parentElement).before(captchaSpot);
  const challenge = challengeFor(w, captchaSpot);
  // Solved while the reader writes: by the time they post, it is ready.
  inputs.body.addEventListener("input", () => challenge.warm());
  // Typed before the thread page said what the site asks: start now.
  thread.onPage(() => inputs.body.value && challenge.warm());

  // Preview: the server's own Markdown and sanitizer, so what is shown is what will be stored.
  const preview = h("div", { class: "preview", hidden: true });
  const previewButton = h("button", { type: "button", class: "button", "aria-pressed": "false" });
  const showingPreview = () => !preview.hidden;
  function previewMode(/** @type {boolean} */ on) {
    preview.hidden = !on;
    inputs.body.hidden = on;
    previewButton.textContent = t(on ? "write" : "preview");
    previewButton.setAttribute("aria-pressed", String(on));
  }
  previewButton.addEventListener("click", async () => {
    if (showingPreview()) {
      previewMode(false);
      inputs.body.focus();
      return;
    }
    const body = inputs.body.value.trim();
    if (!body) return form.showFieldError("body", t("errBodyRequired"));
    try {
      const answer = await api("/api/v1/preview", { method: "POST", body: { site: config.site, body } });
      preview.replaceChildren(cleanHtml(answer.html));
      previewMode(true);
    } catch (error) {
      showApiError(/** @type {import("./api.js").ApiFailure} */ (error));
    }
  });
  previewMode(false);
  inputs.body.after(preview);
  submitButton.after(previewButton);

  /** @param {{body: string, name: string, email: string, url: string}} values */
  function validate(values) {
    /** @type {Partial<Record<typeof FIELDS[number], string>>} */
    const errors = {};
    if (!values.body) errors.body = t("errBodyRequired");
    else if (values.body.length > MAX_BODY)
      errors.body = t("errBodyLong", { max: MAX_BODY, n: values.body.length });
    if (!signedIn()) {
      if (!values.name) errors.name = t("errNameRequired");
      else if (values.name.length > 100) errors.name = t("errNameLong");
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) errors.email = t("errEmail");
      if (values.url && !safeUrl(values.url)) errors.url = t("errUrl");
      else if (values.url && !/^https?:\/\//i.test(values.url)) errors.url = t("errUrl");
    }
    return errors;
  }

  /**
   * The server's sentence is English; the field it names gets the reader's language instead.
   * @param {typeof FIELDS[number]} name
   */
  function fieldMessage(name) {
    const n = inputs[name].value.trim().length;
    if (name === "body") return n ? t("errBodyLong", { max: MAX_BODY, n }) : t("errBodyRequired");
    if (name === "name") return n ? t("errNameLong") : t("errNameRequired");
    return name === "email" ? t("errEmail") : t("errUrl");
  }

  /** @param {import("./api.js").ApiFailure} error */
  function showApiError(error) {
    const name = error.field ? FIELD_OF[error.field] : undefined;
    if (error.code === "validation_failed" && name && !(name !== "body" && signedIn())) {
      form.showFieldError(name, fieldMessage(name));
      inputs[name].focus();
      return;
    }
    let message;
    if (error.code === "rate_limited") message = t("errRate", { s: error.retry_after || 60 });
    else if (error.code === "unauthorized") {
      if (signedIn()) {
        signin.forget();
        message = t("errExpired");
      } else {
        state.signinRequired = true;
        message = t("errSignin");
      }
      signin.renderIdentity();
    } else if (error.code === "origin_not_allowed") message = t("errOrigin");
    else if (error.code === "network") message = t("errNetwork");
    else if (/** @type {any} */ (error).challenge) message = t("errChallenge");
    else if (error.field === "parent") message = t("errParent");
    else message = t("errGeneric", { message: error.message || error.code });
    form.showFormError(message);
    const first = form.signin.hidden
      ? submitButton
      : /** @type {HTMLElement | null} */ (form.signin.querySelector(".provider")) || submitButton;
    first.focus();
  }

  /**
   * Asks for reply mail about comment ``id``; resolves to a sentence saying what happened.
   * @param {number} id
   * @returns {Promise<string>}
   */
  function followReplies(id) {
    const why = (/** @type {unknown} */ reason) => String(reason).replace(/\.$/, "");
    return api("/api/v1/notifications/replies", {
      method: "POST",
      body: { site: config.site, comment: id },
      auth: true,
    }).then(
      (answer) =>
        answer.subscribed ? t("notifyOn") : t("notifyOff", { reason: why(answer.reason || "") }),
      (error) =>
        t("notifyOff", {
          reason: why(error.code === "network" ? t("errNetwork") : error.message || error.code),
        }),
    );
  }

  /** The comment the outcome says is awaiting moderation, until the live stream publishes it. */
  let awaiting = /** @type {number | null} */ (null);
  thread.onPublished((id) => {
    if (id !== awaiting) return;
    awaiting = null;
    outcome.textContent = outcome.textContent.replace(t("awaiting"), t("published"));
  });

  let busy = false;
  /** @param {SubmitEvent} event */
  async function submit(event) {
    event.preventDefault();
    if (busy) return;
    form.clearErrors();
    outcome.hidden = true;
    awaiting = null;
    const focusedAtSubmit = root.activeElement;
    const values = {
      body: inputs.body.value.trim(),
      name: inputs.name.value.trim(),
      email: inputs.email.value.trim(),
      url: inputs.url.value.trim(),
    };
    const errors = validate(values);
    const names = /** @type {(typeof FIELDS[number])[]} */ (Object.keys(errors));
    if (names.length) {
      for (const name of names) form.showFieldError(name, errors[name] || "");
      const first = FIELDS.find((n) => errors[n]);
      if (first) inputs[first].focus();
      return;
    }
    busy = true;
    submitButton.disabled = true;
    submitButton.textContent = t("posting");
    // A token asked for at focus and still on its way: a moment's wait, never a refusal.
    const asked = askForToken();
    if (asked) await Promise.race([asked, new Promise((done) => setTimeout(done, 2000))]);
    const parent = state.replyTo;
    /** @type {Record<string, unknown>} */
    const payload = {
      site: config.site,
      thread: config.thread,
      body: values.body,
      title: config.title || undefined,
      url: config.url || undefined,
      parent: parent == null ? undefined : parent,
      client: { honeypot: inputs.honeypot.value, render_token: state.renderToken || undefined },
    };
    if (!signedIn())
      payload.author = { name: values.name, email: values.email, url: values.url || undefined };
    try {
      /** @param {Promise<string | null>} solution */
      const send = async (solution) => {
        const solved = await solution;
        if (solved) /** @type {any} */ (payload.client).challenge = solved;
        return api("/api/v1/comments", { method: "POST", body: payload, auth: true });
      };
      const created = await send(challenge.take()).catch((error) => {
        // The server wants a (new) solution: solve one now and send again, once.
        if (error && error.challenge) return send(challenge.fresh());
        throw error;
      });
      const id = created.comment.id;
      // Only the author may see a comment that is not published yet: this key says who that is.
      const key = created.key;
      // Each token vouches for one comment; the answer carries the one for the next.
      if (created.render_token) state.renderToken = created.render_token;
      // This browser may edit or delete it for a while: the secret says it is the author.
      if (created.secret) {
        actions.rememberMine(id, created.secret, values.body);
        thread.redraw(id);
      }
      posted();
      // Stored: the form is free for the next comment now, not only once the decision is in
      // (the live stream may show this one sooner, and the reader move on). Only what was
      // sent goes: a reader who started the next comment or a reply elsewhere keeps it.
      if (inputs.body.value.trim() === values.body) {
        inputs.body.value = "";
        previewMode(false);
      }
      if (parent != null && state.replyTo === parent) form.closeReply(false);
      if (!signedIn()) {
        const { name, email, url } = values;
        storage.set(keys.guest, inputs.remember.checked ? { name, email, url } : null);
      }
      const identity = state.auth && state.auth.token ? state.auth.identity : null;
      // Asked for alongside the wait for the decision, so it costs the reader no extra time.
      const following = identity && inputs.notify.checked ? followReplies(id) : null;
      const parentEntry = parent == null ? null : state.comments.get(parent);
      /** @type {import("./thread.js").Pending} */
      const mine = {
        id,
        parent,
        body: values.body,
        created: Date.now(),
        depth: parentEntry ? (parentEntry.data.depth || 0) + 1 : 0,
        name: identity ? identity.name : values.name,
        avatar_url: identity ? identity.avatar_url : null,
        key,
      };
      let final = { status: "pending" };
      try {
        final = (await api(`/api/v1/comments/${id}?${q({ wait: WAIT_SECONDS, key })}`)).comment;
      } catch {
        /* the comment is stored; treat it as awaiting a decision */
      }
      let target;
      if (state.deleted.has(id)) {
        target = null; // its author deleted it while the decision was on its way
        outcome.textContent = t("deletedDone");
      } else if (final.status === "published" || state.comments.has(id)) {
        // Shown by the live stream already (it brings only published ones): published, even
        // if the wait ran out before the answer said so.
        // The live stream may have brought it first; count it once.
        if (!state.comments.has(id)) w.setTotal(state.total + 1);
        const entry = thread.addComment(final, { fresh: true });
        target = entry && entry.li;
        outcome.textContent = t("published");
      } else {
        thread.rememberPending(mine);
        target = thread.showPending(mine);
        outcome.textContent = t("awaiting");
        awaiting = id;
      }
      if (following) outcome.textContent += ` ${await following}`;
      outcome.hidden = false;
      w.announce(outcome.textContent);
      const article = target && target.querySelector("article");
      // Focus goes to the comment unless the reader has gone on to something else meanwhile
      // (the next comment, a reply, an edit): taking it from them would lose their place.
      const now = root.activeElement;
      if (article && (!now || now === submitButton || now === focusedAtSubmit)) {
        article.focus();
        article.scrollIntoView({ block: "nearest" });
      }
    } catch (error) {
      showApiError(/** @type {import("./api.js").ApiFailure} */ (error));
    } finally {
      busy = false;
      submitButton.disabled = false;
      submitButton.textContent = t("post");
    }
  }

  /** @type {Promise<void> | null} */
  let tokenAsked = null;
  /** The form's render token, asked for once it gets focus (the thread page, which caches
   * share, carries none); each accepted comment's answer brings the next one. */
  function askForToken() {
    if (state.renderToken || tokenAsked) return tokenAsked;
    tokenAsked = api(`/api/v1/render-token?${q({ site: config.site, thread: config.thread })}`).then(
      (answer) => {
        if (!state.renderToken) state.renderToken = answer.render_token;
      },
      () => {
        tokenAsked = null; // missing is only a weak signal; asked again at the next focus
      },
    );
    return tokenAsked;
  }

  form.form.addEventListener("focusin", askForToken);
  form.form.addEventListener("submit", submit);
}
