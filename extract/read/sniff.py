"""Tell a document's real format from its bytes, never from its name.

Portals serve HTML pages under ``.pdf`` names, prepend HTTP junk to PDFs and publish
GBK text next to UTF-8; the extension lies often enough that only the bytes count.
:func:`sniff` looks at magic numbers first (cheap, unambiguous), then decodes the bytes
with the one decoder (:mod:`extract.read.decode`) and only then decides between HTML
and plain text, so a plain-text disclosure that happens to quote ``<p>`` tags (the
seed does) is not mistaken for a web page. ZIP and OLE containers are told apart by
what they hold (:mod:`extract.read.sniff_office`): a workbook, a Word file, an archive. The decoded text travels on in
:class:`Sniffed` so no reader decodes the bytes a second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from extract.read.decode import Decoded, decode
from extract.read.sniff_office import sniff_ole, sniff_zip

SniffFormat = Literal["pdf", "html", "text", "xlsx", "xls", "docx", "doc", "zip", "office", "encrypted", "image",
                      "archive", "empty", "binary"]

PDF_HEADER_WINDOW = 1024  # Acrobat accepts %PDF anywhere in the first KiB

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
)
_ARCHIVE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x1f\x8b", "gzip"),
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_HTML_STRONG = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_HTML_ROOT = re.compile(r"<!doctype\s+html|<html[\s>]", re.I)
_HTML_CLOSING = re.compile(r"</(?:div|table|p|span|td|tr|li|a)>", re.I)
_HTML_LEADING_JUNK = re.compile(r"^(?:\s|<\?xml[^>]*\?>|<!--.*?-->)*", re.S)


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the bytes are. ``reason`` is a sentence a person can read in a report.

    ``decoded`` is the whole text for ``text`` and ``html`` (None for other formats);
    ``offset`` is where the real content starts (a PDF after junk).
    """

    format: SniffFormat
    reason: str = ""
    offset: int = 0
    decoded: Decoded | None = None

    @property
    def encoding(self) -> str | None:
        return self.decoded.encoding if self.decoded is not None else None


def sniff(data: bytes, content_type: str | None = None) -> Sniffed:
    """Classify ``data``; never raises, whatever the bytes.

    ``content_type`` is the HTTP header when the bytes were fetched: its charset is a
    declaration the decoder honours (see :mod:`extract.read.decode`).
    """
    if not data:
        return Sniffed("empty", reason="empty file (0 bytes)")
    if not data.strip():
        return Sniffed("empty", reason=f"empty file ({len(data)} bytes of whitespace only)")
    # a PDF header at byte 0, else a file's own magic number (a ZIP of PDFs holds "%PDF-"
    # in its first KiB), else a PDF header after junk, else text
    pdf = _sniff_pdf(data)
    if pdf is not None and pdf.offset == 0:
        return pdf
    found = _sniff_magic(data) or pdf or _sniff_text(data, content_type)
    if found is not None:
        return found
    return Sniffed("binary", reason=f"binary data of an unknown kind ({len(data)} bytes)")


def _sniff_pdf(data: bytes) -> Sniffed | None:
    offset = data.find(b"%PDF-", 0, PDF_HEADER_WINDOW)
    if offset < 0:
        return None
    where = "at the start" if offset == 0 else f"after {offset} bytes of junk"
    return Sniffed("pdf", reason=f"PDF header {where}", offset=offset)


def _sniff_magic(data: bytes) -> Sniffed | None:
    head = data[:16]
    if head.startswith(_ZIP_MAGIC):
        return Sniffed(*sniff_zip(data))
    if head.startswith(_OLE_MAGIC):
        return Sniffed(*sniff_ole(data))
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return Sniffed("image", reason="looks like an image (WEBP)")
    for magic, name in _IMAGE_MAGIC:
        if head.startswith(magic) and (name != "BMP" or _plausible_bmp(data)):
            return Sniffed("image", reason=f"looks like an image ({name})")
    for magic, name in _ARCHIVE_MAGIC:
        if head.startswith(magic):
            return Sniffed("archive", reason=f"looks like a compressed archive ({name})")
    return None


def _plausible_bmp(data: bytes) -> bool:
    """'BM' is also how text can start; a real BMP states its own size at bytes 2-5."""
    return len(data) >= 26 and int.from_bytes(data[2:6], "little") == len(data)


def _sniff_text(data: bytes, content_type: str | None) -> Sniffed | None:
    decoded = decode(data, content_type)
    if decoded is None:
        return None
    if looks_like_html(decoded.text):
        return Sniffed("html", reason=f"HTML page ({decoded.encoding})", decoded=decoded)
    return Sniffed("text", reason=f"plain text ({decoded.encoding})", decoded=decoded)


def looks_like_html(text: str) -> bool:
    """A document root near the top, or markup from the first character on.

    The one HTML detector: the reader dispatch, the crawler's page test and the fetcher's
    "served as PDF but is a web page" check all come through here. Server warnings
    sometimes precede ``<!DOCTYPE html>``; a saved fragment may lack ``<html>`` but is
    tags from its first character. Plain text that merely quotes a ``<p>`` (the seed
    does) starts with words, so it stays text.
    """
    head = text[:8192]
    if _HTML_ROOT.search(head[:1024]):
        return True
    if _HTML_LEADING_JUNK.sub("", head, count=1)[:1] != "<":
        return False
    return _HTML_STRONG.search(head) is not None or len(_HTML_CLOSING.findall(head)) >= 3
