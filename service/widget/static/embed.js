/*! Parley comments widget: embed.js. Readable source, no build step, no framework. */
/*
 * Embed with:
 *   <div id="parley"></div>
 *   <script src="https://comments.example.com/embed.js" data-parley-site="demo"
 *           data-parley-thread="/2014/09/keeping-doors-open" async></script>
 * Optional attributes (on the script or the embed element): data-parley-title, data-parley-url
 * (canonical URL), data-parley-lang (en, ja, zh-CN; default: the page's lang), data-parley-theme
 * (light or dark; default: the reader's system setting).
 *
 * Security model: comment bodies arrive as HTML sanitized by the server and are filtered again
 * here against the same allow-list; every other value (names, links, times) is set as text or
 * as a validated http(s) URL. No cookies are used: a signed-in reader's token is kept in this
 * page's localStorage and sent as a bearer token, so third-party cookie blocking is irrelevant.
 */
(() => {
  "use strict";

  const CSS = "__PARLEY_CSS__"; // replaced with widget.css by the server (service/widget/assets.py)

  const script =
    document.currentScript ||
    [...document.querySelectorAll("script[src]")].find((s) => /\/embed\.js([?#]|$)/.test(s.src));
  if (!script) return;
  const BASE = script.src.replace(/\/embed\.js([?#].*)?$/, "");
  const ORIGIN = new URL(BASE).origin;

  // -- translations ---------------------------------------------------------------------------

  const STRINGS = {
    en: {
      count: (n) => (n === 1 ? "1 comment" : `${n} comments`),
      comments: "Comments",
      live: "Live",
      loading: "Loading comments…",
      loadFailed: "The comments could not be loaded.",
      retry: "Try again",
      empty: "No comments yet. Start the conversation.",
      more: "Load more comments",
      reply: "Reply",
      replyTo: "Reply to {name}",
      leaveReply: "Leave a Reply",
      cancelReply: "Cancel reply",
      signInWith: "Sign in with",
      signInAs: "Sign in with {provider}",
      orGuest: "Or comment as a guest:",
      commentingAs: "You are commenting using your {provider} account.",
      logOut: "Log out",
      change: "Change",
      comment: "Comment",
      hint: "You can use Markdown: **bold**, _italic_, [link](https://…), `code`, > quote.",
      name: "Name",
      email: "Email",
      emailNote: "never published",
      website: "Website",
      optional: "optional",
      remember: "Save my name, email and website in this browser for the next time I comment.",
      notify: "Notify me of replies by email",
      notifyOn: "You'll get an email when someone replies.",
      notifyOff: "No reply emails: {reason}.",
      honeypot: "Leave this field empty",
      post: "Post Comment",
      posting: "Posting…",
      awaiting: "Your comment is awaiting moderation.",
      published: "Your comment was published.",
      newComment: "New comment from {name}.",
      signedIn: "You are signed in as {name}.",
      signedOut: "You have signed out.",
      anonymous: "Anonymous",
      powered: "Comments by Parley",
      errBodyRequired: "Please write a comment.",
      errBodyLong: "Comments can be at most {max} characters long; this one has {n}.",
      errNameRequired: "Please enter your name.",
      errNameLong: "Names can be at most 100 characters long.",
      errEmail: "Please enter a valid email address, like name@example.com.",
      errUrl: "Please enter a web address that starts with http:// or https://.",
      errRate: "You are commenting too quickly. Please wait {s} seconds and try again.",
      errSignin: "This site asks you to sign in before commenting.",
      errExpired: "Your sign-in has expired. Please sign in again.",
      errOrigin: "This page is not allowed to post comments to this site.",
      errNetwork: "The comment server could not be reached. Check your connection and try again.",
      errParent: "The comment you are replying to is no longer available.",
      errPopup: "Your browser blocked the sign-in window. Please allow pop-ups for this page.",
      errSigninFailed: "Sign-in failed: {message}",
      errGeneric: "Something went wrong: {message}",
    },
    ja: {
      count: (n) => `${n}件のコメント`,
      comments: "コメント",
      live: "ライブ",
      loading: "コメントを読み込んでいます…",
      loadFailed: "コメントを読み込めませんでした。",
      retry: "再試行",
      empty: "まだコメントはありません。最初のコメントを書いてみましょう。",
      more: "さらにコメントを読み込む",
      reply: "返信",
      replyTo: "{name} さんに返信",
      leaveReply: "コメントを残す",
      cancelReply: "返信をキャンセル",
      signInWith: "サインイン:",
      signInAs: "{provider} でサインイン",
      orGuest: "またはゲストとしてコメント:",
      commentingAs: "{provider} アカウントを使用してコメントしています。",
      logOut: "ログアウト",
      change: "変更",
      comment: "コメント",
      hint: "Markdown が使えます: **太字**、_斜体_、[リンク](https://…)、`コード`、> 引用。",
      name: "名前",
      email: "メールアドレス",
      emailNote: "公開されません",
      website: "ウェブサイト",
      optional: "任意",
      remember: "次回のコメントで使用するため、名前、メールアドレス、サイトをこのブラウザーに保存する。",
      notify: "返信があったらメールで知らせる",
      notifyOn: "返信があるとメールでお知らせします。",
      notifyOff: "返信のメール通知は設定できませんでした: {reason}",
      honeypot: "この欄は空のままにしてください",
      post: "コメントを送信",
      posting: "送信中…",
      awaiting: "コメントは承認待ちです。",
      published: "コメントが公開されました。",
      newComment: "{name} さんから新しいコメントがあります。",
      signedIn: "{name} としてサインインしました。",
      signedOut: "ログアウトしました。",
      anonymous: "匿名",
      powered: "コメント機能: Parley",
      errBodyRequired: "コメントを入力してください。",
      errBodyLong: "コメントは {max} 文字以内で入力してください(現在 {n} 文字)。",
      errNameRequired: "名前を入力してください。",
      errNameLong: "名前は 100 文字以内で入力してください。",
      errEmail: "有効なメールアドレスを入力してください(例: name@example.com)。",
      errUrl: "http:// または https:// で始まるアドレスを入力してください。",
      errRate: "コメントの送信が速すぎます。{s} 秒待ってから再度お試しください。",
      errSignin: "このサイトではコメントする前にサインインが必要です。",
      errExpired: "サインインの有効期限が切れました。もう一度サインインしてください。",
      errOrigin: "このページからはこのサイトにコメントを投稿できません。",
      errNetwork: "コメントサーバーに接続できませんでした。接続を確認して再度お試しください。",
      errParent: "返信先のコメントは利用できなくなりました。",
      errPopup: "サインイン用のウィンドウがブロックされました。このページのポップアップを許可してください。",
      errSigninFailed: "サインインに失敗しました: {message}",
      errGeneric: "エラーが発生しました: {message}",
    },
    "zh-CN": {
      count: (n) => `${n} 条评论`,
      comments: "评论",
      live: "实时",
      loading: "正在加载评论…",
      loadFailed: "无法加载评论。",
      retry: "重试",
      empty: "还没有评论。来发表第一条评论吧。",
      more: "加载更多评论",
      reply: "回复",
      replyTo: "回复 {name}",
      leaveReply: "发表评论",
      cancelReply: "取消回复",
      signInWith: "登录方式:",
      signInAs: "使用 {provider} 登录",
      orGuest: "或以访客身份评论:",
      commentingAs: "您正在使用您的 {provider} 账号发表评论。",
      logOut: "退出",
      change: "更换",
      comment: "评论",
      hint: "支持 Markdown:**粗体**、_斜体_、[链接](https://…)、`代码`、> 引用。",
      name: "昵称",
      email: "电子邮箱",
      emailNote: "不会公开",
      website: "网站",
      optional: "可选",
      remember: "在此浏览器中保存我的昵称、邮箱和网站,以便下次评论时使用。",
      notify: "有人回复时通过邮件通知我",
      notifyOn: "有人回复时,您会收到邮件通知。",
      notifyOff: "无法开启回复邮件通知:{reason}",
      honeypot: "请勿填写此栏",
      post: "发表评论",
      posting: "正在发表…",
      awaiting: "您的评论正在等待审核。",
      published: "您的评论已发表。",
      newComment: "{name} 发表了新评论。",
      signedIn: "您已登录为 {name}。",
      signedOut: "您已退出登录。",
      anonymous: "匿名",
      powered: "评论由 Parley 提供",
      errBodyRequired: "请填写评论内容。",
      errBodyLong: "评论最多 {max} 个字符,当前为 {n} 个。",
      errNameRequired: "请填写昵称。",
      errNameLong: "昵称最多 100 个字符。",
      errEmail: "请输入有效的电子邮箱地址,例如 name@example.com。",
      errUrl: "请输入以 http:// 或 https:// 开头的网址。",
      errRate: "您评论得太快了。请等待 {s} 秒后再试。",
      errSignin: "本站要求登录后才能评论。",
      errExpired: "您的登录已过期,请重新登录。",
      errOrigin: "此页面不允许向本站发表评论。",
      errNetwork: "无法连接评论服务器。请检查网络后重试。",
      errParent: "您回复的评论已不可用。",
      errPopup: "浏览器拦截了登录窗口。请允许此页面弹出窗口。",
      errSigninFailed: "登录失败:{message}",
      errGeneric: "出错了:{message}",
    },
  };

  const MAX_BODY = 10000;
  const WAIT_SECONDS = 8;
  const PENDING_DAYS = 30;

  function pickLang(raw) {
    const lang = String(raw || "").toLowerCase();
    if (lang.startsWith("ja")) return "ja";
    if (lang.startsWith("zh")) return "zh-CN";
    return "en";
  }

  // -- small helpers ----------------------------------------------------------------------------

  /** Element builder. Children that are not nodes become text nodes: never parsed as HTML. */
  function h(tag, props, ...children) {
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

  /** An absolute http(s) URL, or null: keeps javascript:, data: and friends out of links. */
  function safeUrl(value, schemes = ["http:", "https:"]) {
    if (typeof value !== "string" || !value) return null;
    try {
      const url = new URL(value, BASE);
      return schemes.includes(url.protocol) ? url.href : null;
    } catch {
      return null;
    }
  }

  // Mirrors the server's allow-list (service/text.py). The server already sanitized the HTML;
  // this second pass means a server bug alone cannot run script in the host page.
  const TAGS = new Set(["P", "BR", "STRONG", "EM", "DEL", "S", "CODE", "PRE", "BLOCKQUOTE", "UL", "OL", "LI", "A", "HR"]);
  const DROP = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "NOSCRIPT", "SVG", "MATH"]);

  function cleanHtml(html) {
    // A <template>'s content is inert: nothing in it loads or runs while we inspect it.
    const tpl = document.createElement("template");
    tpl.innerHTML = typeof html === "string" ? html : "";
    const walk = (parent) => {
      for (const node of [...parent.childNodes]) {
        if (node.nodeType === Node.TEXT_NODE) continue;
        if (node.nodeType !== Node.ELEMENT_NODE) {
          node.remove();
          continue;
        }
        if (!TAGS.has(node.tagName)) {
          if (DROP.has(node.tagName.toUpperCase())) node.remove();
          else node.replaceWith(document.createTextNode(node.textContent));
          continue;
        }
        for (const attr of [...node.attributes]) {
          const name = attr.name.toLowerCase();
          const allowed =
            (node.tagName === "A" && (name === "href" || name === "title")) ||
            (node.tagName === "OL" && name === "start");
          if (!allowed) node.removeAttribute(attr.name);
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

  const storage = {
    get(key) {
      try {
        return JSON.parse(window.localStorage.getItem(key));
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        if (value == null) window.localStorage.removeItem(key);
        else window.localStorage.setItem(key, JSON.stringify(value));
      } catch {
        /* storage disabled or full: the widget still works, it just forgets */
      }
    },
  };

  function initials(name) {
    const first = [...String(name || "?").trim()][0] || "?";
    return first.toUpperCase();
  }

  function hue(name) {
    let n = 0;
    for (const ch of String(name || "")) n = (n * 31 + ch.codePointAt(0)) % 360;
    return n;
  }

  function avatar(author, size) {
    const src = safeUrl(author && author.avatar_url);
    const fallback = () => {
      const name = (author && author.name) || "?";
      return h("span", {
        class: "avatar",
        "aria-hidden": "true",
        style: `background: hsl(${hue(name)} 45% 46%)`,
      }, initials(name));
    };
    if (!src) return fallback();
    const img = h("img", {
      class: "avatar", src, alt: "", width: size, height: size,
      loading: "lazy", referrerpolicy: "no-referrer", decoding: "async",
    });
    img.addEventListener("error", () => img.replaceWith(fallback()), { once: true });
    return img;
  }

  // -- one widget ---------------------------------------------------------------------------------

  function findHost() {
    const marked = [...document.querySelectorAll("[data-parley-thread]")].find(
      (el) => el.tagName !== "SCRIPT" && !el.shadowRoot
    );
    const host = marked || document.getElementById("parley");
    if (host && !host.shadowRoot) return host;
    if (host && host.shadowRoot) return null; // already mounted
    const created = h("div", { id: "parley" });
    script.after(created);
    return created;
  }

  function mount(host) {
    const attr = (name) =>
      (script.getAttribute(`data-parley-${name}`) || host.getAttribute(`data-parley-${name}`) || "").trim();
    const canonical = document.querySelector('link[rel="canonical"]');
    const config = {
      site: attr("site"),
      thread: attr("thread") || location.pathname,
      title: (attr("title") || document.title || "").slice(0, 300),
      url: (attr("url") || (canonical && canonical.href) || location.href.split("#")[0]).slice(0, 2048),
      lang: pickLang(attr("lang") || document.documentElement.lang || navigator.language),
      theme: attr("theme"),
    };
    if (!config.site) {
      console.error("Parley: data-parley-site is missing on the embed script");
      return;
    }
    const T = STRINGS[config.lang];
    const t = (key, vars) =>
      String(T[key] ?? STRINGS.en[key]).replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? vars[k] : m));
    if (config.theme === "light" || config.theme === "dark") host.setAttribute("data-parley-theme", config.theme);

    const KEY = `parley:${ORIGIN}:${config.site}`;
    const AUTH_KEY = `${KEY}:auth`;
    const PENDING_KEY = `${KEY}:pending:${config.thread}`;
    const GUEST_KEY = `parley:${ORIGIN}:guest`;
    const NOTIFY_KEY = `parley:${ORIGIN}:notify`;

    const state = {
      comments: new Map(), // id -> {data, li}
      total: 0,
      next: null,
      maxDepth: 5,
      renderToken: null,
      providers: [],
      auth: storage.get(AUTH_KEY),
      replyTo: null,
      replyButton: null,
      signinRequired: false,
    };

    // -- API ------------------------------------------------------------------------------------

    async function api(path, { method = "GET", body, auth = false } = {}) {
      const headers = { Accept: "application/json" };
      if (body) headers["Content-Type"] = "application/json";
      if (auth && state.auth && state.auth.token) headers.Authorization = `Bearer ${state.auth.token}`;
      let response;
      try {
        response = await fetch(BASE + path, {
          method, headers, body: body && JSON.stringify(body),
          mode: "cors", credentials: "omit", cache: "no-store",
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
        const error = (data && data.error) || { code: `http_${response.status}`, message: response.statusText };
        error.status = response.status;
        throw error;
      }
      return data;
    }

    const q = (params) =>
      Object.entries(params)
        .filter(([, v]) => v != null)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join("&");

    // -- skeleton -------------------------------------------------------------------------------

    const root = host.attachShadow({ mode: "open" });
    // A constructed stylesheet is not an inline <style>, so a host page's CSP without
    // 'unsafe-inline' in style-src still lets the widget look right.
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch {
      root.append(h("style", null, CSS));
    }
    const heading = h("h2", { id: "parley-heading" }, t("comments"));
    const liveBadge = h("span", { class: "live", hidden: true }, t("live"));
    const status = h("div", { class: "sr-only", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    const list = h("ol", { class: "thread" });
    const notice = h("p", { class: "loading" }, t("loading"));
    const moreButton = h("button", { type: "button", class: "button more", hidden: true, onclick: () => loadPage() }, t("more"));
    const section = h(
      "section",
      { class: "parley", lang: config.lang, "aria-labelledby": "parley-heading" },
      h("div", { class: "head" }, heading, liveBadge),
      status, notice, list, moreButton,
    );
    root.append(section);

    function announce(message) {
      // Cleared first so that the same sentence twice is announced twice.
      status.textContent = "";
      setTimeout(() => (status.textContent = message), 50);
    }

    function setTotal(total) {
      state.total = Math.max(0, total);
      heading.textContent = state.total ? T.count(state.total) : t("comments");
    }

    // -- relative time ----------------------------------------------------------------------------

    const rtf = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(config.lang, { numeric: "auto" }) : null;
    const dtf = new Intl.DateTimeFormat(config.lang, { dateStyle: "long", timeStyle: "short" });
    const UNITS = [
      ["year", 31536000], ["month", 2592000], ["week", 604800],
      ["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1],
    ];

    function relative(date) {
      const seconds = (date.getTime() - Date.now()) / 1000;
      if (!rtf) return dtf.format(date);
      if (Math.abs(seconds) < 45) return rtf.format(0, "second");
      for (const [unit, size] of UNITS) {
        if (Math.abs(seconds) >= size || unit === "second") return rtf.format(Math.round(seconds / size), unit);
      }
      return dtf.format(date);
    }

    function timeEl(iso, id) {
      const date = new Date(iso);
      const valid = !Number.isNaN(date.getTime());
      const time = h("time", valid ? { datetime: date.toISOString(), title: dtf.format(date) } : null, valid ? relative(date) : "");
      return id ? h("a", { class: "time", href: `#parley-comment-${id}` }, time) : h("span", { class: "time" }, time);
    }

    setInterval(() => {
      for (const time of root.querySelectorAll("time[datetime]")) {
        time.textContent = relative(new Date(time.getAttribute("datetime")));
      }
    }, 60000);

    // -- rendering comments -------------------------------------------------------------------------

    function authorEl(author, id) {
      const name = (author && author.name) || t("anonymous");
      const url = safeUrl(author && author.url);
      return url
        ? h("a", { class: "author", id, href: url, rel: "nofollow ugc noopener noreferrer", target: "_blank" }, name)
        : h("span", { class: "author", id }, name);
    }

    function childrenOf(parentId) {
      const parent = parentId != null && state.comments.get(parentId);
      if (!parent) return list;
      let ol = parent.li.querySelector(":scope > .children");
      if (!ol) {
        ol = h("ol", { class: "children" });
        // Before the form if it is open under this comment, so replies read in order.
        parent.li.append(ol);
      }
      return ol;
    }

    function commentEl(c, { pending = false } = {}) {
      const author = c.author || {};
      const authorId = `parley-author-${pending ? "p" : ""}${c.id}`;
      const body = pending
        ? h("div", { class: "body-wrap" }, h("p", { class: "note" }, t("awaiting")), h("div", { class: "text" }, c.body || ""))
        : h("div", { class: "body" }, cleanHtml(c.body_html));
      const canReply = !pending && (c.depth || 0) < state.maxDepth;
      const replyButton = canReply
        ? h("button", {
            type: "button", class: "link-button reply",
            "aria-label": t("replyTo", { name: author.name || t("anonymous") }),
            onclick: (event) => openReply(c.id, author.name || t("anonymous"), event.currentTarget),
          }, t("reply"))
        : null;
      const article = h(
        "article",
        { tabindex: "-1", "aria-labelledby": authorId },
        avatar(author, (c.depth || 0) > 0 ? 32 : 40),
        h("div", { class: "main" },
          h("div", { class: "meta" }, authorEl(author, authorId), timeEl(c.created_at, pending ? null : c.id)),
          body,
          replyButton && h("div", { class: "actions-row" }, replyButton)),
      );
      return h("li", { class: pending ? "comment pending" : "comment", id: pending ? `parley-pending-${c.id}` : `parley-comment-${c.id}` }, article);
    }

    /** Adds a published comment once; replaces its "awaiting moderation" copy if there is one. */
    function addComment(c, { fresh = false } = {}) {
      if (!c || typeof c.id !== "number" || state.comments.has(c.id)) return state.comments.get(c && c.id);
      const li = commentEl(c);
      if (fresh) {
        li.classList.add("fresh");
        setTimeout(() => li.classList.remove("fresh"), 2500);
      }
      const pendingLi = root.getElementById(`parley-pending-${c.id}`);
      if (pendingLi) {
        const kids = pendingLi.querySelector(":scope > .children");
        if (kids) li.append(kids);
        pendingLi.replaceWith(li);
        forgetPending(c.id);
      } else {
        childrenOf(c.parent).append(li);
      }
      const entry = { data: c, li };
      state.comments.set(c.id, entry);
      keepFormLast(c.parent);
      notice.hidden = true;
      return entry;
    }

    function keepFormLast(parentId) {
      // The reply form stays after the replies of the comment it answers.
      if (state.replyTo != null && state.replyTo === parentId) {
        state.comments.get(parentId).li.append(respond);
      }
    }

    // -- pending comments (only this browser knows them) --------------------------------------------

    function pendingList() {
      const cutoff = Date.now() - PENDING_DAYS * 86400000;
      const items = storage.get(PENDING_KEY);
      return Array.isArray(items) ? items.filter((p) => p && typeof p.id === "number" && p.created > cutoff) : [];
    }

    function rememberPending(item) {
      storage.set(PENDING_KEY, [...pendingList().filter((p) => p.id !== item.id), item]);
    }

    function forgetPending(id) {
      const rest = pendingList().filter((p) => p.id !== id);
      storage.set(PENDING_KEY, rest.length ? rest : null);
    }

    function showPending(item) {
      if (state.comments.has(item.id) || root.getElementById(`parley-pending-${item.id}`)) {
        return root.getElementById(`parley-pending-${item.id}`);
      }
      const li = commentEl(
        { id: item.id, parent: item.parent, depth: item.depth, created_at: new Date(item.created).toISOString(),
          author: { name: item.name, avatar_url: item.avatar_url }, body: item.body },
        { pending: true },
      );
      childrenOf(item.parent).append(li);
      keepFormLast(item.parent);
      notice.hidden = true;
      return li;
    }

    async function restorePending() {
      for (const item of pendingList()) {
        if (state.comments.has(item.id)) {
          forgetPending(item.id);
          continue;
        }
        showPending(item);
        // Decided while the reader was away? Published ones move into the thread, rejected vanish.
        api(`/api/v1/comments/${item.id}`).then(({ comment }) => {
          if (comment.status === "published") {
            if (!state.comments.has(comment.id)) setTotal(state.total + 1);
            addComment(comment);
          } else if (comment.status === "rejected") {
            forgetPending(item.id);
            const li = root.getElementById(`parley-pending-${item.id}`);
            if (li) li.remove();
          }
        }, (error) => {
          if (error.status === 404) forgetPending(item.id);
        });
      }
    }

    // -- loading the thread -------------------------------------------------------------------------

    async function loadPage() {
      const first = state.next == null && state.comments.size === 0;
      moreButton.disabled = true;
      list.setAttribute("aria-busy", "true");
      try {
        const page = await api(`/api/v1/comments?${q({ site: config.site, thread: config.thread, after: state.next || undefined, limit: 100 })}`);
        state.maxDepth = typeof page.max_depth === "number" ? page.max_depth : state.maxDepth;
        state.renderToken = page.render_token;
        for (const c of page.comments) addComment(c);
        setTotal(page.total);
        state.next = page.next_cursor;
        moreButton.hidden = state.next == null;
        notice.hidden = state.comments.size > 0;
        notice.className = "empty";
        notice.textContent = t("empty");
        return true;
      } catch (error) {
        if (first) {
          notice.className = "problem";
          notice.replaceChildren(
            t("loadFailed"), " ",
            h("button", { type: "button", class: "link-button", onclick: () => start() }, t("retry")),
          );
        }
        return false;
      } finally {
        moreButton.disabled = false;
        list.removeAttribute("aria-busy");
      }
    }

    // -- live updates -------------------------------------------------------------------------------

    let events = null;
    function listen() {
      if (!window.EventSource || events) return;
      const newest = Math.max(0, ...state.comments.keys());
      // Only a fully loaded thread asks for a replay; otherwise "Load more" brings older ones.
      const after = state.next == null ? newest : undefined;
      events = new EventSource(`${BASE}/api/v1/threads/events?${q({ site: config.site, thread: config.thread, after })}`);
      events.addEventListener("open", () => (liveBadge.hidden = false));
      events.addEventListener("comment", (event) => {
        let c;
        try {
          c = JSON.parse(event.data);
        } catch {
          return;
        }
        const mine = root.getElementById(`parley-pending-${c.id}`);
        if (state.comments.has(c.id)) return;
        if (addComment(c, { fresh: true })) {
          setTotal(state.total + 1);
          announce(mine ? t("published") : t("newComment", { name: (c.author && c.author.name) || t("anonymous") }));
        }
      });
      events.addEventListener("error", () => {
        liveBadge.hidden = true;
        // EventSource retries by itself after a stream ends; if it gave up, try again later.
        if (events.readyState === EventSource.CLOSED) {
          events = null;
          setTimeout(listen, 30000);
        }
      });
    }

    // -- the form ---------------------------------------------------------------------------------------

    const field = (name, label, input, hintText) => {
      const id = `parley-${name}`;
      input.id = id;
      const describedBy = [hintText ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
      input.setAttribute("aria-describedby", describedBy);
      return h("div", { class: "field" },
        h("label", { for: id }, ...label),
        input,
        hintText && h("p", { class: "hint", id: `${id}-hint` }, hintText),
        h("p", { class: "error", id: `${id}-error` }));
    };

    const inputs = {
      body: h("textarea", { name: "body", rows: 5, required: true, maxlength: MAX_BODY + 1000 }),
      name: h("input", { type: "text", name: "name", autocomplete: "name", required: true, maxlength: 100 }),
      email: h("input", { type: "email", name: "email", autocomplete: "email", required: true, maxlength: 320 }),
      url: h("input", { type: "url", name: "url", autocomplete: "url", maxlength: 2048, placeholder: "https://" }),
      honeypot: h("input", { type: "text", name: "homepage", tabindex: "-1", autocomplete: "off" }),
      remember: h("input", { type: "checkbox", name: "remember", id: "parley-remember" }),
      notify: h("input", {
        type: "checkbox", name: "notify", id: "parley-notify",
        onchange: (event) => storage.set(NOTIFY_KEY, event.currentTarget.checked || null),
      }),
    };
    const formHeading = h("h3", { id: "parley-form-heading" }, t("leaveReply"));
    const cancelButton = h("button", { type: "button", class: "link-button", hidden: true, onclick: () => closeReply(true) }, t("cancelReply"));
    const signin = h("div", { class: "signin", hidden: true });
    const who = h("div", { class: "who", hidden: true });
    const guest = h("div", { class: "guest" },
      field("name", [t("name")], inputs.name),
      field("email", [t("email"), " ", h("small", null, `(${t("emailNote")})`)], inputs.email),
      field("url", [t("website"), " ", h("small", null, `(${t("optional")})`)], inputs.url));
    const rememberRow = h("label", { class: "remember", for: "parley-remember" }, inputs.remember, h("span", null, t("remember")));
    // Only for signed-in readers: a guest's email is unverified, so the server would refuse it.
    const notifyRow = h("label", { class: "remember", for: "parley-notify", hidden: true }, inputs.notify, h("span", null, t("notify")));
    const submitButton = h("button", { type: "submit", class: "button primary" }, t("post"));
    const formError = h("p", { class: "error", id: "parley-form-error" });
    const outcome = h("p", { class: "outcome ok", hidden: true });
    const form = h("form", { novalidate: true, "aria-labelledby": "parley-form-heading", onsubmit: submit },
      h("div", { class: "respond-head" }, formHeading, cancelButton),
      signin, who,
      field("body", [t("comment")], inputs.body, t("hint")),
      notifyRow,
      guest,
      h("div", { class: "hp", "aria-hidden": "true" }, h("label", null, t("honeypot"), inputs.honeypot)),
      rememberRow,
      h("div", { class: "submit-row" }, submitButton, outcome),
      formError);
    const respond = h("div", { class: "respond" }, form);
    section.append(respond, h("p", { class: "powered" }, h("a", { href: BASE, target: "_blank", rel: "noopener" }, t("powered"))));

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

    const savedGuest = storage.get(GUEST_KEY);
    if (savedGuest && typeof savedGuest === "object") {
      inputs.name.value = String(savedGuest.name || "");
      inputs.email.value = String(savedGuest.email || "");
      inputs.url.value = String(savedGuest.url || "");
      inputs.remember.checked = true;
    }
    inputs.notify.checked = storage.get(NOTIFY_KEY) === true;

    function openReply(id, name, button) {
      state.replyTo = id;
      state.replyButton = button;
      formHeading.textContent = t("replyTo", { name });
      cancelButton.hidden = false;
      state.comments.get(id).li.append(respond);
      clearErrors();
      inputs.body.focus();
    }

    function closeReply(restoreFocus) {
      const button = state.replyButton;
      state.replyTo = null;
      state.replyButton = null;
      formHeading.textContent = t("leaveReply");
      cancelButton.hidden = true;
      section.insertBefore(respond, section.querySelector(".powered"));
      if (restoreFocus && button && button.isConnected) button.focus();
    }

    function signedIn() {
      return Boolean(state.auth && state.auth.token);
    }

    function renderIdentity() {
      const identity = signedIn() ? state.auth.identity || {} : null;
      who.hidden = !identity;
      guest.hidden = Boolean(identity) || (state.signinRequired && !identity);
      rememberRow.hidden = guest.hidden;
      notifyRow.hidden = !identity;
      signin.hidden = Boolean(identity) || state.providers.length === 0;
      if (identity) {
        const provider = identity.provider_label || identity.provider || "";
        who.replaceChildren(
          avatar({ name: identity.name, avatar_url: identity.avatar_url }, 32),
          h("p", null,
            t("commentingAs", { provider }), " ",
            h("button", { type: "button", class: "link-button", onclick: () => logout(false) }, t("logOut")),
            " / ",
            h("button", { type: "button", class: "link-button", onclick: () => logout(true) }, t("change"))),
        );
      }
      const buttons = state.providers.map((p) => {
        const icon = safeUrl(p.icon);
        return h("button", {
          type: "button", class: "button provider", "data-provider": p.name,
          "aria-label": t("signInAs", { provider: p.label }),
          onclick: () => signIn(p),
        }, icon && h("span", { class: "icon", "aria-hidden": "true", style: `--icon: url("${icon}")` }), p.label);
      });
      signin.replaceChildren(
        h("span", { class: "signin-label" }, t("signInWith")),
        ...buttons,
        !state.signinRequired && h("p", { class: "or" }, t("orGuest")),
      );
    }

    // -- signing in -------------------------------------------------------------------------------------

    let popup = null;
    function signIn(provider) {
      const login = safeUrl(provider.login_url) || `${BASE}/auth/${encodeURIComponent(provider.name)}/login`;
      const url = `${login}${login.includes("?") ? "&" : "?"}${q({ site: config.site, origin: location.origin })}`;
      const width = 520;
      const height = 680;
      const left = Math.max(0, (window.screenX || 0) + (window.outerWidth - width) / 2);
      const top = Math.max(0, (window.screenY || 0) + (window.outerHeight - height) / 2);
      popup = window.open(url, "parley-signin", `popup,width=${width},height=${height},left=${left},top=${top}`);
      if (!popup) showFormError(t("errPopup"));
    }

    window.addEventListener("message", (event) => {
      // Only Parley's own popup may sign the reader in, whatever else posts messages here.
      if (event.origin !== ORIGIN) return;
      const data = event.data;
      if (!data || typeof data !== "object" || data.type !== "parley:auth") return;
      if (popup && event.source !== popup) return;
      popup = null;
      if (data.error || typeof data.token !== "string") {
        showFormError(t("errSigninFailed", { message: String(data.message || data.error || "") }));
        return;
      }
      const identity = data.identity && typeof data.identity === "object" ? data.identity : {};
      state.auth = {
        token: data.token,
        identity: {
          name: typeof identity.name === "string" ? identity.name : null,
          avatar_url: typeof identity.avatar_url === "string" ? identity.avatar_url : null,
          provider: String(identity.provider || ""),
          provider_label: String(identity.provider_label || identity.provider || ""),
        },
        expires: Date.now() + (Number(data.expires_in) || 0) * 1000,
      };
      storage.set(AUTH_KEY, state.auth);
      clearErrors();
      renderIdentity();
      announce(t("signedIn", { name: state.auth.identity.name || state.auth.identity.provider_label }));
      inputs.body.focus();
    });

    // Signing in or out in another tab of this site changes this one too.
    window.addEventListener("storage", (event) => {
      if (event.key !== AUTH_KEY) return;
      state.auth = storage.get(AUTH_KEY);
      renderIdentity();
    });

    async function logout(change) {
      const auth = state.auth;
      state.auth = null;
      storage.set(AUTH_KEY, null);
      renderIdentity();
      if (change) {
        const first = signin.querySelector(".provider");
        if (first) first.focus();
      } else {
        announce(t("signedOut"));
        inputs.body.focus();
      }
      if (auth && auth.token) {
        // Revoke the token on the server too; the reader is signed out here either way.
        state.auth = auth;
        const revoke = api(`/auth/logout?${q({ site: config.site })}`, { method: "POST", auth: true });
        state.auth = null;
        revoke.catch(() => {});
      }
    }

    async function checkAuth() {
      if (!signedIn()) return;
      if (state.auth.expires && state.auth.expires < Date.now()) {
        state.auth = null;
        storage.set(AUTH_KEY, null);
        return;
      }
      try {
        const me = await api(`/auth/me?${q({ site: config.site })}`, { auth: true });
        if (me && me.identity && state.auth) {
          Object.assign(state.auth.identity, {
            name: me.identity.name, avatar_url: me.identity.avatar_url,
            provider: me.identity.provider, provider_label: me.identity.provider_label,
          });
          storage.set(AUTH_KEY, state.auth);
        }
      } catch (error) {
        if (error.status === 401) {
          state.auth = null;
          storage.set(AUTH_KEY, null);
        }
      }
      renderIdentity();
    }

    // -- posting --------------------------------------------------------------------------------------

    const FIELD_OF = { body: "body", "author.name": "name", author: "name", "author.email": "email", "author.url": "url" };

    function clearErrors() {
      for (const name of ["body", "name", "email", "url"]) {
        inputs[name].removeAttribute("aria-invalid");
        root.getElementById(`parley-${name}-error`).textContent = "";
      }
      formError.textContent = "";
      formError.removeAttribute("role");
    }

    function showFieldError(name, message) {
      inputs[name].setAttribute("aria-invalid", "true");
      root.getElementById(`parley-${name}-error`).textContent = message;
    }

    function showFormError(message) {
      formError.setAttribute("role", "alert");
      formError.textContent = message;
    }

    function validate(values) {
      const errors = {};
      if (!values.body) errors.body = t("errBodyRequired");
      else if (values.body.length > MAX_BODY) errors.body = t("errBodyLong", { max: MAX_BODY, n: values.body.length });
      if (!signedIn()) {
        if (!values.name) errors.name = t("errNameRequired");
        else if (values.name.length > 100) errors.name = t("errNameLong");
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) errors.email = t("errEmail");
        if (values.url && !safeUrl(values.url)) errors.url = t("errUrl");
        else if (values.url && !/^https?:\/\//i.test(values.url)) errors.url = t("errUrl");
      }
      return errors;
    }

    // The server's sentence is English; the field it names gets the reader's language instead.
    function fieldMessage(name) {
      const n = inputs[name].value.trim().length;
      if (name === "body") return n ? t("errBodyLong", { max: MAX_BODY, n }) : t("errBodyRequired");
      if (name === "name") return n ? t("errNameLong") : t("errNameRequired");
      return name === "email" ? t("errEmail") : t("errUrl");
    }

    function showApiError(error) {
      const name = FIELD_OF[error.field];
      if (error.code === "validation_failed" && name && !(name !== "body" && signedIn())) {
        showFieldError(name, fieldMessage(name));
        inputs[name].focus();
        return;
      }
      let message;
      if (error.code === "rate_limited") message = t("errRate", { s: error.retry_after || 60 });
      else if (error.code === "unauthorized") {
        if (signedIn()) {
          state.auth = null;
          storage.set(AUTH_KEY, null);
          message = t("errExpired");
        } else {
          state.signinRequired = true;
          message = t("errSignin");
        }
        renderIdentity();
      } else if (error.code === "origin_not_allowed") message = t("errOrigin");
      else if (error.code === "network") message = t("errNetwork");
      else if (error.field === "parent") message = t("errParent");
      else message = t("errGeneric", { message: error.message || error.code });
      showFormError(message);
      const first = signin.hidden ? submitButton : signin.querySelector(".provider") || submitButton;
      first.focus();
    }

    /** Asks for reply mail about comment ``id``; resolves to a sentence saying what happened. */
    function followReplies(id) {
      const why = (reason) => String(reason).replace(/\.$/, "");
      return api("/api/v1/notifications/replies", { method: "POST", body: { site: config.site, comment: id }, auth: true }).then(
        (answer) => (answer.subscribed ? t("notifyOn") : t("notifyOff", { reason: why(answer.reason || "") })),
        (error) => t("notifyOff", { reason: why(error.code === "network" ? t("errNetwork") : error.message || error.code) }),
      );
    }

    let busy = false;
    async function submit(event) {
      event.preventDefault();
      if (busy) return;
      clearErrors();
      outcome.hidden = true;
      const values = {
        body: inputs.body.value.trim(),
        name: inputs.name.value.trim(),
        email: inputs.email.value.trim(),
        url: inputs.url.value.trim(),
      };
      const errors = validate(values);
      const names = Object.keys(errors);
      if (names.length) {
        for (const name of names) showFieldError(name, errors[name]);
        inputs[["body", "name", "email", "url"].find((n) => errors[n])].focus();
        return;
      }
      busy = true;
      submitButton.disabled = true;
      submitButton.textContent = t("posting");
      const parent = state.replyTo;
      const payload = {
        site: config.site,
        thread: config.thread,
        body: values.body,
        title: config.title || undefined,
        url: config.url || undefined,
        parent: parent == null ? undefined : parent,
        client: { honeypot: inputs.honeypot.value, render_token: state.renderToken || undefined },
      };
      if (!signedIn()) payload.author = { name: values.name, email: values.email, url: values.url || undefined };
      try {
        const created = await api("/api/v1/comments", { method: "POST", body: payload, auth: true });
        const id = created.comment.id;
        if (!signedIn()) {
          const { name, email, url } = values;
          storage.set(GUEST_KEY, inputs.remember.checked ? { name, email, url } : null);
        }
        const identity = signedIn() ? state.auth.identity : null;
        // Asked for alongside the wait for the decision, so it costs the reader no extra time.
        const following = identity && inputs.notify.checked ? followReplies(id) : null;
        const parentEntry = parent == null ? null : state.comments.get(parent);
        const mine = {
          id, parent, body: values.body, created: Date.now(),
          depth: parentEntry ? (parentEntry.data.depth || 0) + 1 : 0,
          name: identity ? identity.name : values.name,
          avatar_url: identity ? identity.avatar_url : null,
        };
        let final = { status: "pending" };
        try {
          final = (await api(`/api/v1/comments/${id}?wait=${WAIT_SECONDS}`)).comment;
        } catch {
          /* the comment is stored; treat it as awaiting a decision */
        }
        inputs.body.value = "";
        if (parent != null) closeReply(false);
        let target;
        if (final.status === "published") {
          // The live stream may have brought it first; count it once.
          if (!state.comments.has(id)) setTotal(state.total + 1);
          target = addComment(final, { fresh: true }).li;
          outcome.textContent = t("published");
        } else {
          rememberPending(mine);
          target = showPending(mine);
          outcome.textContent = t("awaiting");
        }
        if (following) outcome.textContent += ` ${await following}`;
        outcome.hidden = false;
        announce(outcome.textContent);
        const article = target && target.querySelector("article");
        if (article) {
          article.focus();
          article.scrollIntoView({ block: "nearest" });
        }
      } catch (error) {
        showApiError(error);
      } finally {
        busy = false;
        submitButton.disabled = false;
        submitButton.textContent = t("post");
      }
    }

    // -- start ------------------------------------------------------------------------------------------

    async function loadProviders() {
      try {
        const data = await api(`/auth/providers?${q({ site: config.site })}`);
        state.providers = (data && Array.isArray(data.providers) ? data.providers : []).filter(
          (p) => p && typeof p.name === "string" && typeof p.label === "string"
        );
      } catch {
        state.providers = [];
      }
      renderIdentity();
    }

    async function start() {
      notice.className = "loading";
      notice.textContent = t("loading");
      notice.hidden = false;
      const loaded = await loadPage();
      if (!loaded) return;
      await restorePending();
      listen();
      const match = /^#parley-comment-(\d+)$/.exec(location.hash);
      const linked = match && state.comments.get(Number(match[1]));
      if (linked) linked.li.scrollIntoView();
    }

    renderIdentity();
    start();
    loadProviders();
    checkAuth();
  }

  const host = findHost();
  if (host) mount(host);
})();
