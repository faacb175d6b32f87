"""What a ZIP or an OLE container holds, from its bytes: a workbook, a Word file, an archive.

Office files are containers: an .xlsx or .docx is a ZIP whose parts name what it is
(``xl/workbook.xml``, ``word/document.xml``); an .xls, .doc, .et or .wps is an OLE
compound file whose streams do (``Workbook``, ``WordDocument``). The names are read
from the container's own directory (the ZIP's central directory; the OLE directory's
UTF-16 entry names), never from the file's name. Each function returns the
:data:`~extract.read.sniff.SniffFormat` and a reason a person can read, and never raises.
"""

from __future__ import annotations

import io
import zipfile

_ZIP_PARTS = (  # (part name, format, what it is), first match wins
    ("word/document.xml", "docx", "Word (.docx)"),
    ("xl/workbook.xml", "xlsx", "Excel (.xlsx)"),
    ("xl/workbook.bin", "xlsx", "Excel binary workbook (.xlsb)"),
    ("ppt/presentation.xml", "office", "PowerPoint (.pptx)"),
    ("OFD.xml", "office", "OFD (China's fixed-layout format)"),
)
_ODF = {
    b"application/vnd.oasis.opendocument.spreadsheet": ("xlsx", "OpenDocument spreadsheet (.ods)"),
    b"application/vnd.oasis.opendocument.text": ("office", "OpenDocument text (.odt)"),
}
_HEAD_MARKERS = (  # a ZIP whose central directory cannot be read: the local headers' names
    (b"word/", "docx", "Word (.docx)"),
    (b"xl/", "xlsx", "Excel (.xlsx)"),
    (b"ppt/", "office", "PowerPoint (.pptx)"),
    (b"Doc_0/", "office", "OFD (China's fixed-layout format)"),
)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


_OLE_STREAMS = (  # (stream name, format, what it is), first match wins
    (_utf16("EncryptedPackage"), "encrypted", "a password-protected .docx/.xlsx in its encrypted envelope"),
    (_utf16("WordDocument"), "doc", "Word 97-2003 (.doc) or WPS (.wps)"),
    (_utf16("Workbook"), "xls", "Excel 97-2003 (.xls) or WPS spreadsheet (.et)"),
    (_utf16("Book"), "xls", "Excel 5.0/95 workbook (.xls)"),
    (_utf16("PowerPoint Document"), "office", "PowerPoint 97-2003 (.ppt)"),
)


def sniff_zip(data: bytes) -> tuple[str, str]:
    """``docx`` / ``xlsx`` (an .ods too: the same sheet reader) / ``office`` (a kind not read) /
    ``zip`` (an archive of files)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype")[:80].strip() if "mimetype" in names else b""
    except Exception:  # noqa: BLE001 - any damage: fall back to the names in the local headers
        return _damaged_zip(data)
    found = set(names)
    for part, fmt, what in _ZIP_PARTS:
        if part in found:
            return fmt, f"looks like a ZIP/Office file ({what})"
    if mimetype in _ODF:
        fmt, what = _ODF[mimetype]
        return fmt, f"looks like a ZIP/Office file ({what})"
    return "zip", f"a ZIP archive of {len(names)} entr{'y' if len(names) == 1 else 'ies'}"


def _damaged_zip(data: bytes) -> tuple[str, str]:
    head = data[:65536]
    for marker, fmt, what in _HEAD_MARKERS:
        if marker in head:
            return fmt, f"looks like a ZIP/Office file ({what}), but its directory is damaged"
    return "zip", "a ZIP archive whose directory is damaged"


def sniff_ole(data: bytes) -> tuple[str, str]:
    """``doc`` / ``xls`` / ``office`` (encrypted, PowerPoint or unknown) from the stream names."""
    for name, fmt, what in _OLE_STREAMS:
        if name in data:
            return fmt, f"looks like an old Office file (OLE: {what})"
    return "office", "looks like an old Office file (OLE: no Word or Excel stream found)"
