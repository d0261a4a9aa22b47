"""The demo: made-up blog articles with the widget embedded, as a site owner would embed it.

``/demo`` serves "Keeping doors open" from Parley's own origin; ``make run`` serves "The quiet
garden" from a second origin (``service.widget.demo_server``) to show cross-origin embedding.
Both come from one template, so the demo is also the reference for the embed snippet.

Both pages send a strict Content-Security-Policy, as a careful site owner would: the embed's
script tags carry the page's nonce, and ``demo_policy`` is what a host page must allow for
the widget (its Parley for ``connect-src``, avatars over https, inline style attributes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from service.security_headers import FIXED_POLICY
from service.settings.captcha import PROVIDERS

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGS = ("en", "ja", "zh-CN")
THEMES = ("light", "dark")


@dataclass(frozen=True)
class Article:
    thread: str
    title: str
    date: str
    dek: str
    paragraphs: tuple[str, ...]


ARTICLES: dict[str, dict[str, Article]] = {
    "keeping-doors-open": {
        "en": Article(
            "/2014/09/keeping-doors-open",
            "Keeping doors open",
            "September 14, 2014",
            "What a village hall taught me about running a community online.",
            (
                "The hall at the end of our lane has a door that sticks. Everyone who has "
                "ever organised a jumble sale there knows the trick: lift, then push. Nobody "
                "wrote it down, yet every newcomer learns it within a week, because someone is "
                "always standing nearby to show them.",
                "Comment sections work the same way. A good one is less a feature than a "
                "habit: people who stay near the door, answer the newcomer's question, and "
                "quietly sweep up after the loud ones have left.",
                "So this blog keeps its door open. Say hello below — guests are welcome, and "
                "if you sign in, your name comes with you.",
            ),
        ),
        "ja": Article(
            "/2014/09/keeping-doors-open",
            "扉を開けておくこと",
            "2014年9月14日",
            "村の集会所が教えてくれた、オンラインの場づくり。",
            (
                "小道の突き当たりにある集会所の扉は、少し引っかかります。そこでバザーを開いた"
                "ことのある人なら、持ち上げてから押すというコツを知っています。誰も書き残して"
                "いないのに、新しく来た人も一週間もすれば覚えてしまいます。いつも誰かがそばで"
                "教えてくれるからです。",
                "コメント欄も同じです。良いコメント欄は機能というより習慣です。扉の近くにいて、"
                "新しい人の質問に答え、騒がしい人が去った後を静かに片付ける人たちがいるのです。",
                "だからこのブログは扉を開けておきます。下で気軽に声をかけてください。ゲストも"
                "歓迎です。サインインすれば、あなたの名前も一緒に表示されます。",
            ),
        ),
        "zh-CN": Article(
            "/2014/09/keeping-doors-open",
            "让门一直开着",
            "2014年9月14日",
            "村里的礼堂教会我的网络社区经营之道。",
            (
                "我们巷子尽头的礼堂有一扇门总是卡住。在那里办过义卖的人都知道诀窍：先抬，再推。"
                "没人把它写下来，可每个新来的人不出一周就学会了，因为总有人站在旁边教他们。",
                "评论区也是如此。好的评论区与其说是一项功能，不如说是一种习惯：有人守在门边，"
                "回答新人的问题，在吵闹的人离开后默默收拾。",
                "所以这个博客让门一直开着。欢迎在下面留言——访客也欢迎，登录后你的名字会随你而来。",
            ),
        ),
    },
    "the-quiet-garden": {
        "en": Article(
            "/2014/10/the-quiet-garden",
            "The quiet garden",
            "October 2, 2014",
            "A second article, served from another origin than Parley itself.",
            (
                "This page is served by a different web server, on a different origin, from "
                "the comment service. The widget below still works: it talks to Parley with "
                "CORS requests, keeps your sign-in in this page's own storage, and never needs "
                "a third-party cookie.",
                "Behind the house there is a garden nobody visits in October. The beans are "
                "finished, the apples are in, and the only sound is the robin arguing with the "
                "wind. It is the best time of year to sit on the bench and think about nothing.",
            ),
        ),
    },
}

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def demo_policy(parley: str, captcha: str | None = None) -> dict[str, str]:
    """The CSP directives (beyond ``service.security_headers``' own) a page embedding the
    widget from ``parley`` needs: the API and live stream, avatars, the widget's style
    attributes (an avatar's colour), and the page's own inline <style>. With ``captcha``
    (``turnstile`` or ``hcaptcha``, where the operator chose one) that provider's origins, and
    only then, for its script, its frame, and (hCaptcha) its styles and calls."""
    parley = parley.rstrip("/")
    policy = {
        "connect-src": f"'self' {parley}",
        "img-src": f"'self' data: https: {parley}",
        "style-src": "'self' 'unsafe-inline'",
        "form-action": "'none'",
    }
    if captcha:
        origins = PROVIDERS[captcha]["origins"]
        policy["script-src"] = f"{FIXED_POLICY['script-src']} {origins}"
        policy["frame-src"] = origins
        if captcha == "hcaptcha":
            policy["style-src"] += f" {origins}"
            policy["connect-src"] += f" {origins}"
    return policy


def render_demo(
    name: str,
    *,
    parley: str,
    other: str,
    lang: str = "en",
    theme: str | None = None,
    nonce: str = "",
) -> str:
    """The article page ``name`` embedding the widget from ``parley`` (Parley's base URL);
    its script tags carry ``nonce``, the one its Content-Security-Policy allows."""
    versions = ARTICLES[name]
    lang = lang if lang in versions else "en"
    theme = theme if theme in THEMES else None
    others = [
        (key, ARTICLES[key].get(lang, ARTICLES[key]["en"])) for key in ARTICLES if key != name
    ]
    return _env.get_template("article.html").render(
        article=versions[lang],
        lang=lang,
        theme=theme,
        parley=parley.rstrip("/"),
        other=other,
        others=others,
        langs=[code for code in LANGS if code in versions],
        current=name,
        nonce=nonce,
    )
