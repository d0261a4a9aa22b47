// @ts-check
/* A reader's picture, or their initial on a colour of their own when there is none. */

import { h, safeUrl } from "./elements.js";

/** @param {string} name */
function initials(name) {
  const first = [...String(name || "?").trim()][0] || "?";
  return first.toUpperCase();
}

/** @param {string} name */
function hue(name) {
  let n = 0;
  for (const ch of String(name || "")) n = (n * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return n;
}

/**
 * @param {{name?: string | null, avatar_url?: string | null} | null | undefined} author
 * @param {number} size
 * @returns {HTMLElement}
 */
export function avatar(author, size) {
  const src = safeUrl(author && author.avatar_url);
  const fallback = () => {
    const name = (author && author.name) || "?";
    return h(
      "span",
      {
        class: "avatar",
        "aria-hidden": "true",
        style: `background: hsl(${hue(name)} 45% 46%)`,
      },
      initials(name),
    );
  };
  if (!src) return fallback();
  const img = h("img", {
    class: "avatar",
    src,
    alt: "",
    width: size,
    height: size,
    loading: "lazy",
    referrerpolicy: "no-referrer",
    decoding: "async",
  });
  img.addEventListener("error", () => img.replaceWith(fallback()), { once: true });
  return img;
}
