"""The one text normalisation used both to train the models and to serve them.

Training (``worker.train``) and the learned checks (``worker.checks.learned``)
call the same functions here, so a model never sees text prepared differently
from the text it was trained on. The text rules (``worker.checks.text_rules``)
read the same links (``linked_text``, found once per comment for rules and
models), so "a link" means the same thing everywhere.

``clean_text(raw)``
    What a reader would read, as plain Unicode: invisible characters removed
    (U+FEFF ends most ham rows of the YouTube data and must never become a
    feature), HTML entities decoded, tags stripped (an anchor keeps its
    ``href``), Markdown links flattened to "label url", NFKC applied (full-width
    letters become ASCII). Case is kept, so rules can still see shouting.

``model_text(raw)``
    ``clean_text`` plus rewrites that make text generalise across sites and
    campaigns: spaced-out or spelled-out links ("example . com", "example dot
    com") are rebuilt; a link to one video becomes ``videolink``, any other link
    ``urltok urldom_<domain> [urlpath_<word>] [shorturltok]``; ``@handles``
    become ``@user``; long digit runs become ``longnum``; self-promotion
    phrasing ("subscribe to my channel" and its variants) adds ``selfpromotok``;
    for the spam model each matching ``SPAM_CUES`` pattern adds its token
    (``subtok``, ``likeasktok``, ``pleatok``...) at the end; runs of one
    character are cut to two; everything is lower-cased. ``model_text_parts``
    gives the text and the cue tokens apart, prepared once for both models.

``FeatureSpec``
    Hashed word + character n-grams (scikit-learn's ``HashingVectorizer``,
    binary, each block l2-normalised). ``matrix()`` is the batch path used in
    training and evaluation; ``row()`` computes the same numbers for one text
    without scikit-learn's per-call overhead (~1 ms per vectorizer call), from
    ``columns()`` (the hashed n-grams); ``extended()`` adds appended tokens to
    columns already computed, so the spam model's text (the toxicity model's
    plus cue tokens) costs only its cues. Words' character n-grams and terms'
    hashes are cached per process. A test holds the paths equal.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import cached_property, lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

import numpy as np
import scipy.sparse as sp

# Invisible characters that carry no meaning for a reader.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e"), None)

_ANCHOR = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]+)["']?[^>]*>(.*?)</a\s*>""",
    re.IGNORECASE | re.DOTALL,
)
_BREAK = re.compile(r"<\s*(?:br|p|div|li)\b[^>]*>", re.IGNORECASE)
# A tag starts with a letter or "/": "<3" and "a < b" are left alone.
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")

# Top-level domains recognised in a bare domain ("foo.com" without http:// or
# www.). Two-letter ones that are also English words ("in", "it", "me", "be",
# "us", "to", "so", "is", "at", "no") are left out: "song.it was" is a typo,
# not a link. Any TLD counts after "http://" or "www.".
BARE_TLDS = frozenset(
    """com net org info biz io ly gl gd tv ru uk de br xyz top site online club
    tk ml ga cf gq pw ws su cc cn pl fr nl es ws vn ph ng ke za mx ar tr""".split()
)
# Spelled-out or spaced-out domains are only believed with these (unambiguous
# in running text: "song . it" and "me dot in" stay prose).
OBFUSCATION_TLDS = frozenset("com net org info biz ru xyz io ly tk ml ga cf gq pw".split())


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


URL_RE = re.compile(
    r"(?:\b(?:https?|ftp)://[^\s<>\"']+"
    r"|\bwww\d?\.[^\s<>\"']+"
    rf"|\b(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_alternation(BARE_TLDS)})\b"
    r"(?:/[^\s<>\"']*)?)",
    re.IGNORECASE,
)

