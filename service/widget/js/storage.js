// @ts-check
/* The host page's localStorage as JSON, forgiving when storage is disabled or full. */

export const storage = {
  /** @param {string} key */
  get(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key) ?? "null");
    } catch {
      return null;
    }
  },
  /**
   * @param {string} key
   * @param {unknown} value null removes the key
   */
  set(key, value) {
    try {
      if (value == null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch {
      /* storage disabled or full: the widget still works, it just forgets */
    }
  },
};
