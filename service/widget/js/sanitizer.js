// @ts-check
/* The second pass over comment bodies. The server already sanitized the HTML (service/text.py);
 * filtering again against the server's own allow-list, which it writes into this script, means
 * a server bug alone cannot run script in the host page. */

import { safeUrl } from "./elements.js";

const TAGS = new Set(SERVER.tags.map((tag) => tag.toUpperCase()));
const DROP = new Set([
  "SCRIPT",
  "STYLE",
  "TEMPLATE",
  "IFRAME",
  "OBJECT",
  "EMBED",
  "NOSCRIPT",
  "SVG",
  "MATH",
]);

/**
 * @param {Element} node
 * @param {string} name lower case
 */
function allowedAttribute(node, name) {
  const allowed = SERVER.attributes[node.tagName.toLowerCase()];
  return Boolean(allowed && allowed.includes(name));
}

/**
 * The comment body as a fragment holding only allowed tags and attributes.
 * @param {unknown} html
 * @returns {DocumentFragment}
 */
export function cleanHtml(html) {
  // A <template>'s content is inert: nothing in it loads or runs while we inspect it.
  const tpl = document.createElement("template");
  tpl.innerHTML = typeof html === "string" ? html : "";
  /** @param {Node} parent */
  const walk = (parent) => {
    for (const node of [...parent.childNodes]) {
      if (node.nodeType === Node.TEXT_NODE) continue;
      if (!(node instanceof Element)) {
        /** @type {ChildNode} */ (node).remove();
        continue;
      }
      if (!TAGS.has(node.tagName)) {
        if (DROP.has(node.tagName.toUpperCase())) node.remove();
        else node.replaceWith(document.createTextNode(node.textContent));
        continue;
      }
      for (const attr of [...node.attributes]) {
        if (!allowedAttribute(node, attr.name.toLowerCase())) node.removeAttribute(attr.name);
      }
      if (node.tagName === "A") {
        const href = safeUrl(node.getAttribute("href") || "", ["http:", "https:", "mailto:"]);
        if (href) node.setAttribute("href", href);
        else node.removeAttribute("href");
        node.setAttribute("rel", "nofollow ugc noopener noreferrer");
        node.setAttribute("target", "_blank");
      }
      walk(node);
    }
  };
  walk(tpl.content);
  return tpl.content;
}
