"""The text a learned model sees (``model_text``), the same in training and serving.

``clean_text`` plus rewrites that make text generalise across sites and
campaigns: spaced-out or spelled-out links are rebuilt; a link to one video
becomes ``videolink``, any other link ``urltok urldom_<domain>
[urlpath_<word>] [shorturltok]``; ``@handles`` become ``@user``; long digit
runs become ``longnum``; self-promotion phrasing adds ``selfpromotok``; for the
spam model each matching ``SPAM_CUES`` pattern adds its token at the end; runs
of one character are cut to two; everything is lower-cased.
``model_text_parts`` gives the text and the cue tokens apart, prepared once for
both models.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from worker.text.cues import SELF_PROMOTION_RE, SPAM_CUES
from worker.text.links import Link, linked_text

_MENTION = re.compile(r"(?<![\w@])@\w+")
_LONG_NUMBER = re.compile(r"\+?\d[\d\s().-]{6,}\d")
_RUN = re.compile(r"(.)\1{2,}", re.DOTALL)
_SPACE = re.compile(r"\s+")


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
