"""The console's words in English, Japanese and Simplified Chinese (as the widget has them).

The language is ``?lang=`` when given (and then remembered in the session), else the best
match of the browser's ``Accept-Language``. A word without a translation shows in English.
"""

from __future__ import annotations

from flask import request, session

from service.moderation import admin_words

LANGUAGES = ("en", "ja", "zh-CN")
_LANG_KEY = "parley_console_lang"

WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "Queue": "キュー",
        "Import": "インポート",
        "Settings": "サイト設定",
        "Bans": "禁止",
        "Audit log": "監査ログ",
        "Members": "メンバー",
        "Webhooks": "Webhook",
        "API tokens": "APIトークン",
        "Moderating": "モデレーション中",
        "held": "保留",
        "spam": "スパム",
        "published": "公開",
        "rejected": "却下",
        "pending": "処理中",
        "all": "すべて",
        "Thread": "スレッド",
        "Author": "投稿者",
        "Search": "検索",
        "Reason": "理由",
        "Domain": "ドメイン",
        "Group by": "グループ",
        "none": "なし",
        "Filter": "絞り込む",
        "Approve": "承認",
        "Reject": "却下",
        "Spam": "スパム",
        "Not spam": "スパムではない",
        "Delete": "削除",
        "Ban author": "投稿者を禁止",
        "selected": "件を選択",
        "Select all like this": "似たものをすべて選択",
        "same author": "同じ投稿者",
        "same link domain": "同じリンク先",
        "same reason": "同じ理由",
        "All checks": "すべてのチェック",
        "Undo": "元に戻す",
        "published_n": "公開",
        "first seen": "初回",
        "Nothing here": "該当するコメントはありません",
        "new comments": "件の新しいコメント",
        "Show": "表示",
    },
    "zh-CN": {
        "Queue": "队列",
        "Import": "导入",
        "Settings": "站点设置",
        "Bans": "封禁",
        "Audit log": "审计日志",
        "Members": "成员",
        "Webhooks": "Webhook",
        "API tokens": "API 令牌",
        "Moderating": "正在审核",
        "held": "待审",
        "spam": "垃圾",
        "published": "已发布",
        "rejected": "已拒绝",
        "pending": "处理中",
        "all": "全部",
        "Thread": "主题",
        "Author": "作者",
        "Search": "搜索",
        "Reason": "原因",
        "Domain": "域名",
        "Group by": "分组",
        "none": "无",
        "Filter": "筛选",
        "Approve": "通过",
        "Reject": "拒绝",
        "Spam": "垃圾",
        "Not spam": "不是垃圾",
        "Delete": "删除",
        "Ban author": "封禁作者",
        "selected": "已选",
        "Select all like this": "选择所有类似的",
        "same author": "同一作者",
        "same link domain": "同一链接域名",
        "same reason": "同一原因",
        "All checks": "全部检查",
        "Undo": "撤销",
        "first seen": "首次出现",
        "Nothing here": "没有符合条件的评论",
        "new comments": "条新评论",
        "Show": "显示",
    },
}


def console_language() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session[_LANG_KEY] = asked
        return asked
    if session.get(_LANG_KEY) in LANGUAGES:
        return session[_LANG_KEY]
    best = request.accept_languages.best_match(["en", "ja", "zh-CN", "zh"], default="en")
    return "zh-CN" if best == "zh" else best


# The admin pages' words (settings, bans, audit log, members, webhooks, tokens) beside the queue's.
ADMIN_WORDS = {"ja": admin_words.JA, "zh-CN": admin_words.ZH_CN}


def translator(lang: str):
    words = {**ADMIN_WORDS.get(lang, {}), **WORDS.get(lang, {})}
    return lambda text: words.get(text, text)