# "example . com", "example .com", "example. com", "example dot com",
# "example(dot)com", "example [.] com". The separator must hold a space or a
# spelled-out/bracketed dot, so a plain "example.com" is a link, not an
# obfuscated one.
OBFUSCATED_LINK_RE = re.compile(
    r"\b([a-z0-9][a-z0-9-]{1,62})"
    r"(?:\s+\.\s*|\.\s+|\s*[\(\[\{]\s*(?:dot|\.)\s*[\)\]\}]\s*|\s+dot\s+)"
    rf"({_alternation(OBFUSCATION_TLDS)})\b",
    re.IGNORECASE,
)

URL_SHORTENERS = frozenset(
    """bit.ly bitly.com tinyurl.com goo.gl t.co ow.ly is.gd buff.ly adf.ly bit.do
    cutt.ly rebrand.ly shorturl.at tiny.cc tr.im v.gd x.co lnkd.in db.tt qr.ae
    su.pr budurl.com po.st mcaf.ee soo.gd s.id t.ly rb.gy shorte.st ouo.io bc.vc
    linkbucks.com adfoc.us shhort.com hyperurl.co j.mp tiny.pl urlz.fr""".split()
)

# Links to one video on a video platform: common in honest comments ("this part:
# youtu.be/..."), unlike links to arbitrary sites. Channel pages are not videos.
_VIDEO_LINK = {"youtu.be": None, "youtube.com": "watch", "m.youtube.com": "watch", "vimeo.com": ""}

# Asking readers to subscribe to / visit / follow the writer's own channel,
# page or account ("sucscribe to me" and other misspellings too), and
# "sub4sub"-style trades. Hand-written, generic phrasing; it matches no ham
# comment in the YouTube data and ~33% of its spam.
SELF_PROMOTION_RE = re.compile(
    r"""\b(?:check(?:ing)?|visit|watch|see|view|look\s+at|listen\s+to|hear|go\s+to
        |sub(?:scribe|scrib|cribe|sribe|s)?\w*\s*(?:to|2)?|follow|like|share|support
        |come\s+(?:to|and\s+\w+))
      \s+(?:out\s+)?(?:my|our|me\s+on\s+my)\s+(?:\w+\s+){0,3}?
      (?:chann?el|chanel|vids?|videos?|page|music|songs?|tracks?|playlist|blog|website
        |site|covers?|raps?|mixtape|album|stuff|content|profile|account|twitter
        |instagram|facebook|fb)\b
    |\bsubs?\s+(?:to\s+)?(?:me|my|us|our)\b
    |\bsub\s*(?:4|for)\s*sub\b|\bfollow\s*(?:4|for)\s*follow\b|\blike\s*(?:4|for)\s*like\b
    |\bfollow\s+(?:me|us)\s+(?:on|@)
    |\bcheck\s+(?:me|us)\s+out\b
    |\bsu\w{0,3}cri[bp]e?\s+(?:to\s+|for\s+|2\s+)?(?:me|my|us|our)\b
    |\b(?:on|to|visit|in|at)\s+my\s+(?:new\s+|youtube\s+|yt\s+)?chann?el\b
    |\b(?:made|started|have|got)\s+(?:a|my)\s+(?:new\s+|own\s+)?(?:\w+\s+)?chann?el\b
    |\bcheck(?:ing)?\s+(?:out\s+)?my\s+(?:\w+\s+){0,2}?
      (?:sound|beats?|mix|art|work|stories|story|book)\b""",
    re.VERBOSE,  # matched against lower-cased text, as SPAM_CUES are
)

# A pattern that starts with a literal is found by a fast scan for it; one that
# starts with \b or a lookbehind is tried at every position, ten times slower.
# Without its leading assertions a pattern can only match more, so it makes a
# gate: the whole pattern runs only on a text its gate matched.
_LEADING_ASSERTIONS = re.compile(r"^(?:\\b|\(\?<[!=][^()]*\))+")


class Cue(NamedTuple):
    token: str
    pattern: re.Pattern[str]
    gate: re.Pattern[str]

    @classmethod
    def of(cls, token: str, patterns: Sequence[str]) -> Cue:
        gate = "|".join(_LEADING_ASSERTIONS.sub("", p) for p in patterns)
        return cls(token, re.compile("|".join(patterns)), re.compile(gate))

    def search(self, lower: str) -> bool:
        return self.gate.search(lower) is not None and self.pattern.search(lower) is not None


