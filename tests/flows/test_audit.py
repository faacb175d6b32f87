"""The extraction audit over a small folder: a disclosure, a PDF of standard tables, junk."""

from __future__ import annotations

import io
import re
import shutil
from decimal import Decimal

import pytest

from cli.audit import audit_folder, format_report, summarize
from tests.conftest import SEED_PATH

reportlab = pytest.importorskip("reportlab")


def _tables_pdf() -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.setFont("STSong-Light", 16)
    c.drawString(150, 760, "某某县审计局2026年部门预算")
    c.showPage()
    c.setFont("STSong-Light", 10)
    c.drawString(200, 760, "一般公共预算支出表")
    c.drawString(420, 740, "单位：万元")
    cols, rows = [50, 150, 350, 500], [720, 700, 680, 660]
    for y in rows:
        c.line(cols[0], y, cols[-1], y)
    for x in cols:
        c.line(x, rows[0], x, rows[-1])
    for r, cells in enumerate([("科目编码", "科目名称", "合计"), ("2010801", "行政运行", "12.50"),
                               ("", "合计", "12.50")]):
        for k, text in enumerate(cells):
            c.drawString(cols[k] + 3, rows[r] - 14, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_audit_folder_reports_each_document_and_totals(tmp_path):
    shutil.copy(SEED_PATH, tmp_path / "seed.txt")
    (tmp_path / "tables.pdf").write_bytes(_tables_pdf())
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")
    (tmp_path / "labels.csv").write_text("not a document", encoding="utf-8")

    rows = {r.file: r for r in audit_folder(tmp_path)}
    assert set(rows) == {"seed.txt", "tables.pdf", "broken.pdf"}

    seed = rows["seed.txt"]
    assert (seed.status, seed.doc_kind, seed.fiscal_year, seed.department) == (
        "loaded", "department_budget", 2021, "高邑县信访局")
    assert seed.rules_passed > 0 and seed.rules_passed + seed.rules_failed + seed.rules_not_evaluated >= 5
    assert seed.figures == {"revenue_total": Decimal("2422400.00"), "expenditure_total": Decimal("2422400.00"),
                            "basic": Decimal("1110000.00"), "project": Decimal("1312400.00"),
                            "operating_expenses": Decimal("143300.00"), "three_public_total": Decimal("10600.00")}
    # the seed's 10 项目支出绩效目标表 with 7 indicators each; its asset table (3 rows) and prose (3 figures)
    assert seed.found == {"projects": 10, "indicators": 70, "assets": 6}
    assert seed.failed_rules == ["stated_year_matches_fiscal_year"]

    tables = rows["tables.pdf"]
    assert (tables.status, tables.fiscal_year, tables.department, tables.pages) == ("loaded", 2026, "某某县审计局", 2)
    assert tables.tables[0] == "function"
    assert tables.extract_seconds > 0

    broken = rows["broken.pdf"]
    assert broken.status == "quarantined" and "PDF" in broken.reason and broken.stage == "read"

    summary = summarize(list(rows.values()))
    assert (summary.documents, summary.loaded, summary.quarantined) == (3, 2, 1)
    assert summary.pages == seed.pages + 2 and summary.pages_per_second > 0
    report = format_report(list(rows.values()))
    assert "TOTAL 3 documents: 2 loaded, 1 quarantined" in report
    assert "QUARANTINED at read" in report and "function×1" in report
    assert ("figures (yuan): revenue 2,422,400.00, expenditure 2,422,400.00, basic 1,110,000.00, "
            "project 1,312,400.00, 三公 10,600.00, 机关运行经费 143,300.00") in report
    assert "found: 10 projects, 70 indicators, 6 asset rows" in report
    assert re.search(r"rules: \d+ pass, 1 fail, \d+ not evaluated "
                     r"\(failing: stated_year_matches_fiscal_year — warning, contradiction\)", report)
    assert "0 of 2 loaded documents fail an error rule (0.0%), 0 of them only where the document contradicts itself" \
        in report
