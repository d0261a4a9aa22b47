"""Links in a comment: what counts as one, and where they are (``linked_text``).

The text rules and both models read the same links (``linked_text``, found
once per comment), so "a link" means the same thing everywhere. Spelled-out or
spaced-out links ("example . com", "example dot com") are rebuilt first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from service import caches
from worker.text.readable import clean_text

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


caches.declare("texts.linked", linked_text.cache_clear)
