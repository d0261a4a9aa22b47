"""Opening an import file: plain, ``.gz`` or ``.zip`` (one export inside), and reading XML
from it as hostile input.

The XML reader is streamed (``iterparse``) through defusedxml: a DTD's entities and external
entities are refused, never expanded. Before the parser, a filter mends what real exports get
wrong: stray bytes before the XML declaration, control characters XML forbids, and unquoted
attribute values (``<thread dsq:id=247937687/>``) inside tags.
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from service.importing.records import ImportFileError

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"


@contextmanager
def open_input(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary stream of the export in ``path``, whatever it is wrapped in; closed (with the
    file and any archive under it) on leaving the block."""
    path = Path(path)
    try:
        raw = path.open("rb")
    except OSError as error:
        raise ImportFileError(f"cannot open {path.name}: {error.strerror}") from None
    with ExitStack() as stack:
        stack.enter_context(raw)
        yield open_stream(raw, stack)


def open_stream(raw: IO[bytes], stack: ExitStack | None = None) -> IO[bytes]:
    """``raw`` unwrapped from gzip or zip; what it opens is closed with ``stack``."""
    stack = stack if stack is not None else ExitStack()
    head = raw.read(4)
    raw.seek(0)
    if head.startswith(_GZIP_MAGIC):
        inner = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))
        return io.BufferedReader(_Capped(inner), buffer_size=1 << 16)
    if head == _ZIP_MAGIC:
        try:
            archive = stack.enter_context(zipfile.ZipFile(raw))
        except zipfile.BadZipFile as error:
            raise ImportFileError(f"not a readable zip file: {error}") from None
        members = [m for m in archive.infolist() if not m.is_dir() and "__MACOSX" not in m.filename]
        if len(members) != 1:
            raise ImportFileError(
                f"a zip file must hold exactly one export, this one holds {len(members)}"
            )
        inner = stack.enter_context(archive.open(members[0]))
        return io.BufferedReader(_Capped(inner), buffer_size=1 << 16)
    return raw


# What a compressed export may unpack to: a real export of millions of comments fits, a
# "zip bomb" (a few MB that unpack to terabytes) stops here with a clear error.
MAX_UNPACKED = 4 * 1024**3


class _Capped(io.RawIOBase):
    def __init__(self, inner: IO[bytes], limit: int | None = None):
        self._inner = inner
        self._left = MAX_UNPACKED if limit is None else limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._inner.read(len(buffer))
        self._left -= len(data)
        if self._left < 0:
            raise ImportFileError(
                f"the archive unpacks to more than {MAX_UNPACKED // 1024**3} GB; "
                "unpack it yourself and import the file"
            )
        buffer[: len(data)] = data
        return len(data)


# Everything XML 1.0 forbids below 0x20, except tab, line feed and carriage return.
_FORBIDDEN = bytes(b for b in range(32) if b not in (9, 10, 13))
_TAG_WITH_BARE_VALUE = re.compile(rb"<[A-Za-z][^<>]*=[^\s\"'][^<>]*>")
_BARE_VALUE = re.compile(rb"(\s[\w:.-]+=)([^\s\"'<>/=][^\s\"'<>]*?)(?=\s|/?>)")


def _quote_bare_values(match: re.Match[bytes]) -> bytes:
    return _BARE_VALUE.sub(rb'\1"\2"', match.group(0))


class TolerantXml(io.RawIOBase):
    """A read-only stream of ``source`` with the mends above, line by line."""

    def __init__(self, source: IO[bytes]):
        self._source = source
        self._buffer = b""
        self._started = False
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def _next_line(self) -> bytes:
        line = self._source.readline(1 << 20)
        self.bytes_read += len(line)
        if not line:
            return b""
        if not self._started:
            start = line.find(b"<")
            if start < 0:
                return b"\n"  # still before the document: drop it, keep reading
            self._started = True
            line = line[start:]
        line = line.translate(None, _FORBIDDEN)
        if b"=" in line:
            line = _TAG_WITH_BARE_VALUE.sub(_quote_bare_values, line)
        return line

    def readinto(self, buffer) -> int:
        size = len(buffer)
        while len(self._buffer) < size:
            line = self._next_line()
            if not line:
                break
            if line == b"\n" and not self._started:
                continue
            self._buffer += line
        chunk, self._buffer = self._buffer[:size], self._buffer[size:]
        buffer[: len(chunk)] = chunk
        return len(chunk)


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def iter_xml(
    stream: IO[bytes], events: tuple[str, ...] = ("start", "end")
) -> Iterator[tuple[str, object]]:
    """``(event, element)`` for ``events``, from a hostile XML stream. The caller clears
    what it has read. Anything that is not well-formed XML, or declares entities, is an
    ImportFileError naming the line."""
    source = io.BufferedReader(TolerantXml(stream), buffer_size=1 << 16)
    try:
        yield from iterparse(
            source,
            events=events,
            forbid_dtd=False,
            forbid_entities=True,
            forbid_external=True,
        )
    except DefusedXmlException as error:
        raise ImportFileError(f"refused: the file declares {error}") from None
    except SyntaxError as error:  # xml.etree.ElementTree.ParseError
        raise ImportFileError(f"not well-formed XML: {error}") from None


def text_of(element, name: str) -> str | None:
    """The text of ``element``'s first child whose local name is ``name``."""
    for child in element:
        if local(child.tag) == name:
            return child.text
    return None


def child(element, name: str):
    for node in element:
        if local(node.tag) == name:
            return node
    return None


def attr(element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (``dsq:id``)."""
    if element is None:
        return None
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return None