# Spam cues beyond self-promotion, each added to the model text as one token
# when the cleaned text matches, so the model can pool the many wordings of one
# intent ("check men out", "take a listen", "sub 2 me") instead of learning each
# n-gram per campaign. Written to be generic: "subscribers" talk, "money" and
# "please" alone are left out, as ordinary comments use them too, and so are
# phrases common in ordinary messages ("are you free now?", "text me", "it only
# takes a minute", "I'd vote for B", "I like this post"). With the first seven
# the spam model's leave-one-video-out F1 rose from 0.936 to 0.953; asking for
# likes on one's own comment, votes, pleas, contact asks and bare video ids
# (and a hold point at 0.75% of ham) took every video to 0.95 (docs/checks.md).
# Written in lower case and matched against the lower-cased text, as is
# SELF_PROMOTION_RE: a third faster than re.IGNORECASE, and the same matches on
# every text of the shared data.
SPAM_CUES: tuple[Cue, ...] = tuple(
    Cue.of(token, patterns)
    for token, patterns in (
        # Engagement bait: "like this comment if...", "thumbs up if...".
        (
            "likebaittok",
            (
                r"\blike\s+(?:this|my|the)\s+(?:comment|post)",
                r"\bthumbs?\s+up\s+(?:if|for|this)",
                r"\blike\s+(?:this\s+)?if\b",
                r"\bgive\s+(?:it|this|me)\s+a\s+(?:like|thumbs)",
                r"\bhow\s+many\s+(?:likes|thumbs)",
            ),
        ),
        # Asking for likes on the writer's own comment, page or post, as opposed to
        # "thumbs up if you're watching in 2015", which readers write too.
        (
            "likeasktok",
            (
                # Not "I like this post" / "we really like this page": a reader's opinion.
                r"(?<!\bi\s)(?<!\bwe\s)(?<!\breally\s)(?<!\balso\s)(?<!\bi'd\s)"
                r"\blikes?\s+(?:on\s+)?(?:this|my|our)\s+(?:\w+[\s-]+)?"
                r"(?:comments?|posts?|page|poster|photos?|pics?|status|tweets?)\b",
                r"\b(?:leave|put|drop)\s+(?:me\s+)?a\s+(?:like|thumbs)",
                r"\blike\s+(?:and|&|n)\s+(?:share|subscribe|sub|comment)\b",
                r"\b(?:share|subscribe|sub)\s+(?:and|&|n)\s+like\b",
            ),
        ),
        # Asking readers to share, not any mention of sharing ("could you share the numbers?").
        (
            "sharetok",
            (
                r"\bshare\s+(?:this|it|my|our)\b",
                r"\bshare\s+the\s+(?:video|song|link|channel|page|love)",
                r"\bshare\s+(?:with|to)\s+(?:your|all|every)",
                r"\bplease\s+share",
                r"\bspread\s+the\s+word",
                r"\bshare\s+(?:\w+\s+)?on\s+(?:fb|facebook|twitter|g\+|google|instagram|tumblr)",
            ),
        ),
        # Pointing readers somewhere else.
        (
            "checkouttok",
            (
                r"\bcheck\s+(?:\w+\s+)?out\b",
                r"\btake\s+a\s+(?:look|listen)",
                r"\blook\s+(?:it\s+|me\s+|us\s+)?up\b",
                r"\bsearch\s+(?:for\s+)?[\"'\u201c]",
                r"\bgo\s+to\b",
                r"\bclick\b",
                r"\bvisit\b",
            ),
        ),
        # Asking for subscriptions (not talk about a channel's subscriber count),
        # misspelt ("subscrible", "suscribe") or in other languages.
        (
            "subtok",
            (
                r"\bsub(?:scribe|s)?\s+(?:to|2|me|my|us|our|and|for|plz|please|pls|now|guys|if"
                r"|back)\b",
                r"\b(?:please|plz|pls|and|guys|go|to|u|you)\s+sub(?:scribe|s)?\b",
                r"\bsubscri(?:bed|bing)\b",
                r"\bsuscri\w*",
                r"\bsubcrib\w*",
                r"\bsub\s*(?:4|for)\s*sub",
                r"\bsu\w{0,2}cri[bp](?!e\b|ers?\b|tions?\b)\w+",
                r"\binscreva",  # "se inscreva"
                r"\babonn(?:ez|e[rz]?)\b",
                r"\babonniert?\b",
            ),
        ),
        # Free stuff and prize draws. Not "dollars" or "earn": the model would then
        # file a new money-scam wave as spam by itself, before moderators have
        # labelled it, and it would score "how much do artists earn" too.
        (
            "moneytok",
            (
                # "free gift cards", "for free", not "are you free now?".
                r"\bfor\s+free\b",
                r"\bfree\s+(?!(?:now|today|tonight|tomorrow|time|next|this|then|later|to|for|of"
                r"|and|or|at|in|on|as|from|with|when|if|so|but)\b)[a-z$]",
                r"\bgift\s*cards?\b",
                r"\bbitcoins?\b",
                r"\bpay\s*pal\b",
                r"\bprize\b",
                r"\bgive\s*aways?\b",
                r"\bchances?\s+to\s+win\b",
                r"\bto\s+win\s+(?:a|an|free)\b",
                r"\b(?:easy|extra|quick)\s+money\b",
                r"\bmoney\s+online\b",
                r"\bwork(?:ing)?\s+from\s+home\b",
            ),
        ),
        # Campaigns: "vote for ...", "please vote", "donate".
        (
            "votetok",
            (
                # Not "I'd vote for option B": an ask, or a vote for the writer.
                r"\bvote\s+(?:for\s+(?:me|us|my|our)|daily|now|here)\b",
                r"\b(?:please|plz|pls|go)\s+vote\b",
                r"\bvote\s*[:!]",
                r"\b(?:please|plz|pls)\s+donate\b",
                r"\bdonat(?:e|ions?)\s+(?:to\s+)?(?:me|us|my|our)\b",
                r"\bsign\s+(?:the|this|my|our)\s+petition\b",
            ),
        ),
        # Pleading for attention: "sorry for the spam", "take a moment to...",
        # "I know no one will read this", "help me reach 100 subscribers".
        (
            "pleatok",
            (
                r"\bsorry\s+(?:for|about|bout)\s+(?:the|this|my)\s+spam",
                r"\b(?:i'?m|im|i\s+am|i\s+know)\s+(?:\w+\s+){0,2}spamm?(?:ing|ed)?\b",
                # A plea, not "it only takes a minute to set up".
                r"\b(?:please|pls|plz|just|can\s+you|could\s+you)\s+(?:just\s+)?"
                r"(?:take|spare|spend|spent)\s+(?:a|one|1|2|two|a\s+few|few)\s+"
                r"(?:sec|secs|second|seconds|min|mins|minute|minutes|moment|moments)\b",
                r"\bspare\s+(?:a|one|1)\s+(?:sec|second|min|minute|moment)\b",
                r"\b(?:nobody|no\s+one|no1)\s+(?:\w+\s+){0,2}(?:read|see)s?\s+this\b",
                r"\bgive\s+(?:me|us)\s+a\s+chance\b",
                r"\bplease\s+read\s+this\b",
                r"\*\s*please\s+read\s*\*",
                r"\bhelp\s+(?:me|us)\s+(?:to\s+)?(?:get|getting|reach|hit|grow)\s+(?:to\s+)?"
                r"(?:\d|my|our|more|some)",
                r"\bsupport\s+(?:me|us)\b",
            ),
        ),
        # Contact or follow the writer elsewhere: "follow me", "add me", "hit me up".
        (
            "contacttok",
            (
                r"\bfollow\s+(?:me|us)\b",
                r"\badd\s+me\b",
                r"\bhit\s+me\s+up\b",
                r"\b(?:contact|message|inbox)\s+me\b",
            ),
        ),
        # The writer's own output: "my channel", "i'm a rapper", "i made".
        (
            "mytok",
            (
                r"\bmy\s+(?:\w+\s+)?(?:channel|chanel|videos?|songs?|music|page|raps?|covers?|band"
                r"|mixtape|album|beats?)\b",
                r"\bi\s+(?:make|made|rap|sing|produce|upload)\b",
                r"\bi'?m\s+(?:just\s+|only\s+)?(?:a|an)\s+(?:\w+\s+)?(?:rapper|singer|artist|producer"
                r"|youtuber)\b",
                r"\b(?:mi|meu|mon|ma|mein(?:em)?|moj)\s+(?:canal|cha[iî]ne|kanal)\b",
            ),
        ),
        # A video id with the site's address missing or broken ("/watch?v=...",
        # "youtu be/..."): a pointer to another video the link rules cannot see.
        ("vidreftok", (r"(?<![\w./])/?watch\?v=[\w-]{6,}", r"\byoutu\s+be/[\w-]{6,}")),
        ("viewtalktok", (r"\b\d[\d.,]*\s*(?:m|b|million|billion)?\s*(?:views|subscribers)\b",)),
    )
)

