"""Stateless text rules: each looks at one comment and says why it is suspicious.

Every rule is a ``@check`` answering ``(score, reason)`` (``worker.checks.base``).
Scores are chosen against the default thresholds (``service.policy.Thresholds``:
hold at 0.5, spam at 0.9):

- below 0.5: a weak signal, recorded and explained to the moderator;
- 0.5 to 0.9: enough on its own to hold the comment for a moderator;
- 0.9 and up (spam kind): filed as spam without review.

Rules read ``facts.body`` (the Markdown source, where links still have their
URLs) and fall back to ``facts.text``. They read the site's ``max_links``,
``allowed_domains``, ``blocklist`` and ``min_submit_ms`` (``service.policy``).
Links the site vouches for (its own, allowed and reference hosts:
``worker.text.links.vouched``) are not counted.
The widget's signals come first: they are the cheapest.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from service import caches
from worker.checks.base import CheckContext, CommentFacts, check
from worker.text.cues import SELF_PROMOTION_RE
from worker.text.links import (
    BRACKETED_DOT_RE,
    OBFUSCATED_LINK_RE,
    SPACED_DOT_TLDS,
    SPAM_TERMS,
    URL_RE,
    WWW_SPELLED_RE,
    Link,
    domain_matches,
    linked_text,
    parse_link,
    run_together_words,
    vouched,
)


@dataclass(frozen=True)
class Prepared:
    """What several rules need from one body, computed once per body."""

    clean: str  # clean_text(body): decoded, tag-free, NFKC
    links: tuple[Link, ...]  # every link, obfuscated ones included
    obfuscated: tuple[str, ...]  # the obfuscated spellings as written


_SPELLED_OUT_LINK = re.compile(
    r"\bh\s+t\s+t\s+p\s*s?\s*:\s*/\s*/"
    r"|(?<!\w)(?:[a-z0-9]\s){3,}[a-z0-9]\s*\.\s*(?:c\s*o\s*m|n\s*e\s*t|o\s*r\s*g|i\s*n\s*f\s*o)\b",
    re.IGNORECASE,
)


# "footystreams . live": a dot with a space each side before a suffix that is also an
# English word, after a name made of two or more words run together. A sentence's full
# stop follows one word ("we went home . live music after"), not a compound.
_SPACED_COMPOUND = re.compile(
    r"(?<![\w.-])([a-z]{6,40}) \. (" + "|".join(sorted(SPACED_DOT_TLDS)) + r")\b(?![.\w-])",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def prepare(body: str) -> Prepared:
    linked = linked_text(body)
    clean, links = linked.clean, linked.links
    obfuscated = [m.group(0) for m in OBFUSCATED_LINK_RE.finditer(clean)]
    if "(" in clean or "[" in clean or "{" in clean:
        obfuscated += [m.group(0) for m in BRACKETED_DOT_RE.finditer(clean)]
    if "www" in clean.lower():
        obfuscated += [m.group(0) for m in WWW_SPELLED_RE.finditer(clean)]
    if " . " in clean:
        obfuscated += [
            m.group(0)
            for m in _SPACED_COMPOUND.finditer(clean)
            if len(run_together_words(m.group(1).lower())) >= 2
        ]
    # A domain spelled one letter at a time: "r e p l i c a . c o m", "h t t p s : / /".
    obfuscated += [" ".join(m.group(0).split()) for m in _SPELLED_OUT_LINK.finditer(clean)]
    # Full-width or other compatibility characters in a link ("ｅｘａｍｐｌｅ．ｃｏｍ"):
    # a domain NFKC reveals that the text as typed does not show.
    if not body.isascii():
        visible = {parse_link(m.group(0)).domain for m in URL_RE.finditer(body)}
        obfuscated += [link.url for link in links if link.domain not in visible]
    return Prepared(clean, links, tuple(dict.fromkeys(obfuscated)))


caches.declare("texts.rules", prepare.cache_clear)


def _body(facts: CommentFacts) -> str:
    return facts.body or facts.text or ""


def vouched_hosts(facts: CommentFacts, ctx: CheckContext) -> list[str]:
    """The site's own hosts and its ``allowed_domains``: links there are never counted."""
    return list(_vouched_hosts(tuple(facts.site_origins), tuple(ctx.policy.allowed_domains)))


