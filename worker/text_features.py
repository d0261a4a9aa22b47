"""The one text normalisation used both to train the models and to serve them.

Training (``worker.train``) and the learned checks (``worker.checks.learned``)
call the same functions here, so a model never sees text prepared differently
from the text it was trained on. The text rules (``worker.checks.text_rules``)
use the same link finder, so "a link" means the same thing everywhere.

Two layers:

``clean_text(raw)``
    What a reader would read, as plain Unicode: invisible characters removed,
    HTML entities decoded, tags stripped (an anchor keeps its ``href``), Markdown
    links flattened to "label url", NFKC applied (full-width letters become
    ASCII). Case is kept, so rules can still see shouting.

``model_text(raw)``
    ``clean_text`` plus what makes text generalise across sites and campaigns:
    spaced-out or spelled-out links ("example . com", "example dot com") are
    rebuilt, every link becomes the words ``urltok``, ``urldom_<domain>`` and
    ``urlpath_<first path segment>`` (plus ``shorturltok`` for URL shorteners),
    long digit runs become ``longnum``, runs of one character are cut to two,
    and everything is lower-cased.

``featurize(texts)`` turns model texts into the hashed word + character
n-gram matrix both models share. Hashing needs no vocabulary, so the model
artifact holds only weights.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
import scipy.sparse as sp

# Invisible characters that carry no meaning for a reader. U+FEFF in particular
# ends most ham comments of the YouTube data set and must never become a feature.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e"), None)

_ANCHOR = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]+)["']?[^>]*>(.*?)</a\s*>""", re.IGNORECASE | re.DOTALL
)
_BREAK = re.compile(r"<\s*(?:br|p|div|li)\b[^>]*>", re.IGNORECASE)
# A tag starts with a letter or "/": "<3" and "a < b" are left alone.
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")

# Top-level domains worth recognising in a bare or obfuscated domain ("foo.com",
# "foo dot net"). Generic ones plus the country codes spam uses most.
TLDS = frozenset(
    """com net org info biz io co me tv us uk de ru br in xyz top site online club
    ly gl gd be cc ws su pw tk ml ga cf gq fr it es nl pl cn jp au ca eu mx ar
    tr vn id ph my sg za ng ke shop store live app link click blog page""".split()
)
_TLD_ALT = "|".join(sorted(TLDS, key=len, reverse=True))

# http(s)://..., www...., or a bare domain "word.tld" (optionally with a path).
URL_RE = re.compile(
    r"(?:\b(?:https?|ftp)://[^\s<>\"']+"
    r"|\bwww\d?\.[^\s<>\"']+"
    rf"|\b(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLD_ALT})\b(?:/[^\s<>\"']*)?)",
    re.IGNORECASE,
)

# "example . com", "example .com", "example dot com", "example(dot)com",
# "example [.] com": a domain written so that naive link filters miss it. The
# separator must contain a space or a spelled-out/bracketed dot, so plain
# "example.com" is a normal link, not an obfuscated one.
OBFUSCATED_LINK_RE = re.compile(
    r"\b([a-z0-9][a-z0-9-]{1,62})"
    r"(?:\s+\.\s*|\.\s+|\s*[\(\[\{<]\s*(?:dot|\.)\s*[\)\]\}>]\s*|\s+dot\s+)"
    rf"({_TLD_ALT})\b",
    re.IGNORECASE,
)

URL_SHORTENERS = frozenset(
    """bit.ly bitly.com tinyurl.com goo.gl t.co ow.ly is.gd buff.ly adf.ly
    bit.do cutt.ly rebrand.ly shorturl.at tiny.cc tr.im v.gd x.co lnkd.in
    db.tt qr.ae su.pr budurl.com po.st mcaf.ee soo.gd s.id t.ly rb.gy
    shorte.st ouo.io bc.vc linktr.ee youtu.be/channel""".split()
)

_LONG_NUMBER = re.compile(r"\+?\d[\d\s().-]{6,}\d")
_RUN = re.compile(r"(.)\1{2,}", re.DOTALL)
_SPACE = re.compile(r"\s+")


