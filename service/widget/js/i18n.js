// @ts-check
/* The widget's words in English, Japanese and Simplified Chinese, and choosing among them. */

/**
 * @typedef {(key: string, vars?: Record<string, string | number>) => string} Translate
 * @typedef {{count: (n: number) => string} & Record<string, string | ((n: number) => string)>} Words
 */

/** @type {Record<string, Words>} */
const STRINGS = {
  en: {
    count: (/** @type {number} */ n) => (n === 1 ? "1 comment" : `${n} comments`),
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
    commentingAsSite: "You are commenting as {name} ({site} account).",
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
    count: (/** @type {number} */ n) => `${n}件のコメント`,
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
    commentingAsSite: "{name}（{site} アカウント）としてコメントしています。",
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
    count: (/** @type {number} */ n) => `${n} 条评论`,
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
    commentingAsSite: "您正在以 {name}（{site} 账号）的身份发表评论。",
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

/**
 * One of the languages above for a page's or reader's language tag.
 * @param {unknown} raw
 */
export function pickLang(raw) {
  const lang = String(raw || "").toLowerCase();
  if (lang.startsWith("ja")) return "ja";
  if (lang.startsWith("zh")) return "zh-CN";
  return "en";
}

/**
 * The sentence ``key`` in ``lang`` (English when missing) with its {placeholders} filled.
 * @param {string} lang
 * @returns {Translate}
 */
export function translator(lang) {
  const words = STRINGS[lang];
  return (key, vars) =>
    String(words[key] ?? STRINGS.en[key]).replace(/\{(\w+)\}/g, (m, k) =>
      vars && k in vars ? String(vars[k]) : m,
    );
}

/**
 * "N comments" in ``lang``.
 * @param {string} lang
 * @param {number} n
 */
export const countOf = (lang, n) => STRINGS[lang].count(n);
