"""A volume that prints no fiscal year (issue 8 item 4): never a year from elsewhere in its
text; from a sibling volume, the crawler's link text, its file name or its address, with
``fiscal_year_source`` saying which and a warning row."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import insert, text

from extract.parse.document import NoFiscalYearError, parse_document
from extract.parse.year_hints import DocumentHints, year_from_hints
from extract.read.reader import read_document
from flows.runner import folder_items, run_items
from load.warehouse import opened
from schemas.registry import src_document_url

NARRATIVE = """高邑县民政局2026年部门预算
一、收入预算情况
2026年收入预算120.00万元。
"""
# tables only: no year in any title; the comparison column names last year (2025) and the
# one before (2024) — the years the old reader took for the volume's own
TABLES = """收支总表
部门：高邑县民政局　　　　单位：万元
项目\t2024年决算数\t2025年预算数\t本年预算数
收入总计\t98.00\t110.00\t120.00
支出总计\t98.00\t110.00\t120.00
"""


def test_a_year_elsewhere_in_the_text_is_never_the_volumes_year():
    """Regression: a 2026 tables-only volume got 2024 from its comparison columns."""
    doc = read_document(TABLES.encode("utf-8"), "mem://tables.txt")
    with pytest.raises(NoFiscalYearError) as caught:
        parse_document(doc)
    assert caught.value.meta.department_name == "高邑县民政局"
    assert "no fiscal year" in caught.value.reason


@pytest.mark.parametrize("hints, expected", [
    (DocumentHints(sibling_years=(2026,), link_text="2025年部门预算", file_name="2024年表.txt"), (2026, "sibling_volume")),
    (DocumentHints(sibling_years=(2025, 2026), link_text="高邑县民政局二〇二六年部门预算报表"), (2026, "crawl_link")),
    (DocumentHints(file_name="附件2：高邑县民政局2026年度部门预算报表.pdf", url="http://x.gov.cn/2025/a.pdf"),
     (2026, "file_name")),
    (DocumentHints(file_name="W020260302425669825391.pdf", url="http://x.gov.cn/zwgk/2026/W0203.pdf"), (2026, "url")),
    (DocumentHints(file_name="表格.pdf", url="http://x.gov.cn/W020260302.pdf"), None),
])
def test_hints_in_their_order(hints, expected):
    """Siblings that disagree decide nothing; digits inside an id are no year."""
    assert year_from_hints(hints) == expected


def _run(tmp_path, files: dict[str, str], link_texts: dict[str, str] | None = None):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    engine_cm = opened(f"duckdb:///{tmp_path / 'w.duckdb'}")
    engine = engine_cm.__enter__()
    items = folder_items(folder)
    for item in items:
        if link_texts and item.path.name in link_texts:
            now = datetime.now(timezone.utc)
            with engine.begin() as connection:
                connection.execute(insert(src_document_url).values(
                    source_id="s1", url=item.uri, title=link_texts[item.path.name], first_seen=now, last_seen=now))
    summary = run_items(engine, items)
    return engine_cm, engine, summary


def _document(engine, name: str) -> dict:
    with engine.connect() as connection:
        [row] = connection.execute(text("SELECT * FROM v_document WHERE source_uri LIKE :f"), {"f": f"%/{name}"}).mappings()
        checks = connection.execute(text("SELECT passed, severity, message FROM v_data_quality WHERE document_id = :d "
                                         "AND rule_code = 'fiscal_year_printed'"), {"d": row["document_id"]}).mappings()
        return {**row, "check": dict(next(iter(checks), {}))}


def test_a_tables_volume_takes_the_year_of_its_narrative_sibling(tmp_path):
    cm, engine, summary = _run(tmp_path, {"a_narrative.txt": NARRATIVE, "b_tables.txt": TABLES})
    try:
        tables = _document(engine, "b_tables.txt")
        assert (tables["status"], tables["fiscal_year"], tables["fiscal_year_source"]) == ("loaded", 2026, "sibling_volume")
        assert tables["check"] == {"passed": False, "severity": "warning", "message":
                                   "the fiscal year is printed in the document: fails (the document prints no fiscal "
                                   "year: 2026 was taken from a sibling volume of the same department)"}
        narrative = _document(engine, "a_narrative.txt")
        assert (narrative["fiscal_year_source"], narrative["check"]["passed"]) == ("cover", True)
        assert [r.status for r in summary.reports] == ["loaded", "loaded"]  # the second look replaced the quarantine
    finally:
        cm.__exit__(None, None, None)


def test_without_a_sibling_the_link_text_then_the_file_name(tmp_path):
    cm, engine, _ = _run(tmp_path, {"linked.txt": TABLES, "附件2：2026年度部门预算报表.txt": TABLES + "\n"},
                         link_texts={"linked.txt": "高邑县民政局2026年部门预算公开表格"})
    try:
        assert (_document(engine, "linked.txt")["fiscal_year_source"],
                _document(engine, "附件2：2026年度部门预算报表.txt")["fiscal_year_source"]) == ("crawl_link", "file_name")
    finally:
        cm.__exit__(None, None, None)


def test_a_volume_nothing_dates_stays_quarantined_until_a_sibling_comes(tmp_path):
    cm, engine, summary = _run(tmp_path, {"tables.txt": TABLES})
    try:
        doc = _document(engine, "tables.txt")
        assert (doc["status"], doc["fiscal_year"]) == ("quarantined", None)
        assert doc["status_reason"].startswith("budget figures found but no fiscal year")
        assert [r.status for r in summary.reports] == ["quarantined"]
        # the next run finds its narrative volume beside it: the tables volume is looked at again
        (tmp_path / "docs" / "narrative.txt").write_text(NARRATIVE, encoding="utf-8")
        again = run_items(engine, folder_items(tmp_path / "docs"))
        assert sorted(r.status for r in again.reports) == ["loaded", "loaded"]
        assert _document(engine, "tables.txt")["fiscal_year_source"] == "sibling_volume"
    finally:
        cm.__exit__(None, None, None)