_MENTION = re.compile(r"(?<![\w@])@\w+")
_LONG_NUMBER = re.compile(r"\+?\d[\d\s().-]{6,}\d")
_RUN = re.compile(r"(.)\1{2,}", re.DOTALL)
_SPACE = re.compile(r"\s+")


def clean_text(raw: str) -> str:
    """Plain, readable Unicode text of a comment body (Markdown or HTML)."""
    text = raw.translate(_INVISIBLE)
    # Decode entities until stable (the YouTube data has "&amp;#39;" too).
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = _ANCHOR.sub(lambda m: f" {m.group(1)} {m.group(2)} ", text)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub(" ", text)
    text = _MD_LINK.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    text = unicodedata.normalize("NFKC", text)
    # Decoded entities or NFKC can produce invisible characters again.
    return text.translate(_INVISIBLE).strip()


def deobfuscate_links(text: str) -> str:
    """Rewrite "example . com" / "example dot com" as "example.com"."""
    return OBFUSCATED_LINK_RE.sub(lambda m: f"{m.group(1)}.{m.group(2)}", text)


@dataclass(frozen=True)
class Link:
    url: str
    domain: str  # lower-case host without "www."
    path_head: str  # first path segment, lower-case ("watch", "user", "")

    @property
    def is_shortener(self) -> bool:
        return domain_matches(self.domain, URL_SHORTENERS)

    @property
    def is_video(self) -> bool:
        if self.domain not in _VIDEO_LINK:
            return False
        wanted = _VIDEO_LINK[self.domain]
        return (
            wanted is None
            or self.path_head == wanted
            or (wanted == "" and self.path_head.isdigit())
        )


