// @ts-check
/* The "Leave a Reply" form: its fields, moving it under a comment to reply, and showing
 * problems next to the field they concern. */

import { h } from "./elements.js";
import { BASE } from "./page.js";
import { storage } from "./storage.js";

/** The fields whose problems are shown next to them. */
export const FIELDS = /** @type {const} */ (["body", "name", "email", "url"]);

/** @typedef {ReturnType<typeof formFor>} Form */

/** @param {import("./widget.js").Widget} w */
export function formFor(w) {
  const { t, state, root, section, keys } = w;

  /**
   * @param {string} name
   * @param {any[]} label
   * @param {HTMLElement} input
   * @param {string} [hintText]
   */
  const field = (name, label, input, hintText) => {
    const id = `parley-${name}`;
    input.id = id;
    const describedBy = [hintText ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
    input.setAttribute("aria-describedby", describedBy);
    return h(
      "div",
      { class: "field" },
      h("label", { for: id }, ...label),
      input,
      hintText && h("p", { class: "hint", id: `${id}-hint` }, hintText),
      h("p", { class: "error", id: `${id}-error` }),
    );
  };

  const inputs = {
    // Longer than the server allows, so that a pasted text is refused in words, not cut.
    body: h("textarea", { name: "body", rows: 5, required: true, maxlength: SERVER.maxBody + 1000 }),
    name: h("input", {
      type: "text",
      name: "name",
      autocomplete: "name",
      required: true,
      maxlength: 100,
    }),
    email: h("input", {
      type: "email",
      name: "email",
      autocomplete: "email",
      required: true,
      maxlength: 320,
    }),
    url: h("input", {
      type: "url",
      name: "url",
      autocomplete: "url",
      maxlength: 2048,
      placeholder: "https://",
    }),
    honeypot: h("input", { type: "text", name: "homepage", tabindex: "-1", autocomplete: "off" }),
    remember: h("input", { type: "checkbox", name: "remember", id: "parley-remember" }),
    notify: h("input", {
      type: "checkbox",
      name: "notify",
      id: "parley-notify",
      onchange: (/** @type {Event} */ event) =>
        storage.set(
          keys.notify,
          /** @type {HTMLInputElement} */ (event.currentTarget).checked || null,
        ),
    }),
  };
  const formHeading = h("h3", { id: "parley-form-heading" }, t("leaveReply"));
  const cancelButton = h(
    "button",
    { type: "button", class: "link-button", hidden: true, onclick: () => closeReply(true) },
    t("cancelReply"),
  );
  const signin = h("div", { class: "signin", hidden: true });
  const who = h("div", { class: "who", hidden: true });
  const guest = h(
    "div",
    { class: "guest" },
    field("name", [t("name")], inputs.name),
    field("email", [t("email"), " ", h("small", null, `(${t("emailNote")})`)], inputs.email),
    field("url", [t("website"), " ", h("small", null, `(${t("optional")})`)], inputs.url),
  );
  const rememberRow = h(
    "label",
    { class: "remember", for: "parley-remember" },
    inputs.remember,
    h("span", null, t("remember")),
  );
  // Only for signed-in readers: a guest's email is unverified, so the server would refuse it.
  const notifyRow = h(
    "label",
    { class: "remember", for: "parley-notify", hidden: true },
    inputs.notify,
    h("span", null, t("notify")),
  );
  const submitButton = h("button", { type: "submit", class: "button primary" }, t("post"));
  const formError = h("p", { class: "error", id: "parley-form-error" });
  const outcome = h("p", { class: "outcome ok", hidden: true });
  const form = h(
    "form",
    { novalidate: true, "aria-labelledby": "parley-form-heading" },
    h("div", { class: "respond-head" }, formHeading, cancelButton),
    signin,
    who,
    field("body", [t("comment")], inputs.body, t("hint")),
    notifyRow,
    guest,
    h("div", { class: "hp", "aria-hidden": "true" }, h("label", null, t("honeypot"), inputs.honeypot)),
    rememberRow,
    h("div", { class: "submit-row" }, submitButton, outcome),
    formError,
  );
  const respond = h("div", { class: "respond" }, form);
  section.append(
    respond,
    h(
      "p",
      { class: "powered" },
      h("a", { href: BASE, target: "_blank", rel: "noopener" }, t("powered")),
    ),
  );

  inputs.body.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.replyTo != null) {
      event.preventDefault();
      closeReply(true);
    }
  });

  const savedGuest = storage.get(keys.guest);
  if (savedGuest && typeof savedGuest === "object") {
    inputs.name.value = String(savedGuest.name || "");
    inputs.email.value = String(savedGuest.email || "");
    inputs.url.value = String(savedGuest.url || "");
    inputs.remember.checked = true;
  }
  inputs.notify.checked = storage.get(keys.notify) === true;

  /**
   * @param {number} id
   * @param {string} name
   * @param {HTMLElement} button
   */
  function openReply(id, name, button) {
    state.replyTo = id;
    state.replyButton = button;
    formHeading.textContent = t("replyTo", { name });
    cancelButton.hidden = false;
    state.comments.get(id)?.li.append(respond);
    clearErrors();
    inputs.body.focus();
  }

  /** @param {boolean} restoreFocus */
  function closeReply(restoreFocus) {
    const button = state.replyButton;
    state.replyTo = null;
    state.replyButton = null;
    formHeading.textContent = t("leaveReply");
    cancelButton.hidden = true;
    section.insertBefore(respond, section.querySelector(".powered"));
    if (restoreFocus && button && button.isConnected) button.focus();
  }

  /** @param {number | null | undefined} parentId */
  function keepFormLast(parentId) {
    // The reply form stays after the replies of the comment it answers.
    if (state.replyTo != null && state.replyTo === parentId) {
      state.comments.get(parentId)?.li.append(respond);
    }
  }

  /** @param {typeof FIELDS[number]} name */
  const errorOf = (name) =>
    /** @type {HTMLElement} */ (root.getElementById(`parley-${name}-error`));

  function clearErrors() {
    for (const name of FIELDS) {
      inputs[name].removeAttribute("aria-invalid");
      errorOf(name).textContent = "";
    }
    formError.textContent = "";
    formError.removeAttribute("role");
  }

  /**
   * @param {typeof FIELDS[number]} name
   * @param {string} message
   */
  function showFieldError(name, message) {
    inputs[name].setAttribute("aria-invalid", "true");
    errorOf(name).textContent = message;
  }

  /** @param {string} message */
  function showFormError(message) {
    formError.setAttribute("role", "alert");
    formError.textContent = message;
  }

  return {
    form,
    inputs,
    signin,
    who,
    guest,
    rememberRow,
    notifyRow,
    submitButton,
    outcome,
    openReply,
    closeReply,
    keepFormLast,
    clearErrors,
    showFieldError,
    showFormError,
  };
}
