"""The read cache (COUNTY_BUDGETS_READ_CACHE): the same bytes are interpreted once, a changed reader
reads anew, and nothing about a document changes when it comes from the cache."""

from __future__ import annotations

import gzip

import pytest

from extract.read import read_cache
from extract.read.reader import read_document
from tests.synthetic import generate_truth
from tests.synthetic.render_pdf import render_seed_pdf, render_standard_tables_pdf


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(read_cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def tables_pdf() -> bytes:
    return render_standard_tables_pdf(generate_truth(7))


def entries(root) -> list:
    return sorted(root.rglob("*.json.gz"))


def refuse_to_read(monkeypatch):
    """The PDF reader made to fail: what is read now comes from the cache or not at all."""
    from extract.read import pdf_reader

    def fail(*args, **kwargs):
        raise AssertionError("the PDF was interpreted again")

    monkeypatch.setattr(pdf_reader, "read_pdf", fail)


def test_a_second_read_comes_from_the_cache_equal_to_the_first(cache, tables_pdf, monkeypatch):
    first = read_document(tables_pdf, "file:///a/budget.pdf")
    assert len(entries(cache)) == 1 and first.page_count >= 5
    refuse_to_read(monkeypatch)
    again = read_document(tables_pdf, "file:///b/copy.pdf")
    assert again.source_uri == "file:///b/copy.pdf"  # the call's address, not the first reader's
    assert (again.pages, again.format, again.notes, again.document_id) == \
        (first.pages, first.format, first.notes, first.document_id)
    assert sum(1 for line in again.lines() if line.cells) == sum(1 for line in first.lines() if line.cells) > 20


def test_a_changed_reader_reads_anew(cache, tables_pdf, monkeypatch):
    read_document(tables_pdf, "file:///a.pdf")
    monkeypatch.setattr(read_cache, "reader_digest", lambda: "0123456789abcdef")
    refuse_to_read(monkeypatch)
    with pytest.raises(AssertionError, match="interpreted again"):
        read_document(tables_pdf, "file:///a.pdf")


def test_a_damaged_entry_is_a_miss_and_is_written_again(cache, tables_pdf):
    first = read_document(tables_pdf, "file:///a.pdf")
    [entry] = entries(cache)
    entry.write_bytes(b"not gzip at all")
    assert read_document(tables_pdf, "file:///a.pdf").pages == first.pages
    with gzip.open(entry, "rt", encoding="utf-8") as stream:
        assert '"pages"' in stream.read()


def test_a_scanned_page_is_never_kept(cache):
    data = render_seed_pdf(generate_truth(3), with_scanned_page=True)
    doc = read_document(data, "file:///scan.pdf")
    assert doc.scanned_pages and entries(cache) == []


def test_without_the_setting_nothing_is_written(tmp_path, tables_pdf, monkeypatch):
    monkeypatch.delenv(read_cache.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    read_document(tables_pdf, "file:///a.pdf")
    assert list(tmp_path.rglob("*.json.gz")) == []


def test_the_json_round_trip_keeps_every_field(tables_pdf, monkeypatch):
    monkeypatch.delenv(read_cache.ENV, raising=False)
    doc = read_document(tables_pdf, "file:///a.pdf")
    doc.notes.append("a note")
    doc.attachments.append("https://example.org/a.xls")
    back = read_cache.from_json(read_cache.to_json(doc), doc.document_id, doc.source_uri)
    assert back == doc