def domain_matches(domain: str, domains: Iterable[str]) -> bool:
    """True if ``domain`` is one of ``domains`` or a subdomain of one."""
    return any(domain == d or domain.endswith("." + d) for d in domains)


def parse_link(url: str) -> Link:
    """Split a matched link into domain and first path segment, forgivingly."""
    candidate = url.rstrip(".,;:!?)]}'\"")
    if "://" not in candidate:
        candidate = "http://" + candidate
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").lower()
        path = parts.path
    except ValueError:  # e.g. a malformed IPv6 literal
        host, path = "", ""
    if re.match(r"www\d?\.", host):
        host = host.split(".", 1)[1]
    head = path.strip("/").split("/", 1)[0].lower()
    return Link(url=url, domain=host, path_head=head)


@dataclass(frozen=True)
class LinkedText:
    """A comment's clean text and its links, found once for the rules and the models."""

    clean: str  # clean_text(raw)
    rebuilt: str  # clean, with obfuscated links ("example dot com") rebuilt
    spans: tuple[tuple[int, int], ...]  # where each link is in ``rebuilt``
    links: tuple[Link, ...]  # every link, obfuscated ones included


@lru_cache(maxsize=64)
def linked_text(raw: str) -> LinkedText:
    clean = clean_text(raw)
    rebuilt = deobfuscate_links(clean)
    found = list(URL_RE.finditer(rebuilt))
    return LinkedText(
        clean,
        rebuilt,
        tuple(m.span() for m in found),
        tuple(parse_link(m.group(0)) for m in found),
    )


