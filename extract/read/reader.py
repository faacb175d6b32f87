"""One entry point from bytes to a :class:`~extract.read.model.Document`, whatever the format.

The dispatch trusts :func:`extract.read.sniff.sniff`, never a file name, and turns every
input it cannot read into a :class:`~schemas.errors.DocumentError` whose reason a
person understands, so the flow quarantines the file and goes on. Readers are
imported when first needed: each format's reader is owned and changed separately,
and a broken PDF reader must not stop text documents from loading.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable

from extract.read.model import Document, document_id_of
from extract.read.sniff import Sniffed, sniff
from schemas.errors import DocumentError

__all__ = ["PDF_TAIL_WINDOW", "check_pdf_complete", "document_id_of", "read_document"]

PDF_TAIL_WINDOW = 2048  # %%EOF must appear this close to the end of a complete PDF

_NOT_SUPPORTED = {
    "zip": "not a text, HTML or PDF document: {reason}; Office attachments are not parsed yet",
    "ole": "not a text, HTML or PDF document: {reason}; Office attachments are not parsed yet",
    "image": "not a text, HTML or PDF document: {reason} (a scan with no text layer)",
    "archive": "not a text, HTML or PDF document: {reason}",
    "binary": "not a text, HTML or PDF document: {reason}",
}


def read_document(data: bytes, source_uri: str, content_type: str | None = None) -> Document:
    """Read ``data`` into a Document, or raise DocumentError saying why it cannot be.

    ``content_type`` is the HTTP header of a fetched document, if known: its charset is
    a declaration the decoder honours. The sniffer's finding (format, decoded text) is
    handed to the reader, which never decodes again.
    """
    document_id = document_id_of(data)
    found = sniff(data, content_type)
    if found.format == "empty":
        raise DocumentError(found.reason)
    if found.format in _NOT_SUPPORTED:
        raise DocumentError(_NOT_SUPPORTED[found.format].format(reason=found.reason))
    doc = _READERS[found.format](data, document_id, source_uri, found)
    if found.offset:
        doc.notes.append(f"{found.offset} bytes of junk before the %PDF header were skipped")
    return doc


def _read_text(data: bytes, document_id: str, source_uri: str, found: Sniffed) -> Document:
    read_text: Callable[..., Document] = import_module("extract.read.text_reader").read_text
    return read_text(data, document_id, source_uri, decoded=found.decoded)


def _read_html(data: bytes, document_id: str, source_uri: str, found: Sniffed) -> Document:
    read_html: Callable[..., Document] = import_module("extract.read.html_reader").read_html
    return read_html(data, document_id, source_uri, decoded=found.decoded)


def _read_pdf(data: bytes, document_id: str, source_uri: str, found: Sniffed) -> Document:
    body = data[found.offset:]
    check_pdf_complete(body)
    read_pdf: Callable[..., Document] = import_module("extract.read.pdf_reader").read_pdf
    return read_pdf(body, document_id, source_uri)


def check_pdf_complete(data: bytes) -> None:
    """A download cut short still parses page by page in pdfminer; refuse it instead.

    Loading the first half of a budget as if it were the whole would make every
    total look unmatched, so a missing end-of-file marker quarantines the file.
    """
    if b"%%EOF" not in data[-PDF_TAIL_WINDOW:]:
        raise DocumentError(
            "PDF is truncated or corrupt: the file ends without the %%EOF marker "
            f"({len(data)} bytes), it was probably cut off while downloading"
        )


_READERS: dict[str, Callable[[bytes, str, str, Sniffed], Document]] = {
    "text": _read_text,
    "html": _read_html,
    "pdf": _read_pdf,
}
