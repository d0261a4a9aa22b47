// @ts-check
/* What a reader does to a comment besides replying: vote, copy its link, report it, and edit
 * or delete their own (this browser keeps each own comment's secret in localStorage). */

import { q } from "./api.js";
import { h } from "./elements.js";
import { cleanHtml } from "./sanitizer.js";
import { storage } from "./storage.js";

const WAIT_SECONDS = 8;
const REASONS = /** @type {const} */ (["spam", "abuse", "off_topic", "other"]);

/** @typedef {ReturnType<typeof actionsFor>} Actions */

/** @param {import("./widget.js").Widget} w */
export function actionsFor(w) {
  const { t, state, api, keys, announce } = w;

  /** @returns {Record<string, {s: string, t: number, b?: string}>} this browser's comments */
  function mineAll() {
    const all = storage.get(keys.mine);
    return all && typeof all === "object" ? all : {};
  }

  /**
   * Remembers a comment this browser posted, with the secret that lets it edit or delete it.
   * @param {number} id
   * @param {string} secret
   * @param {string} body the Markdown as typed, to edit it again
   */
  function rememberMine(id, secret, body) {
    const day = Date.now() - 86400000;
    const all = Object.fromEntries(Object.entries(mineAll()).filter(([, v]) => v && v.t > day));
    all[id] = { s: secret, t: (all[id] && all[id].t) || Date.now(), b: body };
    storage.set(keys.mine, all);
  }

  /** @param {number} id the secret, while the site's edit window is open */
  function mySecret(id) {
    const mine = mineAll()[id];
    return mine && Date.now() - mine.t < state.editWindow * 60000 ? mine.s : null;
  }

  /** @type {(c: any, body: string, key: string) => void} */
  let onHeld = () => {};

  /** @returns {Record<string, number>} */
  const myVotes = () => storage.get(keys.votes) || {};

  /**
   * @param {string} label
   * @param {(event: Event) => void} onclick
   * @param {Record<string, any>} [extra]
   */
  const button = (label, onclick, extra = {}) =>
    h("button", { type: "button", class: "link-button", onclick, ...extra }, label);

  /**
   * The vote buttons of a comment.
   * @param {any} c
   */
  function votes(c) {
    const wrap = h("span", { class: "votes", role: "group", "aria-label": t("votes") });
    let value = Number(myVotes()[c.id] || 0);
    let count = state.downVotes ? c.score || 0 : c.votes || 0;
    const shown = h("span", { class: "vote-count", "aria-hidden": "true" }, String(count));
    const up = button("▲", () => cast(value === 1 ? 0 : 1), { class: "link-button vote up" });
    const down = state.downVotes
      ? button("▼", () => cast(value === -1 ? 0 : -1), { class: "link-button vote down" })
      : null;
    function paint() {
      shown.textContent = String(count);
      up.setAttribute("aria-pressed", String(value === 1));
      up.setAttribute("aria-label", t("upvote", { n: count }));
      if (down) {
        down.setAttribute("aria-pressed", String(value === -1));
        down.setAttribute("aria-label", t("downvote", { n: count }));
      }
    }
    /** @param {number} next */
    async function cast(next) {
      try {
        const answer = await api(`/api/v1/comments/${c.id}/vote`, {
          method: "POST",
          body: { value: next },
          auth: true,
          headers: w.browserHeaders(),
        });
        value = next;
        count = state.downVotes ? answer.score || 0 : answer.votes;
        const all = myVotes();
        if (next) all[c.id] = next;
        else delete all[c.id];
        storage.set(keys.votes, all);
        paint();
        announce(t(next ? "voted" : "unvoted", { n: count }));
      } catch (error) {
        announce(t("errGeneric", { message: /** @type {any} */ (error).message || "" }));
      }
    }
    paint();
    wrap.append(up, shown);
    if (down) wrap.append(down);
    return wrap;
  }

  /** @param {number} id */
  function linkTo(id) {
    const url = `${location.href.split("#")[0]}#parley-comment-${id}`;
    history.replaceState(null, "", url);
    const done = () => announce(t("linkCopied"));
    if (navigator.clipboard) navigator.clipboard.writeText(url).then(done, done);
    else done();
  }

  /**
   * The report form, opened under the comment.
   * @param {any} c
   * @param {HTMLElement} main where the form goes
   * @param {HTMLElement} opener the button that opened it, focused again on cancel
   */
  function openReport(c, main, opener) {
    if (main.querySelector(".report")) return;
    const id = `parley-report-${c.id}`;
    const reason = h(
      "select",
      { id: `${id}-reason` },
      REASONS.map((r) => h("option", { value: r }, t(`r_${r}`))),
    );
    const note = h("input", { type: "text", id: `${id}-note`, maxlength: 500 });
    const message = h("p", { class: "error", role: "alert" });
    const close = () => {
      box.remove();
      opener.focus();
    };
    const box = h(
      "form",
      {
        class: "report",
        "aria-label": t("reportTitle"),
        onsubmit: async (/** @type {Event} */ event) => {
          event.preventDefault();
          try {
            await api(`/api/v1/comments/${c.id}/report`, {
              method: "POST",
              body: { reason: reason.value, note: note.value.trim() || undefined },
              auth: true,
              headers: w.browserHeaders(),
            });
            box.replaceChildren(h("p", { class: "note", role: "status" }, t("reported")));
            opener.remove();
          } catch (error) {
            message.textContent = t("errGeneric", { message: /** @type {any} */ (error).message });
          }
        },
        onkeydown: (/** @type {KeyboardEvent} */ event) => {
          if (event.key === "Escape") close();
        },
      },
      h("p", { class: "label" }, t("reportTitle")),
      h("label", { for: `${id}-reason` }, t("reason")),
      reason,
      h("label", { for: `${id}-note` }, t("reportNote")),
      note,
      h(
        "div",
        { class: "submit-row" },
        h("button", { type: "submit", class: "button" }, t("sendReport")),
        button(t("cancel"), close),
      ),
      message,
    );
    main.append(box);
    reason.focus();
  }

  /**
   * Edits the comment in place: its text becomes a text box until saved or cancelled.
   * @param {any} c
   * @param {HTMLElement} main
   * @param {HTMLElement} opener
   */
  function openEdit(c, main, opener) {
    const body = /** @type {HTMLElement} */ (main.querySelector(".body"));
    if (!body || main.querySelector(".edit")) return;
    const secret = mySecret(c.id);
    if (!secret) return;
    const box = h("textarea", {
      rows: 4,
      "aria-label": t("editLabel"),
      maxlength: SERVER.maxBody,
    });
    // The Markdown as this browser sent it; else the text as shown.
    box.value = mineAll()[c.id].b || body.innerText;
    const message = h("p", { class: "error", role: "alert" });
    const close = () => {
      form.remove();
      body.hidden = false;
      opener.focus();
    };
    const form = h(
      "form",
      {
        class: "edit",
        onsubmit: async (/** @type {Event} */ event) => {
          event.preventDefault();
          const text = box.value.trim();
          if (!text) return (message.textContent = t("errBodyRequired"));
          try {
            const answer = await api(`/api/v1/comments/${c.id}`, {
              method: "PATCH",
              body: { body: text },
              headers: { "X-Parley-Comment-Secret": secret },
            });
            rememberMine(c.id, secret, text);
            form.remove();
            body.hidden = false;
            // The live stream brings this very edit once it is published, and may do so
            // before either answer here: then it is published, whatever the wait says.
            const streamed = () => {
              const entry = state.comments.get(c.id);
              const at = answer.comment.edited_at;
              return entry && at && entry.data.edited_at === at ? entry.data : null;
            };
            let final = streamed();
            if (!final) {
              body.replaceChildren(h("p", { class: "note" }, t("awaiting")));
              final = answer.comment;
              try {
                final = (
                  await api(
                    `/api/v1/comments/${c.id}?${q({ wait: WAIT_SECONDS, key: answer.key })}`,
                  )
                ).comment;
              } catch {
                /* stored; the decision comes later */
              }
              if (final.status !== "published") final = streamed() || final;
            }
            if (final.status === "published") {
              body.replaceChildren(cleanHtml(final.body_html));
              const entry = state.comments.get(c.id);
              // What is shown now: a later event with this text changes nothing.
              if (entry) {
                const { body_html, edited_at } = final;
                entry.data = { ...entry.data, body_html, edited_at, edited: true };
              }
              if (!main.querySelector(".edited"))
                main.querySelector(".meta")?.append(h("span", { class: "edited" }, t("edited")));
              announce(t("editPublished"));
            } else {
              // Held for a moderator: this browser keeps showing it as awaiting, as a new one.
              onHeld(c, text, answer.key);
              announce(t("awaiting"));
            }
            opener.focus();
          } catch (error) {
            message.textContent = t("errGeneric", { message: /** @type {any} */ (error).message });
          }
        },
        onkeydown: (/** @type {KeyboardEvent} */ event) => {
          if (event.key === "Escape") close();
        },
      },
      box,
      h(
        "div",
        { class: "submit-row" },
        h("button", { type: "submit", class: "button primary" }, t("save")),
        button(t("cancel"), close),
      ),
      message,
    );
    body.hidden = true;
    body.after(form);
    box.focus();
  }

  /**
   * Deletes the comment after a second press ("Delete for good?").
   * @param {any} c
   * @param {HTMLElement} li
   * @param {HTMLButtonElement} self
   */
  async function remove(c, li, self) {
    const secret = mySecret(c.id);
    if (!secret) return;
    if (!self.dataset.sure) {
      self.dataset.sure = "1";
      self.textContent = t("confirmDelete");
      announce(t("confirmDelete"));
      return;
    }
    try {
      const answer = await api(`/api/v1/comments/${c.id}`, {
        method: "DELETE",
        headers: { "X-Parley-Comment-Secret": secret },
      });
      const article = /** @type {HTMLElement} */ (li.querySelector(":scope > article"));
      const entry = state.comments.get(c.id);
      // The live stream may have brought the deletion before this answer (``thread.drop``):
      // then it is shown and counted already.
      if (entry && !entry.data.deleted) {
        if (answer.tombstone) {
          article.replaceWith(tombstone(c.id));
          // Kept as a tombstone: its replies, and any that arrive later, still hang from it.
          entry.data = { ...entry.data, deleted: true, author: null, body_html: "" };
        } else {
          li.remove();
          state.comments.delete(c.id);
          // The answer to its post or a live event may still be on its way: it stays gone.
          state.deleted.add(c.id);
        }
        w.setTotal(state.total - 1);
      }
      announce(t("deletedDone"));
    } catch (error) {
      announce(t("errGeneric", { message: /** @type {any} */ (error).message }));
    }
  }

  /** @param {number} id */
  function tombstone(id) {
    return h(
      "article",
      { class: "tombstone", tabindex: "-1" },
      h("p", { class: "note" }, t("deleted")),
      h("a", { class: "time", href: `#parley-comment-${id}` }, ""),
    );
  }

  /**
   * The row under a published comment: votes, reply, link, report, and edit/delete if it is
   * this browser's own within the window.
   * @param {any} c
   * @param {HTMLElement | null} replyButton
   * @param {() => {li: HTMLElement, main: HTMLElement}} where
   */
  function row(c, replyButton, where) {
    const mine = Boolean(mySecret(c.id));
    const items = [
      votes(c),
      replyButton,
      button(t("link"), () => linkTo(c.id), { "aria-label": t("linkTo") }),
    ];
    if (mine) {
      items.push(
        button(t("edit"), (e) => openEdit(c, where().main, /** @type {HTMLElement} */ (e.target))),
        button(t("delete"), (e) =>
          remove(c, where().li, /** @type {HTMLButtonElement} */ (e.target)),
        ),
      );
    } else {
      items.push(
        button(t("report"), (e) =>
          openReport(c, where().main, /** @type {HTMLElement} */ (e.target)),
        ),
      );
    }
    return h("div", { class: "actions-row" }, items);
  }

  return {
    row,
    tombstone,
    rememberMine,
    whenHeld: (/** @type {typeof onHeld} */ fn) => (onHeld = fn),
  };
}