def _link_words(link: Link) -> str:
    if link.is_video:
        return " videolink "
    words = ["urltok", "urldom_" + re.sub(r"[^a-z0-9]+", "_", link.domain)]
    # Only word-like path heads ("watch", "user", "channel"); ids are noise.
    if link.path_head.isalpha() and len(link.path_head) <= 15 and not link.is_shortener:
        words.append("urlpath_" + link.path_head)
    if link.is_shortener:
        words.append("shorturltok")
    return " " + " ".join(words) + " "


def model_text(raw: str, spam_cues: bool = False) -> str:
    """The text a learned model sees: ``clean_text`` plus generalising rewrites.

    ``spam_cues`` adds the ``SPAM_CUES`` tokens (the spam model's features only:
    the toxicity model and its measured figures stay as they were).
    """
    text, cues = model_text_parts(raw)
    return with_cues(text, cues) if spam_cues else text


def with_cues(text: str, cues: Sequence[str]) -> str:
    """The spam model's text: the model text with the cue tokens at its end."""
    return " ".join(filter(None, (text, *cues)))


def model_text_parts(raw: str) -> tuple[str, tuple[str, ...]]:
    """The model text without cues, and the cue tokens the spam model's text adds at its end.

    Prepared once for both models: the spam model's text shares every n-gram of
    the other but the cues' own (``FeatureSpec.extended``).
    """
    linked = linked_text(raw)
    clean, parts, last = linked.clean, [], 0
    for (start, end), link in zip(linked.spans, linked.links, strict=True):
        parts += (linked.rebuilt[last:start], _link_words(link))
        last = end
    text = "".join(parts) + linked.rebuilt[last:]
    text = _MENTION.sub("@user", text)
    text = _LONG_NUMBER.sub(" longnum ", text)
    text = _RUN.sub(r"\1\1", text)
    lower = clean.lower()
    if SELF_PROMOTION_RE.search(lower):
        text += " selfpromotok"
    cues = tuple(cue.token for cue in SPAM_CUES if cue.search(lower))
    return _SPACE.sub(" ", text).strip().lower(), cues


_LINK_WORDS = ("urltok", "videolink", "shorturltok", "urldom_", "urlpath_")


def has_links(model_text_: str) -> bool:
    return "urltok" in model_text_ or "videolink" in model_text_


def own_words(model_text_: str) -> int:
    """How many words of a model text are the writer's, not stand-ins for links."""
    return sum(not w.startswith(_LINK_WORDS) for w in re.findall(r"\w+", model_text_))


# --- hashed features ------------------------------------------------------------

# Bump when model_text or the analyzers change meaning: every model must then be
# retrained. Stored in each artifact and checked when it is loaded.
FEATURES_VERSION = "5"