# Cached per process: a site's hosts are the same for every comment and every link rule.
@lru_cache(maxsize=256)
def _vouched_hosts(origins: tuple[str, ...], allowed: tuple[str, ...]) -> tuple[str, ...]:
    own = [parse_link(origin).domain for origin in origins]
    return tuple(own + [d.lower().removeprefix("www.") for d in allowed])


caches.declare("sites.vouched_hosts", _vouched_hosts.cache_clear)


def _counted_links(facts: CommentFacts, ctx: CheckContext) -> list[Link]:
    # Links to the site itself, its allowed domains and reference hosts (a
    # GitHub issue, Wikipedia, the docs) are how readers back up a point.
    hosts = vouched_hosts(facts, ctx)
    return [link for link in prepare(_body(facts)).links if not vouched(link.site, hosts)]


def _domains(links: list[Link], limit: int = 3) -> str:
    names = list(dict.fromkeys(link.domain or link.url for link in links))
    return ", ".join(names[:limit]) + (", …" if len(names) > limit else "")


# --- widget signals ------------------------------------------------------------------------


@check("honeypot", kind="spam", version="1")
def honeypot(facts: CommentFacts, ctx: CheckContext):
    """The widget's hidden field: people never see it, form-filling bots fill it."""
    value = facts.client.get("honeypot")
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0, "hidden field left empty"
    return 1.0, "hidden form field was filled in (a bot)"


# What the web layer found in the render token when there is no timing to judge. Each is
# below any hold: a reader whose page was cached, or who posts from an old widget, must not
# be held for it, but a moderator reading the queue sees the form was not the widget's.
_TOKEN_NOTES = {
    "missing": (0.2, "no render token: the form was not shown by the widget"),
    "forged": (0.4, "render token forged, expired or from another site"),
    "other_thread": (0.4, "render token issued for another thread"),
    "reused": (0.4, "render token already spent on an earlier comment"),
}


@check("submit_speed", kind="spam", version="2")
def submit_speed(facts: CommentFacts, ctx: CheckContext):
    """Time between the widget rendering and the submission (verified by the web layer)."""
    raw = facts.client.get("elapsed_ms")
    if raw is None or isinstance(raw, bool):
        note = _TOKEN_NOTES.get(facts.client.get("render_token"))
        return note if note else (0.0, "no timing from the widget")
    try:
        elapsed = float(raw)
    except (TypeError, ValueError):
        return 0.0, f"unreadable timing {raw!r}"
    if elapsed < 0 or elapsed != elapsed:  # negative or NaN: not ours to judge
        return 0.0, f"unreadable timing {raw!r}"
    minimum = float(ctx.policy.min_submit_ms)
    if elapsed >= minimum:
        return 0.0, f"written in {elapsed / 1000:.1f} s"
    score = 0.8 if elapsed < minimum / 3 else 0.6
    reason = f"submitted {elapsed:.0f} ms after the form appeared (people need ≥ {minimum:.0f} ms)"
    return score, reason


# --- links ---------------------------------------------------------------------------


@check("link_count", kind="spam", version="5")
def link_count(facts: CommentFacts, ctx: CheckContext):
    """Link count and link density (a comment that is little more than a link)."""
    found = _counted_links(facts, ctx)
    limit = ctx.policy.max_links
    n = len(found)
    if n == 0:
        return 0.0, "no links"
    if n > limit:
        # Grows towards 1 with every link over the limit: 3 over is already 0.9.
        score = min(1.0, 0.6 + 0.1 * (n - limit))
        return score, f"{n} links ({_domains(found)}), limit {limit}"
    prose = URL_RE.sub(" ", prepare(_body(facts)).clean)
    words = re.findall(r"\w{2,}", prose)
    if len(words) <= 3:
        reason = f"little more than a link to {_domains(found)} ({len(words)} other words)"
        # A bare link to one video ("the best part: youtu.be/…") or to one page a
        # reader cites ("For the lazy: xkcd.com/927", a numbered item, an article
        # slug: ``Link.cites``) is common from readers; a bare link to a home page,
        # a profile, a shop or a share code is held for a person to look at.
        # With no word at all it is a link drop, cited page or not.
        if words and all(link.is_video or link.cites for link in found):
            return 0.45, reason + ": a page cited, not a site promoted"
        return 0.5, reason
    return 0.25, f"{n} link(s) to {_domains(found)}"


