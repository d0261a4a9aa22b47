/**
 * What the server writes into embed.js when it joins the modules (service/widget/assets.py):
 * the styles and the server's own rules, so the widget cannot drift from what the server
 * enforces. Declared here so that the type checker knows its shape.
 */
declare const SERVER: {
  /** widget.css, minified */
  css: string;
  /** the tags service/text.py lets through, lower case */
  tags: string[];
  /** the attributes it keeps, per tag */
  attributes: Record<string, string[]>;
  /** the longest comment body the API accepts, in characters */
  maxBody: number;
};