@dataclass(frozen=True)
class FeatureSpec:
    """Hashed binary word + char_wb n-grams, each block l2-normalised.

    Columns ``[0, n_features)`` are word n-grams, ``[n_features, 2*n_features)``
    character n-grams (within word boundaries).
    """

    n_features: int = 2**20
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 5)
    char_weight: float = 1.0
    spam_cues: bool = False  # which model_text the spec reads (see model_text)
    version: str = FEATURES_VERSION

    def __post_init__(self) -> None:
        if self.n_features <= 0 or self.n_features & (self.n_features - 1):
            raise ValueError("n_features must be a power of two")

    @classmethod
    def from_dict(cls, d: dict) -> FeatureSpec:
        return cls(
            n_features=int(d["n_features"]),
            word_ngrams=tuple(d["word_ngrams"]),
            char_ngrams=tuple(d["char_ngrams"]),
            char_weight=float(d["char_weight"]),
            spam_cues=bool(d.get("spam_cues", False)),
            version=str(d["version"]),
        )

    def to_dict(self) -> dict:
        d = asdict(self)
        d["word_ngrams"], d["char_ngrams"] = list(self.word_ngrams), list(self.char_ngrams)
        return d

    @property
    def width(self) -> int:
        return 2 * self.n_features

    @cached_property
    def _vectorizers(self):
        # Imported here: the web process never needs scikit-learn.
        from sklearn.feature_extraction.text import HashingVectorizer

        common = dict(
            n_features=self.n_features,
            alternate_sign=False,
            binary=True,
            norm="l2",
            lowercase=False,
            dtype=np.float32,
        )
        word = HashingVectorizer(
            analyzer="word", ngram_range=self.word_ngrams, token_pattern=r"(?u)\b\w+\b", **common
        )
        char = HashingVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, **common)
        return word, char

    @cached_property
    def _analyzers(self):
        word, char = self._vectorizers
        return word.build_analyzer(), char.build_analyzer()

    def matrix(self, model_texts: Sequence[str]) -> sp.csr_matrix:
        """Batch path (training, evaluation): a CSR matrix, one row per text."""
        word, char = self._vectorizers
        texts = list(model_texts)
        xc = char.transform(texts)
        if self.char_weight != 1.0:
            xc = xc * np.float32(self.char_weight)
        return sp.hstack([word.transform(texts), xc], format="csr", dtype=np.float32)

    @cached_property
    def analysis(self) -> FeatureSpec:
        """This spec without what only weighs or selects the text: specs with the
        same ``analysis`` cut and hash a text into the same columns."""
        return replace(self, char_weight=1.0, spam_cues=False)

    def row(self, model_text_: str) -> tuple[np.ndarray, np.ndarray]:
        """Fast path for one text: (column indices, values), equal to ``matrix``'s row."""
        return self.row_of(self.columns(model_text_))

    def columns(self, model_text_: str) -> Columns:
        tokens = self._tokenize(model_text_)
        n = self.n_features
        char: set[int] = set()
        for word in set(model_text_.split()):
            char.update(_char_columns(word, self.char_ngrams, n))
        return Columns(
            frozenset(_term_hash(t) % n for t in _ngrams(tokens, *self.word_ngrams)),
            frozenset(char),
            _tail(tokens, self.word_ngrams[1]),
        )

    def extended(self, base: Columns, tokens: Sequence[str]) -> Columns:
        """Columns of ``base``'s text + " " + " ".join(tokens), for word-like tokens
        (how the spam model's text adds its cues), without analysing the text again."""
        if not tokens:
            return base
        n = self.n_features
        joined = [*base.tail, *tokens]
        # Every n-gram reaching into the tokens starts within the tail; those
        # wholly inside the tail are in ``base`` already.
        word = {_term_hash(t) % n for t in _ngrams(joined, *self.word_ngrams)}
        char = {c for token in tokens for c in _char_columns(token, self.char_ngrams, n)}
        return Columns(
            base.word | word,
            base.char | char,
            _tail(joined, self.word_ngrams[1]),
        )

    def row_of(self, columns: Columns) -> tuple[np.ndarray, np.ndarray]:
        w, c = columns.word, columns.char
        idx = np.fromiter(w | c, dtype=np.int64, count=len(w) + len(c))
        values = np.empty(len(idx), dtype=np.float32)
        if len(idx):
            # Blocks are disjoint, so the sets' union keeps every index once.
            is_word = idx < self.n_features
            values[is_word] = 1.0 / np.sqrt(len(w)) if w else 0.0
            values[~is_word] = self.char_weight / np.sqrt(len(c)) if c else 0.0
        return idx, values

    @cached_property
    def _tokenize(self):
        return self._vectorizers[0].build_tokenizer()

    def word_terms(self, model_text_: str) -> list[str]:
        """Word n-grams of a text as the model sees them (for explanations)."""
        return self._analyzers[0](model_text_)


