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

from extract.read import read_cache
from extract.read.model import Document, document_id_of
from extract.read.sniff import Sniffed, sniff
from schemas.errors import DocumentError

__all__ = ["PDF_TAIL_WINDOW", "check_pdf_complete", "document_id_of", "read_document"]

PDF_TAIL_WINDOW = 2048  # %%EOF must appear this close to the end of a complete PDF

_NOT_SUPPORTED = {
    "zip": "{reason}: an archive is opened by the run, each member read as a document of its own "
           "(extract.read.archive), not read as one document",
    "office": "not a format this tool reads: {reason} (it reads text, HTML, PDF, Excel .xlsx/.xls/.et and "
              "Word .docx/.doc/.wps)",
    "encrypted": "the Office file is encrypted (password protected), so it cannot be read without its password "
                 "({reason})",
    "image": "not a text, HTML, PDF or Office document: {reason} (a picture on its own; scanned pages are read "
             "with OCR inside a PDF only)",
    "archive": "{reason}: only ZIP archives are opened (RAR, 7-Zip and gzip need tools this project does not "
               "install); unpack it and run the folder",
    "binary": "not a text, HTML, PDF or Office document: {reason}",
}


def read_document(data: bytes, source_uri: str, content_type: str | None = None, *,
                  ocr_seconds: float | None = None) -> Document:
    """Read ``data`` into a Document, or raise DocumentError saying why it cannot be.

    ``content_type`` is the HTTP header of a fetched document, if known: its charset is
    a declaration the decoder honours. The sniffer's finding (format, decoded text) is
    handed to the reader, which never decodes again. ``ocr_seconds`` bounds the OCR of a
    PDF's scanned pages (the run passes most of its per-document time limit).
    """
    document_id = document_id_of(data)
    found = sniff(data, content_type)
    if found.format == "empty":
        raise DocumentError(found.reason)
    if found.format in _NOT_SUPPORTED:
        raise DocumentError(_NOT_SUPPORTED[found.format].format(reason=found.reason))
    if found.format == "pdf":
        doc = _read_pdf(data, document_id, source_uri, found, ocr_seconds)
    else:
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


def _read_sheets(data: bytes, document_id: str, source_uri: str, found: Sniffed) -> Document:
    read_sheets: Callable[..., Document] = import_module("extract.read.sheet_reader").read_sheets
    return read_sheets(data, document_id, source_uri, found.format, _what(found))


def _read_docx(data: bytes, document_id: str, source_uri: str, found: Sniffed) -> Document:
    read_docx: Callable[..., Document] = import_module("extract.read.docx_reader").read_docx
    return read_docx(data, document_id, source_uri)


def _read_doc(data: bytes, document_id: str, source_uri: str, found: Sniffed) -> Document:
    read_doc: Callable[..., Document] = import_module("extract.read.doc_reader").read_doc
    return read_doc(data, document_id, source_uri, _what(found))


def _what(found: Sniffed) -> str:
    """The sniffer's name for the kind ("Excel (.xlsx)"), from "looks like … (OLE: <what>)"."""
    inner = found.reason[found.reason.find("(") + 1: found.reason.rfind(")")] if "(" in found.reason else ""
    return inner.removeprefix("OLE: ") or found.format


def _read_pdf(data: bytes, document_id: str, source_uri: str, found: Sniffed,
              ocr_seconds: float | None = None) -> Document:
    body = data[found.offset:]
    check_pdf_complete(body)
    cached = read_cache.load(document_id, source_uri)  # COUNTY_BUDGETS_READ_CACHE (extract.read.read_cache)
    if cached is not None:
        return cached
    pdf_reader = import_module("extract.read.pdf_reader")
    settings = None
    if ocr_seconds is not None:
        ocr = import_module("extract.read.ocr_engine").OcrSettings(document_seconds=ocr_seconds)
        settings = pdf_reader.PdfReaderSettings(ocr=ocr)
    doc = pdf_reader.read_pdf(body, document_id, source_uri, settings)
    read_cache.store(doc)
    return doc


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
    "xlsx": _read_sheets,
    "xls": _read_sheets,
    "docx": _read_docx,
    "doc": _read_doc,
}
