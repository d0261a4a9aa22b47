// @ts-check
/* Building DOM nodes without ever parsing a string as HTML, and the one check for URLs. */

import { BASE } from "./page.js";

/**
 * Element builder. Children that are not nodes become text nodes: never parsed as HTML.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any> | null} [props]
 * @param {...any} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child.nodeType ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * An absolute http(s) URL, or null: keeps javascript:, data: and friends out of links.
 * @param {unknown} value
 * @param {string[]} [schemes]
 * @returns {string | null}
 */
export function safeUrl(value, schemes = ["http:", "https:"]) {
  if (typeof value !== "string" || !value) return null;
  try {
    const url = new URL(value, BASE);
    return schemes.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