@dataclass(frozen=True)
class Columns:
    """The hashed n-gram columns of one text, before weighting (``FeatureSpec.row_of``)."""

    word: frozenset[int]
    char: frozenset[int]  # offset by n_features: the character block
    tail: tuple[str, ...]  # the last word tokens, which n-grams of appended words start from


def _ngrams(tokens: Sequence[str], low: int, high: int) -> list[str]:
    """Word n-grams as scikit-learn's word analyzer makes them (as a set: features are binary)."""
    return [
        " ".join(tokens[i : i + k])
        for k in range(low, high + 1)
        for i in range(len(tokens) - k + 1)
    ]


def _tail(tokens: Sequence[str], longest: int) -> tuple[str, ...]:
    """The last ``longest - 1`` tokens: where an n-gram reaching past the text starts."""
    return tuple(tokens[max(0, len(tokens) - longest + 1) :])


# Per-process vocabulary caches. Comments share most of their words and
# n-grams, and the two models read the same words (the spam text only adds cue
# tokens), so a word's character n-grams are cut and hashed once, not once per
# model and comment: a dict lookup is ~10x cheaper than a call to
# murmurhash3_32. Each is emptied when full (~10-15 MB at most);
# ``forget_vocabulary()`` empties them (benchmarks measure a cold process).
_HASHES: dict[str, int] = {}
_HASH_CACHE_SIZE = 150_000
_CHAR_COLUMNS: dict[tuple[str, tuple[int, int], int], tuple[int, ...]] = {}
_CHAR_CACHE_SIZE = 50_000


def forget_vocabulary() -> None:
    _HASHES.clear()
    _CHAR_COLUMNS.clear()


def _term_hash(term: str) -> int:
    h = _HASHES.get(term)
    if h is None:
        if len(_HASHES) >= _HASH_CACHE_SIZE:
            _HASHES.clear()
        h = _HASHES[term] = abs(_murmur3()(term, seed=0))
    return h


def _char_columns(word: str, ngrams: tuple[int, int], n_features: int) -> tuple[int, ...]:
    """Columns of one word's char_wb n-grams, in the character block ``[n, 2n)``.

    The same n-grams as scikit-learn's ``char_wb`` analyzer ("word" padded with
    one space each side; a padded word shorter than the smallest n is one
    n-gram), as a set: the features are binary, so repeats do not count.
    """
    key = (word, ngrams, n_features)
    columns = _CHAR_COLUMNS.get(key)
    if columns is None:
        padded = f" {word} "
        size = len(padded)
        low, high = ngrams
        grams = {
            padded[i : i + k] for k in range(low, min(high, size) + 1) for i in range(size - k + 1)
        }
        if not grams:
            grams = {padded}
        if len(_CHAR_COLUMNS) >= _CHAR_CACHE_SIZE:
            _CHAR_COLUMNS.clear()
        # Hashed directly, not through _term_hash: the word is what gets cached.
        murmur = _murmur3()
        columns = _CHAR_COLUMNS[key] = tuple(
            {abs(murmur(g, seed=0)) % n_features + n_features for g in grams}
        )
    return columns


def hash_index(term: str, n_features: int) -> int:
    """The column scikit-learn's FeatureHasher gives ``term`` (alternate_sign=False).

    FeatureHasher maps the one hash abs() cannot take, -2**31, to
    ``(2**31 - n_features) % n_features``; for a power-of-two ``n_features``
    (enforced by FeatureSpec) that equals Python's ``abs(h) % n_features``.
    """
    return _term_hash(term) % n_features


@lru_cache(maxsize=1)
def _murmur3():
    from sklearn.utils import murmurhash3_32

    return murmurhash3_32
