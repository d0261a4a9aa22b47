"""What a reader would read of a comment body, as plain Unicode: ``clean_text``.

Invisible characters removed (U+FEFF ends most ham rows of the YouTube data and
must never become a feature), HTML entities decoded, tags stripped (an anchor
keeps its ``href``), Markdown links flattened to "label url", NFKC applied
(full-width letters become ASCII). Case is kept, so rules can still see
shouting. Every other text noun of ``worker.text`` starts from this.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Invisible characters that carry no meaning for a reader.
# Bidirectional marks and isolates (U+200E/F, U+202A-E, U+2066-9) too: the OLID
# tweets carry U+2066, and a reader never sees them.
_INVISIBLE = dict.fromkeys(
    [*map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e\u200e\u200f"), *range(0x202A, 0x202F)]
    + [*range(0x2066, 0x206A)],
    None,
)

_ANCHOR = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]+)["']?[^>]*>(.*?)</a\s*>""",
    re.IGNORECASE | re.DOTALL,
)
_BREAK = re.compile(r"<\s*(?:br|p|div|li)\b[^>]*>", re.IGNORECASE)
# A tag starts with a letter or "/": "<3" and "a < b" are left alone.
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


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
