// @ts-check
/* Parley's JSON API as the widget calls it: no cookies, the reader's token as a bearer token,
 * and every failure thrown as the API's own {code, message} (plus the HTTP status). */

import { BASE } from "./page.js";

/**
 * @typedef {{code: string, message: string, field?: string, retry_after?: number,
 *   status?: number}} ApiFailure
 * @typedef {{method?: string, body?: object, auth?: boolean, cache?: RequestCache,
 *   headers?: Record<string, string>}} CallOptions
 * @typedef {(path: string, options?: CallOptions) => Promise<any>} Api
 */

/**
 * A query string from the parameters that are not null or undefined.
 * @param {Record<string, unknown>} params
 */
export const q = (params) =>
  Object.entries(params)
    .filter(([, v]) => v != null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");

/**
 * The API, sending the token of whoever is signed in (``auth()``) when a call asks for it.
 * @param {() => {token?: string} | null} auth
 * @returns {Api}
 */
export function apiClient(auth) {
  return async (
    path,
    { method = "GET", body, auth: withToken = false, cache = "no-store", headers: extra } = {},
  ) => {
    /** @type {Record<string, string>} */
    const headers = { Accept: "application/json", ...extra };
    if (body) headers["Content-Type"] = "application/json";
    const signedIn = withToken ? auth() : null;
    if (signedIn && signedIn.token) headers.Authorization = `Bearer ${signedIn.token}`;
    let response;
    try {
      response = await fetch(BASE + path, {
        method,
        headers,
        body: body && JSON.stringify(body),
        mode: "cors",
        credentials: "omit",
        cache,
      });
    } catch {
      throw { code: "network", message: "" };
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      /* not JSON: handled below */
    }
    if (!response.ok) {
      /** @type {ApiFailure} */
      const error = (data && data.error) || {
        code: `http_${response.status}`,
        message: response.statusText,
      };
      error.status = response.status;
      throw error;
    }
    return data;
  };
}
