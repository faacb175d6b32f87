"""A content-addressed cache of read PDFs: what the PDF reader made of some bytes, kept so that the
same bytes are not interpreted twice.

Reading (pdfminer's interpretation of every page, the glyphs and ruling lines) is nine tenths of
preparing a PDF; parsing, transforming and checking are the rest. A reprocess after a parser
change (``backfill --reprocess``), a re-run with ``--force``, or two steps that read the same
files (the test suite's fixtures) then pay only the rest. Set ``COUNTY_BUDGETS_READ_CACHE`` to a
folder to turn it on; unset, nothing is read or written.

- **Key**: the sha256 of the bytes and :func:`reader_digest` — the source of every module of
  ``extract/read`` and the versions of pdfminer.six and pdfplumber — so a changed reader never
  serves an old reading: the first read after an upgrade misses and writes anew.
- **What is kept**: a document whose every page has a text layer. One with a scanned page is not
  (OCR works within a time budget, so what it reads of a long scan depends on the machine).
  Nor is a refusal (encrypted, too many pages): those are cheap to find again.
- **Format**: gzip'd JSON of the :class:`~extract.read.model.Document` (never pickle, so a shared
  folder cannot be made to run code), written to a temporary name and renamed, so two processes
  reading the same bytes at once both end with a whole entry. An entry that cannot be read back is
  a miss, never an error.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from extract.read.model import Document, Line, Page, Word

ENV = "COUNTY_BUDGETS_READ_CACHE"
READ_DIR = Path(__file__).parent
PACKAGES = ("pdfminer.six", "pdfplumber")


def cache_root() -> Path | None:
    """The cache folder ``COUNTY_BUDGETS_READ_CACHE`` names (created when missing), else None."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    root = Path(value)
    root.mkdir(parents=True, exist_ok=True)
    return root


@lru_cache(maxsize=1)
def reader_digest() -> str:
    """16 hex digits over the reader's source files and its libraries' versions (once per process)."""
    digest = hashlib.sha256()
    for path in sorted(READ_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in PACKAGES:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.hexdigest()[:16]


def _path(root: Path, document_id: str) -> Path:
    return root / document_id[:2] / f"{document_id}-{reader_digest()}.json.gz"


def cacheable(doc: Document) -> bool:
    """True for a document whose every page was read from its text layer (no scanned or OCR page)."""
    return not doc.scanned_pages


def to_json(doc: Document) -> dict:
    """The document as JSON-ready lists (its ``source_uri`` left out: it belongs to the call, not the bytes)."""
    return {"format": doc.format, "encoding": doc.encoding, "notes": doc.notes, "attachments": doc.attachments,
            "pages": [[p.page_no, p.width, p.height, p.kind, p.image_count, p.ocr_confidence, p.ocr_held,
                       [[line.page_no, line.line_no, line.text, line.top,
                         None if line.cells is None else list(line.cells),
                         [[w.text, w.x0, w.x1, w.top, w.bottom] for w in line.words]] for line in p.lines]]
                      for p in doc.pages]}


def from_json(data: dict, document_id: str, source_uri: str) -> Document:
    """:func:`to_json`'s inverse, for the bytes ``document_id`` read from ``source_uri``."""
    pages = [Page(page_no, [Line(ln_page, line_no, text, tuple(Word(*w) for w in words),
                                 None if cells is None else tuple(cells), top)
                            for ln_page, line_no, text, top, cells, words in lines],
                  width, height, kind, image_count, ocr_confidence, ocr_held)
             for page_no, width, height, kind, image_count, ocr_confidence, ocr_held, lines in data["pages"]]
    return Document(document_id, source_uri, data["format"], pages, data["encoding"], list(data["notes"]),
                    list(data["attachments"]))


def load(document_id: str, source_uri: str) -> Document | None:
    """The cached reading of the bytes ``document_id``, or None (no cache, no entry, an entry unreadable)."""
    root = cache_root()
    if root is None:
        return None
    try:
        with gzip.open(_path(root, document_id), "rt", encoding="utf-8") as stream:
            return from_json(json.load(stream), document_id, source_uri)
    except Exception:  # noqa: BLE001 - no entry, or a damaged or foreign one: a miss, the bytes are read again
        return None


def store(doc: Document) -> None:
    """Keep ``doc`` when a cache is set and it is :func:`cacheable` (written whole or not at all)."""
    root = cache_root()
    if root is None or not cacheable(doc):
        return
    target = _path(root, doc.document_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3) as stream:
            stream.write(json.dumps(to_json(doc), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        os.replace(temporary, target)
    except OSError:  # a full or read-only disk costs the cache, not the read
        Path(temporary).unlink(missing_ok=True)
