"""One reader per export format: ``read(stream)`` yields ThreadRecord and CommentRecord."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO

from service.importing.records import CommentRecord, ThreadRecord

Reader = Callable[[IO[bytes]], Iterator[ThreadRecord | CommentRecord]]
FORMATS = ("wordpress", "disqus", "isso", "commento", "remark42", "parley")


def reader_for(name: str) -> Reader:
    if name == "wordpress":
        from service.importing.sources.wordpress import read
    elif name == "disqus":
        from service.importing.sources.disqus import read
    elif name == "isso":
        from service.importing.sources.isso import read
    elif name == "commento":
        from service.importing.sources.commento import read
    elif name == "remark42":
        from service.importing.sources.remark42 import read
    elif name == "parley":
        from service.importing.sources.parley import read
    else:
        raise ValueError(f"unknown format {name!r}; one of {', '.join(FORMATS)}")
    return read