@check("obfuscated_link", kind="spam", version="6")
def obfuscated_link(facts: CommentFacts, ctx: CheckContext):
    """Domains written to slip past link filters: "example . com", "example dot com",
    full-width "ｅｘａｍｐｌｅ．ｃｏｍ"."""
    found = prepare(_body(facts)).obfuscated
    if not found:
        return 0.0, "no disguised links"
    shown = ", ".join(f"'{s}'" for s in found[:2])
    return 0.8, f"link written to dodge filters: {shown}"


# A school, club, church or council passing on a notice often shortens its form or page
# for a flyer ("Our school PTA is collecting uniforms, details here bit.ly/…"). Said
# in a sentence of a reader's own about a local body, with no selling, money or spam
# word and a single short link, it is noted for a person, not held.
_LOCAL_BODY = re.compile(
    r"\b(?:our|my|the|your\s+local|the\s+local)\s+(?:[\w']+\s+){0,2}?(?:school|pta|council"
    r"|parish|church|mosque|temple|club|scouts|guides|brownies|food\s*bank|library|nursery"
    r"|allotments?|hospice|playgroup|choir|residents'?\s+association)(?:'s)?\b",
    re.IGNORECASE,
)
_NOTICE_MIN_WORDS = 8
_NOT_A_NOTICE = frozenset(
    """cheap cheapest discount cash money earn earning income profit profits rich bonus promo
    coupon order rx price prices buy deal deals offer win winner prize investment invest
    trading followers""".split()
)
SHORT_NOTICE_SCORE = 0.4


def _a_local_notice(clean: str, short: list[Link]) -> bool:
    prose = URL_RE.sub(" ", clean)
    words = re.findall(r"[a-z]{2,}", prose.lower())
    return (
        len(short) == 1
        and len(words) >= _NOTICE_MIN_WORDS
        and _LOCAL_BODY.search(prose) is not None
        and not (_NOT_A_NOTICE | SPAM_TERMS).intersection(words)
        and "@" not in prose
    )


@check("url_shortener", kind="spam", version="3")
def url_shortener(facts: CommentFacts, ctx: CheckContext):
    short = [link for link in _counted_links(facts, ctx) if link.is_shortener]
    if not short:
        return 0.0, "no shortened links"
    if _a_local_notice(prepare(_body(facts)).clean, short):
        return (
            SHORT_NOTICE_SCORE,
            f"link through a URL shortener ({_domains(short)}) in a local body's notice",
        )
    return 0.7, f"link through a URL shortener ({_domains(short)}) hides where it leads"


@check("self_promotion", kind="spam", version="2")
def self_promotion(facts: CommentFacts, ctx: CheckContext):
    """ "Subscribe to my channel", "check out my page", "sub4sub" and the like."""
    m = SELF_PROMOTION_RE.search(prepare(_body(facts)).clean.lower())
    if not m:
        return 0.0, "no self-promotion phrasing"
    phrase = " ".join(m.group(0).split())
    return 0.6, f"asks readers to follow the writer's channel: '{phrase}'"


# --- site blocklist ------------------------------------------------------------------

# Look-alike digits and symbols, folded to one letter on both sides of the match
# ("fr33" -> "free", "v1agra" -> "viagra", "$ex" -> "sex"). "1", "!", "|" and "l"
# all fold to "i" because "1" stands for either; the blocked term is folded the
# same way, so "loan" still matches "l0an" and "1oan".
_LEET = str.maketrans(
    {"0": "o", "1": "i", "!": "i", "|": "i", "l": "i", "3": "e", "€": "e", "4": "a", "@": "a"}
    | {"5": "s", "$": "s", "7": "t", "+": "t", "8": "b", "9": "g"}
)
# "v.i.a.g.r.a", "f-r-e-e", then "v i a g r a": three or more single characters
# with separators between them are one word. Punctuation goes first, so in
# "b.u.y v-i-a-g-r-a" the space still parts the two words; letters spelled out
# with one space between them and two between words ("k i l l  y o u") are words.
_SPELLED = (
    re.compile(r"(?<!\w)(?:\w[.\-_*·]+){2,}\w(?!\w)"),
    re.compile(r"(?<!\w)(?:\w(?: (?! )|\s*\n\s*)){2,}\w(?!\w)"),
)

