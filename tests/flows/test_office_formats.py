"""Excel, Word and ZIP releases through the whole run, on DuckDB and PostgreSQL: the views analysts query.

The seed written as .xlsx, .xls, .docx and .doc must give every ``v_budget_summary`` column the
text file gives (its identity aside), and the same facts; a ZIP of shared real PDFs (with the
seed's workbook in a nested ZIP) must load each member exactly as the file alone loads — the
same bytes are the same document — with the archive and the member path in ``source_uri``.
"""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text

from flows.runner import folder_items, run_items
from load.warehouse import opened
from tests.conftest import DIALECT_PARAMS, SEED_PATH, make_warehouse_url, require_shared
from tests.office_inputs import soffice_or_skip, write_doc, write_docx, write_xls, write_xlsx, zip_of

FACT_COUNTS = ("fct_budget_line", "fct_three_public", "fct_project_budget", "fct_performance_target", "fct_asset",
               "fct_spending_plan", "fct_procurement")
REAL_PDFS = ("002_北京/2026年北京市信访办公室部门预算.pdf", "002_北京/2026年北京市审计局部门预算.pdf",
             "jiangsu/江苏省委办公厅/江苏省委办公厅2019年度部门预算公开表格.pdf")


def rows(engine, sql, **params):
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(text(sql), params).mappings()]


def _by_name(engine, sql):
    return {r["source_uri"].rsplit("/", 1)[-1]: r for r in rows(engine, sql)}


@pytest.fixture
def seed_formats(tmp_path):
    folder = tmp_path / "formats"
    folder.mkdir()
    shutil.copy(SEED_PATH, folder / "seed.txt")
    write_xlsx(folder / "seed.xlsx")
    write_xls(folder / "seed.xls")
    write_docx(folder / "seed.docx")
    if soffice_or_skip(required=False):
        write_doc(folder / "seed.doc")
    return folder


@pytest.mark.slow  # LibreOffice writes and the pipeline reads the seed in every format: full suite only (tests/extract/read/test_office_readers.py is the fast lane's)
def test_the_seed_in_every_format_loads_with_the_text_files_figures(engine, seed_formats):
    summary = run_items(engine, folder_items(seed_formats))
    formats = sorted(p.suffix for p in seed_formats.iterdir() if p.is_file())
    assert summary.counts["loaded"] == len(formats) >= 4
    documents = _by_name(engine, "SELECT source_uri, status, format, ocr_pages, department_name, fiscal_year "
                                 "FROM v_document")
    assert {name: (d["status"], d["format"], d["ocr_pages"]) for name, d in documents.items()} == {
        f"seed{s}": ("loaded", s.lstrip(".") if s != ".txt" else "text", 0) for s in formats}
    views = rows(engine, "SELECT d.source_uri, s.* FROM v_budget_summary s JOIN v_document d USING (document_id)")
    figures = {r["source_uri"].rsplit("/", 1)[-1]: {k: v for k, v in r.items() if k not in ("source_uri", "document_id")}
               for r in views}
    expected = figures.pop("seed.txt")
    assert expected["expenditure_total_yuan"] is not None
    assert {name: got for name, got in figures.items() if got != expected} == {}
    for table in FACT_COUNTS:
        counts = {r["source_uri"].rsplit("/", 1)[-1]: r["n"] for r in rows(
            engine, f"SELECT d.source_uri, count(f.document_id) AS n FROM v_document d LEFT JOIN {table} f "
                    "USING (document_id) GROUP BY d.source_uri")}
        assert set(counts.values()) == {counts["seed.txt"]}, table


@pytest.fixture(scope="module")
def release_zip(tmp_path_factory):
    """Three real PDFs in a release ZIP, and the seed's workbook in a ZIP inside it."""
    real = require_shared("corpus", "real")
    folder = tmp_path_factory.mktemp("release")
    workbook = write_xlsx(folder / "seed.xlsx").read_bytes()
    members = {name: (real / name).read_bytes() for name in REAL_PDFS}
    members["附件/表格.zip"] = zip_of({"高邑县信访局2021年部门预算.xlsx": workbook})
    (folder / "zip").mkdir()
    (folder / "zip" / "2026年预算公开.zip").write_bytes(zip_of(members))
    (folder / "alone").mkdir()
    for name in REAL_PDFS:
        shutil.copy(real / name, folder / "alone" / name.rsplit("/", 1)[-1])
    (folder / "alone" / "seed.xlsx").write_bytes(workbook)
    return folder


@pytest.mark.parametrize("dialect", DIALECT_PARAMS)
def test_a_zip_release_loads_each_member_as_the_file_alone(release_zip, dialect, request, tmp_path):
    views = {}
    for kind in ("alone", "zip"):
        (tmp_path / kind).mkdir()
        url = make_warehouse_url(dialect, request, tmp_path / kind)
        with opened(url) as engine:
            run_items(engine, folder_items(release_zip / kind))
            views[kind] = (rows(engine, "SELECT * FROM v_budget_summary ORDER BY document_id"),
                           rows(engine, "SELECT document_id, source_uri, status FROM v_document ORDER BY document_id"))
    assert len(views["zip"][0]) == 4
    assert views["zip"][0] == views["alone"][0]  # the same bytes: the same documents, the same figures
    uris = {r["source_uri"].split("release0/zip/", 1)[-1] for r in views["zip"][1]}
    assert uris == {"2026年预算公开.zip!/" + name for name in REAL_PDFS} | {
        "2026年预算公开.zip!/附件/表格.zip!/高邑县信访局2021年部门预算.xlsx"}
    assert {r["status"] for r in views["zip"][1]} == {"loaded"}
