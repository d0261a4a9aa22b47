"""The text a learned model sees (``model_text``), the same in training and serving.

``clean_text`` plus rewrites that make text generalise across sites and
campaigns: links are cut out of the words (spaced-out or spelled-out ones
rebuilt first); ``@handles`` become ``@user``; long digit runs become
``longnum``; self-promotion phrasing adds ``selfpromotok``; runs of one
character are cut to two; everything is lower-cased. That is the toxicity
model's text.

The spam model's text adds, at its end, its *spam tokens*: one per
``SPAM_CUES`` pattern the comment matches, and link tokens, which only a brief
comment gets. A link alone is not spam: readers back up a point with the docs,
Wikipedia, a GitHub issue or their own post, and the link rules judge every
link by its registrable domain (``worker.checks.links``). So the model never
sees that a comment has a link, only that it is *a brief comment pointing at
a site the link rules do not vouch for* (``brieflinktok``; fewer than
``BRIEF_WORDS`` words of its own), a short link or a video link in one
(``shortlinktok``, ``videolink``). A link to a vouched-for host (reference,
code, documentation, news: ``worker.text.links.vouched``) gives no token at all.
``model_text_parts`` gives the text and the spam tokens apart, prepared once
for both models.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from worker.text.cues import SELF_PROMOTION_RE, SPAM_CUES
from worker.text.links import Link, LinkedText, linked_text, vouched

_MENTION = re.compile(r"(?<![\w@])@\w+")
_LONG_NUMBER = re.compile(r"\+?\d[\d\s().-]{6,}\d")
_RUN = re.compile(r"(.)\1{2,}", re.DOTALL)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# A comment with fewer words than this besides its links is "brief": its links
# are most of what it says, so the spam model may weigh them. Fixed by design
# (about one sentence), not chosen on the YouTube data, where every length of
# linked comment is mostly spam: a longer cut-off scores better there and
# holds readers' comments that cite their own post (docs/checks.md).
# English words of a sentence (articles, pronouns, auxiliaries...): a list of keywords has
# almost none of them, and a sentence in another language none at all.
FUNCTION_WORDS = frozenset(
    """a an the and or but of to in on at for with from by is are was were be been it
    this that these those i you he she we they my your our their me him her us them
    not no so if as do does did have has had can could would should will just
    what which who how when where why there here than then very really""".split()
)

BRIEF_WORDS = 12


def _link_tokens(link: Link) -> tuple[str, ...]:
    if link.is_video:
        return ("videolink",)
    if vouched(link.site, ()) or not link.is_promotion:
        return ()
    return ("brieflinktok", "shortlinktok") if link.is_shortener else ("brieflinktok",)


def model_text(raw: str, spam_cues: bool = False) -> str:
    """The text a learned model sees: ``clean_text`` plus generalising rewrites.

    ``spam_cues`` adds the spam tokens (cues and a brief comment's link tokens:
    the spam model's features only).
    """
    text, tokens = model_text_parts(raw)
    return with_cues(text, tokens) if spam_cues else text


def with_cues(text: str, tokens: Sequence[str]) -> str:
    """The spam model's text: the model text with the spam tokens at its end."""
    return " ".join(filter(None, (text, *tokens)))


def model_text_parts(raw: str) -> tuple[str, tuple[str, ...]]:
    """The model text, and the spam tokens the spam model's text adds at its end.

    Prepared once for both models: the spam model's text shares every n-gram of
    the other but the tokens' own (``FeatureSpec.extended``).
    """
    linked = linked_text(raw)
    cut = [0, *(i for span in linked.spans for i in span), len(linked.rebuilt)]
    text = " ".join(linked.rebuilt[a:b] for a, b in zip(cut[::2], cut[1::2], strict=True))
    text = _MENTION.sub("@user", text)
    text = _LONG_NUMBER.sub(" longnum ", text)
    text = _RUN.sub(r"\1\1", text)
    lower = _cue_text(linked)
    if SELF_PROMOTION_RE.search(lower):
        text += " selfpromotok"
    text = _SPACE.sub(" ", text).strip().lower()
    tokens: list[str] = []
    if linked.links and own_words(text) < BRIEF_WORDS:
        for link in linked.links:
            tokens += (t for t in _link_tokens(link) if t not in tokens)
    tokens += (cue.token for cue in SPAM_CUES if cue.search(lower))
    if "selfpromotok" in text or _ASKS.intersection(tokens):
        tokens.append("asktok")
    return text, tuple(tokens)


# Every ask of readers pooled into one more token (``asktok``): an unseen video's
# spam asks in its own way (votes on one, subscriber goals on another), and the
# pooled token carries what the other videos taught about asking at all.
_ASKS = frozenset("likeasktok sharetok subtok votetok pleatok contacttok".split())


# Cached per process: the spam model, moderator_labels and the ask_link rule read
# the same text and tokens, and the toxicity model the same text without them,
# so a comment is normalised once for all.
cached_model_text_parts = lru_cache(maxsize=64)(model_text_parts)


def _cue_text(linked: LinkedText) -> str:
    """The lower-cased text the cues read: links kept, but one the link rules vouch for
    (reference, code, documentation, news) written ``reflink``, so "check out
    <a Wikipedia link>" reads as citing, not promoting."""
    if not linked.links or not any(vouched(link.site, ()) for link in linked.links):
        return linked.clean.lower()
    parts, end = [], 0
    for (a, b), link in zip(linked.spans, linked.links, strict=True):
        parts += [
            linked.rebuilt[end:a],
            " reflink " if vouched(link.site, ()) else linked.rebuilt[a:b],
        ]
        end = b
    parts.append(linked.rebuilt[end:])
    return "".join(parts).lower()


def own_words(model_text_: str) -> int:
    """How many words of a model text (links are cut out of it) are the writer's."""
    return len(_WORD.findall(model_text_.replace("selfpromotok", "")))
