"""Bytes into text: the one decoder for text and HTML disclosures and for portal pages.

The order is the browsers' (WHATWG "encoding sniffing"), extended for the GB family
that Chinese portals serve:

1. a byte-order mark (UTF-8, UTF-16, UTF-32): it decides, nothing overrides it;
2. a declared charset: the HTTP ``Content-Type`` the collector passes in, else a
   ``<meta charset=…>`` or ``<meta http-equiv="Content-Type" content="…; charset=…">`` in
   the first 8 KiB;
3. strict UTF-8;
4. the narrowest of GBK and GB18030 that decodes strictly;
5. a declared Latin single-byte charset (ISO-8859-1, windows-1252, ASCII): Java servers
   send ``charset=ISO-8859-1`` by default, and those codecs decode any bytes, so such a
   declaration is believed only when UTF-8 and the GB family have failed;
6. ``charset-normalizer`` as the last resort (Big5, Shift-JIS, UTF-16 without a BOM…),
   but never for bytes that are nearly valid UTF-8 or GB18030 (at most 5 % of their
   non-ASCII characters broken, or up to 3 in a short text where most are whole): those are a damaged file or mixed encodings, and a
   guessed legacy codec would turn every character into mojibake instead of a few.

Every candidate must decode the whole input strictly (no replacement characters) and
look like text (no NUL, at most 1 % control characters); otherwise the next is tried.
When none fits, the bytes are not text and :func:`decode` returns None.

Encoding names are Python's codec names (``codecs.lookup(label).name``), so
``data[bom:].decode(name)`` gives the text back: ``utf-8``, ``utf-16-le``, ``utf-16-be``,
``utf-32-le``, ``utf-32-be``, ``gbk``, ``gb18030``, ``big5``, ``cp932``… A BOM is not part of
the name (``Decoded.bom`` says whether there was one). Every GB label (gb2312, gbk, cp936,
gb18030…) is reported as the narrowest of ``gbk`` / ``gb18030`` that decodes the bytes,
because pages that declare gb2312 routinely use GBK characters.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Literal

from charset_normalizer import from_bytes

DecodedBy = Literal["bom", "http", "meta", "utf-8", "gb", "detected", "replaced"]

_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 first: its LE BOM starts with UTF-16's
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_GB_FAMILY = ("gbk", "gb18030")  # narrowest first
_GB_NAMES = frozenset({"gb2312", "gbk", "gb18030"})
# WHATWG labels of the GB family that Python's codec registry does not know
_GB_LABELS = frozenset({"x-gbk", "csgb2312", "gb_2312", "gb_2312-80", "csiso58gb231280", "iso-ir-58",
                        "windows-936", "x-euc-cn"})
_WEAK_NAMES = frozenset({"iso8859-1", "cp1252", "ascii"})
_META_WINDOW = 8192
_DETECT_WINDOW = 256 * 1024  # charset-normalizer guesses from the head; the whole is then decoded strictly
_MAX_CONTROL_RATIO = 0.01
_MAX_DAMAGE_RATIO = 0.05
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text and the encoding that produced it; ``decoded_by`` says which rule chose it."""

    text: str
    encoding: str
    decoded_by: DecodedBy
    bom: bool = False


def encoding_name(label: str | None) -> str | None:
    """The codec name for a charset label (``GB2312`` → ``gb2312``, ``UTF8`` → ``utf-8``); None if unknown."""
    label = (label or "").strip().strip("\"'").lower()
    if label in _GB_LABELS:
        return "gbk"
    try:
        return codecs.lookup(label).name if label else None
    except LookupError:
        return None


def declared_charset(data: bytes, content_type: str | None = None) -> tuple[str, DecodedBy] | None:
    """The charset the HTTP header or the page itself declares: (codec name, "http" | "meta")."""
    header = _CHARSET_PARAM.search(content_type or "")
    if header and (name := encoding_name(header.group(1))):
        return name, "http"
    meta = _META_CHARSET.search(data[:_META_WINDOW])
    if meta and (name := encoding_name(meta.group(1).decode("ascii", "ignore"))):
        return name, "meta"
    return None


def decode(data: bytes, content_type: str | None = None) -> Decoded | None:
    """Decode ``data`` strictly by the rules above; None when it is not text in any of them."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], name)
            return Decoded(text, name, "bom", bom=True) if text is not None and _is_texty(text) else None
    declared = declared_charset(data, content_type)
    if declared and declared[0] not in _WEAK_NAMES:
        found = _try(data, _candidates(declared[0]), declared[1])
        if found:
            return found
    found = _try(data, ("utf-8",), "utf-8") or _try(data, _GB_FAMILY, "gb")
    if found:
        return found
    if declared:
        found = _try(data, (declared[0],), declared[1])
        if found:
            return found
    return _detected(data)


def decode_text_file(data: bytes, name: str) -> str:
    """The text of a small text file a person supplies (a CSV manifest or registry) by the rules
    of :func:`decode`, so UTF-8, GBK and GB18030 with a BOM or without; a GB18030 BOM (decoded
    as U+FEFF) is dropped too. Bytes that are strict UTF-8 (after any BOM) are that text even when
    they hold control characters (a registry may carry hostile names: the terminal output makes them
    safe, the decoder must not refuse the file). ValueError naming ``name`` when the bytes are no text."""
    if b"\x00" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    found = decode(data)
    if found is None:
        raise ValueError(f"{name}: not text in UTF-8, UTF-16, GBK/GB18030 or another encoding it could detect")
    return found.text.removeprefix("\ufeff")


def decode_lenient(data: bytes, content_type: str | None = None) -> Decoded:
    """:func:`decode`, else UTF-8 with U+FFFD for what cannot be decoded (never fails)."""
    found = decode(data, content_type)
    if found is not None:
        return found
    declared = declared_charset(data, content_type)
    name = damaged_encoding(data) or (declared[0] if declared else "utf-8")
    return Decoded(data.decode(name, errors="replace"), name, "replaced")


def damaged_encoding(data: bytes) -> str | None:
    """``utf-8`` or ``gb18030`` when the bytes are that encoding with a few broken sequences."""
    for name in ("utf-8", "gb18030"):
        text = data.decode(name, errors="replace")
        broken = text.count("\ufffd")
        non_ascii = sum(1 for ch in text if ord(ch) > 127)
        if 0 < broken <= max(3.0, _MAX_DAMAGE_RATIO * non_ascii) and 2 * broken < non_ascii:
            return name
    return None


def _candidates(name: str) -> tuple[str, ...]:
    return _GB_FAMILY if name in _GB_NAMES else (name,)


def _try(data: bytes, names: tuple[str, ...], decoded_by: DecodedBy) -> Decoded | None:
    for name in names:
        text = _strict(data, name)
        if text is not None:
            return Decoded(text, name, decoded_by) if _is_texty(text) else None
    return None


def _detected(data: bytes) -> Decoded | None:
    if damaged_encoding(data) is not None:
        return None
    best = from_bytes(data[:_DETECT_WINDOW]).best()
    name = encoding_name(best.encoding) if best is not None else None
    if name is None or name in _GB_FAMILY or name == "utf-8":
        return None  # those were tried strictly already
    return _try(data, (name,), "detected")


def _strict(data: bytes, name: str) -> str | None:
    try:
        return data.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_texty(text: str) -> bool:
    if not text or "\x00" in text:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls <= len(text) * _MAX_CONTROL_RATIO