_SEPARATORS = re.compile(r"[\s.\-_*·]+")
_REPEATS = re.compile(r"(.)\1+")
_LETTERS = re.compile(r"[^\W_]+")


# Cached per process: the blocklist, the abuse checks and the threat check fold the same
# comment (and the same lexicon words) several times each; a comment's calls fit in 512
# (a few MB at most: comments are bounded).
@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """Normalise text for blocklist matching: NFKC, no accents, leetspeak folded."""
    text = unicodedata.normalize("NFKC", text).lower()
    if not text.isascii():  # ASCII has no accents to take off (most comments: no walk per letter)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for spelled in _SPELLED:
        text = spelled.sub(lambda m: _SEPARATORS.sub("", m.group(0)), text)
    text = text.translate(_LEET)
    text = _REPEATS.sub(r"\1", text)  # "freeee" and "free" fold alike
    return " ".join(_LETTERS.findall(text))


caches.declare("texts.folded", fold.cache_clear)


@lru_cache(maxsize=256)
def _term_pattern(term: str) -> re.Pattern | None:
    folded = fold(term)
    if not folded:
        return None
    return re.compile(rf"(?<![^\W_]){re.escape(folded)}(?![^\W_])")


caches.declare("patterns.blocklist_terms", _term_pattern.cache_clear)


def _is_domain(entry: str) -> bool:
    return " " not in entry.strip() and bool(re.fullmatch(r"[\w.-]+\.[a-z]{2,}", entry.strip()))


@check("blocklist", kind="policy", version="2")
def blocklist(facts: CommentFacts, ctx: CheckContext):
    """The site's own blocked words, phrases and domains (``policy.blocklist``)."""
    entries = [e.strip().lower() for e in ctx.policy.blocklist if e.strip()]
    if not entries:
        return 0.0, "no blocklist"
    prepared = prepare(_body(facts))
    domains = {link.domain for link in prepared.links}
    if facts.author_url:
        domains.add(parse_link(facts.author_url).domain)
    haystack = fold(f"{prepared.clean} {facts.author_name or ''}")
    hits = []
    for entry in entries:
        if _is_domain(entry):
            if domain_matches_any(domains, entry.removeprefix("www.")):
                hits.append(entry)
        else:
            pattern = _term_pattern(entry)
            if pattern is not None and pattern.search(haystack):
                hits.append(entry)
    if hits:
        reason = "contains blocked term(s): " + ", ".join(hits[:5])
        return 1.0, reason
    return 0.0, "no blocked terms"


def domain_matches_any(domains: set[str], blocked: str) -> bool:
    return any(domain_matches(d, [blocked]) for d in domains)


# --- style -------------------------------------------------------------------------------

_REPEAT = re.compile(r"(.)\1{5,}", re.DOTALL)


@check("shouting", kind="policy", version="1")
def shouting(facts: CommentFacts, ctx: CheckContext):
    """Mostly capitals, and characters repeated many times ("!!!!!!!!", "soooooo").

    A weak, policy-kind signal (at most 0.45): enthusiastic readers shout too.
    """
    clean = prepare(_body(facts)).clean
    letters = sum(map(str.isalpha, clean))
    # isupper also holds for a few non-letters (circled capitals), but NFKC in
    # clean_text has made nearly all of them letters.
    ratio = sum(map(str.isupper, clean)) / letters if letters else 0.0
    runs = [m.group(0) for m in _REPEAT.finditer(clean)]
    score, why = 0.0, []
    if letters >= 12 and ratio >= 0.7:
        score += 0.3
        why.append(f"{ratio:.0%} capitals")
    if runs:
        longest = max(runs, key=len)
        score += 0.15 if len(longest) < 12 else 0.25
        why.append(f"'{longest[0]}' repeated {len(longest)} times")
    score = min(score, 0.45)
    if not why:
        return 0.0, "no shouting"
    return score, ", ".join(why)


@check("length", kind="policy", version="1")
def length(facts: CommentFacts, ctx: CheckContext):
    n = len(_body(facts).strip())
    if n < 2:
        return 0.7, f"only {n} character(s)"
    return 0.0, f"{n} characters"
