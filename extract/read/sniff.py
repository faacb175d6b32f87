"""Tell a document's real format from its bytes, never from its name.

Portals serve HTML pages under ``.pdf`` names, prepend HTTP junk to PDFs and publish
GBK text next to UTF-8; the extension lies often enough that only the bytes count.
:func:`sniff` looks at magic numbers first (cheap, unambiguous), then tries to
decode the bytes as text with a strict chain (UTF-8, then the GB family) and only
then decides between HTML and plain text, so a plain-text disclosure that happens to
quote ``<p>`` tags (the seed does) is not mistaken for a web page.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

SniffFormat = Literal["pdf", "html", "text", "zip", "ole", "image", "archive", "empty", "binary"]

PDF_HEADER_WINDOW = 1024  # Acrobat accepts %PDF anywhere in the first KiB
_SNIFF_TEXT_BYTES = 65536  # decoding the head is enough to judge the whole file
_MAX_CONTROL_RATIO = 0.01

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
_OFFICE_ZIP_PARTS = (
    (b"word/", "Word (.docx)"),
    (b"xl/", "Excel (.xlsx)"),
    (b"ppt/", "PowerPoint (.pptx)"),
    (b"Doc_0/", "OFD"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# narrowest first: report GBK when GBK suffices, GB18030 only when needed
_FALLBACK_ENCODINGS = ("utf-8", "gbk", "gb18030")
_HTML_STRONG = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_HTML_ROOT = re.compile(r"<!doctype\s+html|<html[\s>]", re.I)
_HTML_CLOSING = re.compile(r"</(?:div|table|p|span|td|tr|li|a)>", re.I)
_HTML_LEADING_JUNK = re.compile(r"^(?:\s|<\?xml[^>]*\?>|<!--.*?-->)*", re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the bytes are. ``reason`` is a sentence a person can read in a report."""

    format: SniffFormat
    encoding: str | None = None
    reason: str = ""
    offset: int = 0  # where the real content starts (a PDF after junk)


def sniff(data: bytes) -> Sniffed:
    """Classify ``data``; never raises, whatever the bytes."""
    if not data:
        return Sniffed("empty", reason="empty file (0 bytes)")
    if not data.strip():
        return Sniffed("empty", reason=f"empty file ({len(data)} bytes of whitespace only)")
    for step in (_sniff_pdf, _sniff_magic, _sniff_text):
        found = step(data)
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
        kind = _office_kind(data)
        return Sniffed("zip", reason=f"looks like a ZIP/Office file ({kind})")
    if head.startswith(_OLE_MAGIC):
        return Sniffed("ole", reason="looks like an old Office file (OLE: .doc/.xls/.wps)")
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return Sniffed("image", reason="looks like an image (WEBP)")
    for magic, name in _IMAGE_MAGIC:
        if head.startswith(magic) and (name != "BMP" or _plausible_bmp(data)):
            return Sniffed("image", reason=f"looks like an image ({name})")
    for magic, name in _ARCHIVE_MAGIC:
        if head.startswith(magic):
            return Sniffed("archive", reason=f"looks like a compressed archive ({name})")
    return None


def _office_kind(data: bytes) -> str:
    head = data[:65536]
    for marker, name in _OFFICE_ZIP_PARTS:
        if marker in head:
            return name
    return "ZIP archive"


def _plausible_bmp(data: bytes) -> bool:
    """'BM' is also how text can start; a real BMP states its own size at bytes 2-5."""
    return len(data) >= 26 and int.from_bytes(data[2:6], "little") == len(data)


def _sniff_text(data: bytes) -> Sniffed | None:
    decoded = decode_text(data[:_SNIFF_TEXT_BYTES], truncated=len(data) > _SNIFF_TEXT_BYTES)
    if decoded is None:
        return None
    text, encoding = decoded
    if _looks_like_html(text):
        return Sniffed("html", encoding=_html_encoding(data, encoding), reason=f"HTML page ({encoding})")
    return Sniffed("text", encoding=encoding, reason=f"plain text ({encoding})")


def decode_text(data: bytes, truncated: bool = False) -> tuple[str, str] | None:
    """Strictly decode ``data`` as text: (text, encoding), or None if it is not text.

    ``truncated`` says ``data`` is a head cut at an arbitrary byte, so a multi-byte
    character split at the very end is not held against it.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict_decode(data, encoding, truncated)
            return (text, encoding) if text is not None and _is_texty(text) else None
    for encoding in _FALLBACK_ENCODINGS:
        text = _strict_decode(data, encoding, truncated)
        if text is not None:
            return (text, encoding) if _is_texty(text) else None
    return None


def _strict_decode(data: bytes, encoding: str, truncated: bool) -> str | None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return decoder.decode(data, final=not truncated)
    except UnicodeDecodeError:
        return None


def _is_texty(text: str) -> bool:
    if not text or "\x00" in text:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls <= len(text) * _MAX_CONTROL_RATIO


def _looks_like_html(text: str) -> bool:
    """A document root near the top, or markup from the first character on.

    Server warnings sometimes precede ``<!DOCTYPE html>``; a saved fragment may lack
    ``<html>`` but is tags from its first character. Plain text that merely quotes a
    ``<p>`` (the seed does) starts with words, so it stays text.
    """
    head = text[:8192]
    if _HTML_ROOT.search(head[:1024]):
        return True
    if _HTML_LEADING_JUNK.sub("", head, count=1)[:1] != "<":
        return False
    return _HTML_STRONG.search(head) is not None or len(_HTML_CLOSING.findall(head)) >= 3


def _html_encoding(data: bytes, decoded_as: str) -> str:
    """The page's declared charset when it names a codec that decodes it, else what worked."""
    match = _META_CHARSET.search(data[:8192])
    if match is None:
        return decoded_as
    declared = match.group(1).decode("ascii").lower()
    try:
        codecs.lookup(declared)
    except LookupError:
        return decoded_as
    if declared in ("gb2312", "gbk") and decoded_as == "gb18030":
        return "gb18030"  # pages declaring gb2312 routinely use GBK/GB18030 characters
    return declared if _strict_decode(data, declared, False) is not None else decoded_as
