"""Limits checked before a PDF's pages are read: page count and decompressed stream sizes.

pdfminer inflates a stream completely in memory and then tokenises it in Python, so a
small hostile file (a stream that inflates to hundreds of MB, a page tree of thousands
of pages) would take minutes and gigabytes before failing. These checks look at the
document's structure with pdfminer's own parser first and refuse such a file with a
:class:`~schemas.errors.DocumentError` in bounded time and memory:

- the page count stated in the catalogue (``/Pages /Count``) against ``max_pages``;
- every stream the text reader would decode (page contents, form XObjects, object
  streams, fonts and CMaps; images are never decoded for text, so they are skipped)
  is inflated with a bound: more than ``max_stream_bytes`` for one stream, or more than
  ``max_total_stream_bytes`` for all of them, refuses the file. Only Flate (zlib)
  chains are measured: the filters that can amplify by three orders of magnitude.

Not covered: a cross-reference *stream* is inflated by pdfminer while the file is opened,
before any check can run, and a stream whose ``/Length`` sits inside an object stream
is resolved through it; both stay bounded only by the worker's time and memory limits.
"""

from __future__ import annotations

import zlib
from typing import Any

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfminer.psparser import LIT

from schemas.errors import DocumentError

_IMAGE = LIT("Image")
MIB = 1024 * 1024
_CHUNK = MIB


def check_pdf_limits(doc: PDFDocument, max_pages: int, max_stream_bytes: int, max_total_bytes: int) -> None:
    """Raise DocumentError when ``doc`` states too many pages or inflates beyond the caps."""
    total = 0
    for objid, stream in _text_streams(doc):
        size = inflated_size(stream, objid, max_stream_bytes)
        if size > max_stream_bytes:
            raise DocumentError(
                f"the PDF looks like a decompression bomb: stream object {objid} inflates to more "
                f"than {max_stream_bytes // MIB} MiB (the cap for one stream), not read"
            )
        total += size
        if total > max_total_bytes:
            raise DocumentError(
                f"the PDF looks like a decompression bomb: its streams inflate to more than "
                f"{max_total_bytes // MIB} MiB in all (the cap for one document), not read"
            )
    # after the streams: the page tree may sit in an object stream, decoded when resolved
    stated = stated_page_count(doc)
    if stated is not None and stated > max_pages:
        raise too_many_pages(stated, max_pages)


def too_many_pages(pages: int, max_pages: int) -> DocumentError:
    return DocumentError(
        f"the PDF has {pages} pages, more than the {max_pages} a budget disclosure can plausibly "
        "have (the longest seen have under 200): not read"
    )


def stated_page_count(doc: PDFDocument) -> int | None:
    try:
        pages = resolve1(doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    except Exception:  # noqa: BLE001 - a damaged catalogue is pdfplumber's to report
        return None
    return count if isinstance(count, int) else None


def _text_streams(doc: PDFDocument):
    """(object id, stream) for every direct stream object that is not an image."""
    for xref in doc.xrefs:
        for objid in xref.get_objids():
            try:
                in_stream, _, _ = xref.get_pos(objid)
                if in_stream is not None:
                    continue  # objects inside object streams are never streams themselves
                obj = doc.getobj(objid)
            except Exception:  # noqa: BLE001 - a damaged object is pdfplumber's to report
                continue
            if isinstance(obj, PDFStream) and obj.get("Subtype") is not _IMAGE:
                yield objid, obj


def inflated_size(stream: PDFStream, objid: int, cap: int) -> int:
    """Bytes the stream's leading Flate filters produce, counted up to just past ``cap``.

    Streamed in 1 MiB chunks through every Flate stage and thrown away as counted, so the
    check holds about one chunk per stage in memory, whatever the stream inflates to.
    """
    data: bytes = stream.rawdata if stream.rawdata is not None else (stream.data or b"")
    if stream.decipher and stream.rawdata is not None:
        data = stream.decipher(objid, stream.genno or 0, data, stream.attrs)
    stages = 0
    for name, _params in _filters(stream):
        if name not in LITERALS_FLATE_DECODE:
            break
        stages += 1
    if not stages:
        return len(data)
    counter = _Inflater(stages, cap)
    try:
        counter.feed(0, data)
    except zlib.error:
        pass  # damaged: pdfminer's own lenient decoder decides what it holds
    return counter.total


class _Inflater:
    def __init__(self, stages: int, cap: int):
        self.decoders = [zlib.decompressobj() for _ in range(stages)]
        self.cap, self.total = cap, 0

    def feed(self, level: int, chunk: bytes) -> bool:
        """Push ``chunk`` into stage ``level``; True once the final output passed the cap."""
        if level == len(self.decoders):
            self.total += len(chunk)
            return self.total > self.cap
        decoder = self.decoders[level]
        while True:
            out = decoder.decompress(chunk, _CHUNK)
            if out and self.feed(level + 1, out):
                return True
            chunk = decoder.unconsumed_tail
            if not chunk and len(out) < _CHUNK:
                return False


def _filters(stream: PDFStream) -> list[tuple[Any, Any]]:
    try:
        return stream.get_filters()
    except Exception:  # noqa: BLE001
        return []