def clean_text(raw: str) -> str:
    """Plain, readable Unicode text of a comment body (markdown or HTML)."""
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
    # NFKC can expose new invisible characters (and decoded entities can be them).
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
        return is_shortener(self.domain)


def is_shortener(domain: str) -> bool:
    return domain in URL_SHORTENERS or any(domain.endswith("." + s) for s in URL_SHORTENERS)


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
    if host.startswith("www."):
        host = host[4:]
    elif host[:4] == "www" and host[3:4].isdigit():  # www2.example.com
        host = host.split(".", 1)[-1]
    head = path.strip("/").split("/", 1)[0].lower()
    return Link(url=url, domain=host, path_head=head)


def find_links(clean: str) -> list[Link]:
    """Every link in (already cleaned) text, obfuscated ones included."""
    return [parse_link(m.group(0)) for m in URL_RE.finditer(deobfuscate_links(clean))]


def _link_words(link: Link) -> str:
    words = ["urltok", "urldom_" + re.sub(r"[^a-z0-9]+", "_", link.domain)]
    # Only word-like path heads ("watch", "user", "channel"); ids are noise.
    if link.path_head.isalpha() and len(link.path_head) <= 15 and not link.is_shortener:
        words.append("urlpath_" + re.sub(r"[^a-z0-9]+", "_", link.path_head)[:20])
    if link.is_shortener:
        words.append("shorturltok")
    return " " + " ".join(words) + " "


def model_text(raw: str) -> str:
    """The text a learned model sees: ``clean_text`` plus generalising rewrites."""
    text = deobfuscate_links(clean_text(raw))
    text = URL_RE.sub(lambda m: _link_words(parse_link(m.group(0))), text)
    text = _LONG_NUMBER.sub(" longnum ", text)
    text = _RUN.sub(r"\1\1", text)
    return _SPACE.sub(" ", text).strip().lower()


# --- hashed features ---------------------------------------------------------------

# Changing any of these changes every feature index: bump FEATURES_VERSION and
# retrain. They are stored in the artifact and checked when a model is loaded.
FEATURES_VERSION = "1"
N_FEATURES = 2**20
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
CHAR_WEIGHT = 1.0  # relative weight of the character block after l2 normalisation


def feature_params() -> dict:
    return {
        "features_version": FEATURES_VERSION,
        "n_features": N_FEATURES,
        "word_ngrams": list(WORD_NGRAMS),
        "char_ngrams": list(CHAR_NGRAMS),
        "char_weight": CHAR_WEIGHT,
    }


@lru_cache(maxsize=1)
def _vectorizers():
    # Imported lazily: the web process imports nothing of scikit-learn.
    from sklearn.feature_extraction.text import HashingVectorizer

    common = dict(
        n_features=N_FEATURES, alternate_sign=False, norm="l2", lowercase=False, dtype=np.float32
    )
    word = HashingVectorizer(
        analyzer="word", ngram_range=WORD_NGRAMS, token_pattern=r"(?u)\b\w+\b", **common
    )
    char = HashingVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, **common)
    return word, char


def featurize(model_texts: Iterable[str]) -> sp.csr_matrix:
    """Hashed features of already normalised texts: [word block | char block]."""
    texts = list(model_texts)
    word, char = _vectorizers()
    xw = word.transform(texts)
    xc = char.transform(texts)
    if CHAR_WEIGHT != 1.0:
        xc = xc * CHAR_WEIGHT
    return sp.hstack([xw, xc], format="csr")


def word_terms(model_text_: str) -> list[str]:
    """The word n-grams of a text, as the word vectorizer sees them (for explanations)."""
    word, _ = _vectorizers()
    return word.build_analyzer()(model_text_)


def word_index(term: str) -> int:
    """Column of a word n-gram in ``featurize``'s matrix (the hash HashingVectorizer uses)."""
    from sklearn.utils import murmurhash3_32

    return abs(int(murmurhash3_32(term, seed=0))) % N_FEATURES
