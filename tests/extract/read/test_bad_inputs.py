"""The bad-input suite, reader side: every broken or hostile file ends in a DocumentError with a
reason a person understands, quickly and in bounded memory (files from tests/badinputs.py)."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from extract.collect.folder import list_folder, read_source_file
from extract.parse.document import parse_document
from extract.read.ocr_engine import OcrSettings
from extract.read.pdf_reader import PdfReaderSettings, read_pdf
from extract.read.reader import read_document
from flows.runner import unpacked
from schemas.errors import DocumentError
from tests.badinputs import CATALOGUE, permission_denied_works, write_bad_inputs

# each input is refused in well under a second on an idle machine; the bound is generous so a machine
# loaded by other work does not fail it (a hang or an unbounded read takes minutes)
MAX_SECONDS = 30.0
OCR_PAGE_SECONDS = OcrSettings().page_seconds  # a noise page is OCR'd where the ocr extra is installed


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> tuple[Path, dict[str, str | None]]:
    folder = tmp_path_factory.mktemp("bad")
    return folder, write_bad_inputs(folder)


def _outcome(path: Path) -> str:
    """The reason read (or, for parse-stage inputs, read then parse) refuses ``path`` with; an archive's
    as a run opens it (:func:`flows.runner.unpacked`): refused whole, or its first member's."""
    try:
        data = read_source_file(path)
        [(data, uri, refused), *_] = unpacked(data, str(path))
        if refused:
            return refused
        doc = read_document(data, uri)
        parse_document(doc)
    except DocumentError as exc:
        return exc.reason
    return "loaded"


def test_every_entry_is_listed_and_distinct(bad):
    folder, expected = bad
    listed = {p.name for p in list_folder(folder, every_entry=True)}
    assert listed == set(expected) == {item.name for item in CATALOGUE}
    # regular files only, as before, unless every_entry is asked for
    assert {p.name for p in list_folder(folder)} == set(expected) - {"dangling_link.pdf", "fifo.pdf"}
    contents = [p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name != "unreadable.pdf"]
    assert len(set(contents)) == len(contents)  # a document is its bytes: no two alike


@pytest.mark.parametrize("item", [pytest.param(i, marks=pytest.mark.slow) if i.name == "ocr_noise.pdf" else i  # OCR: slow
                                  for i in CATALOGUE if i.reason is not None],
                         ids=lambda i: i.name.encode("unicode_escape").decode())
def test_refused_with_its_reason_in_bounded_time(bad, item):
    folder, expected = bad
    started = time.perf_counter()
    reason = _outcome(folder / item.name)
    elapsed = time.perf_counter() - started
    assert expected[item.name] in reason, reason
    # the OCR of a noise page is cut at its page_seconds; twice that leaves room for a loaded machine
    assert elapsed < (2 * OCR_PAGE_SECONDS if item.name == "ocr_noise.pdf" else MAX_SECONDS)


@pytest.mark.parametrize("name", ["title_only.txt", "absurd_numbers.txt"])
def test_later_stage_inputs_read_cleanly(bad, name):
    """Not a reader problem: the reader hands them on; transform/parse must refuse them."""
    folder, expected = bad
    assert expected[name] is None
    assert read_document(read_source_file(folder / name), name).format == "text"


def test_decompression_bomb_is_refused_in_bounded_memory(bad):
    folder, _ = bad
    data = (folder / "decompression_bomb.pdf").read_bytes()
    assert len(data) < 2048  # 400 MiB of page content, two Flate stages
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError, match="inflates to more than 64 MiB"):
            read_document(data, "bomb.pdf")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024  # the check streams 1 MiB chunks; pdfminer never inflates it


def test_limits_are_settings(bad):
    folder, _ = bad
    data = (folder / "pages_2001.pdf").read_bytes()
    assert read_pdf(data, "id", "x.pdf", PdfReaderSettings(max_pages=2500)).page_count == 2001
    with pytest.raises(DocumentError, match="has 2001 pages, more than the 2000"):
        read_pdf(data, "id", "x.pdf", PdfReaderSettings(max_pages=2000))
    with pytest.raises(ValueError, match="limits must be positive"):
        PdfReaderSettings(max_stream_bytes=0)


def test_page_cap_holds_when_the_catalogue_understates_the_count(bad):
    folder, _ = bad
    data = (folder / "pages_2001.pdf").read_bytes().replace(b"/Count 2001", b"/Count 1   ")
    with pytest.raises(DocumentError, match="has 2001 pages, more than the 500"):
        read_document(data, "liar.pdf")


def test_permission_denied_is_a_reason(bad, monkeypatch):
    """Where chmod 000 stops reads (not root) the real file shows it; as root it is simulated."""
    folder, expected = bad
    path = folder / "unreadable.pdf"
    if permission_denied_works(folder):
        assert expected["unreadable.pdf"] == "permission denied"
    else:
        assert expected["unreadable.pdf"] == "PDF is truncated or corrupt"

        def denied(*_args, **_kw):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr("extract.collect.folder.os.open", denied)
    with pytest.raises(DocumentError) as caught:
        read_source_file(path)
    assert caught.value.reason == "cannot read the file: permission denied for this process"


def test_size_cap_on_reading(bad):
    folder, _ = bad
    with pytest.raises(DocumentError, match="larger than 100 bytes"):
        read_source_file(folder / "random_after_header.pdf", max_bytes=100)
    assert len(read_source_file(folder / "truncated.pdf", max_bytes=100_000)) > 0
