"""The heavy inputs of the attack set through ``county-budgets run``, on both dialects: each ends loaded
or quarantined with a reason a person understands, within the per-document time limit, and the run
goes on. (The 300 MB text and the links to it: tests/flows/test_memory_bound.py; small forms of the
long line and the nested page: tests/badinputs.py.)"""

from __future__ import annotations

import time

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from cli.app import app
from tests.conftest import SEED_PATH, query_rows

TITLE = "高邑县信访局2021年部门预算"


def _objects_pdf(path, pages: int = 2, per_page: int = 10_000) -> None:
    """A PDF whose pages each draw 10,000 separate text objects (a digit each)."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for _ in range(pages):
        c.setFont("STSong-Light", 9)
        c.drawString(40, 820, TITLE)
        for i in range(per_page):
            text = c.beginText(20 + (i % 100) * 5.5, 800 - (i // 100) * 7.8)
            text.setFont("STSong-Light", 4)
            text.textOut(str(i % 10))
            c.drawText(text)
        c.showPage()
    c.save()


@pytest.mark.slow
def test_heavy_documents_end_with_a_reason_in_bounded_time(tmp_path, warehouse_url):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "one_line.txt").write_text(f"{TITLE}\n一、部门职责\n二、收入\n" + "a,b," * 12_500_000 + "\n",
                                         encoding="utf-8")  # one line of 50 MB
    (folder / "nested.html").write_text(f"<html><head><title>{TITLE}</title></head><body>" + "<div>" * 100_000
                                        + f"{TITLE} 收入总计 242.24万元" + "</div>" * 100_000 + "</body></html>",
                                        encoding="utf-8")
    rows = SEED_PATH.read_text(encoding="utf-8") + "".join(f"项目{i}\t{i}.00\n" for i in range(100_000))
    (folder / "rows.txt").write_text(rows, encoding="utf-8")  # the seed, then 100,000 table rows
    _objects_pdf(folder / "objects.pdf")
    started = time.monotonic()
    result = CliRunner().invoke(app, ["run", "--no-prefect", "--source", str(folder), "--warehouse", warehouse_url,
                                      "--time-limit", "120"])
    took = time.monotonic() - started
    assert result.exit_code == 0, result.output
    reasons = dict(query_rows(warehouse_url, "SELECT source_uri, COALESCE(status_reason, status) FROM v_document"))
    by_name = {uri.rsplit("/", 1)[-1]: reason for uri, reason in reasons.items()}
    assert by_name["one_line.txt"].startswith("not a disclosure's text: one line holds 50,000,000 characters")
    assert by_name["nested.html"].startswith("HTML page cannot be read whole: the HTML parser stopped at one of "
                                             "its limits (Excessive depth in document: 256)")
    assert by_name["rows.txt"] == "loaded"  # the seed's own tables read; the extra rows are table rows
    assert by_name["objects.pdf"].startswith("states no budget figures")  # digits only: nothing to compare
    assert took < 4 * 120  # each well inside its time limit (about 10-15 s each here)
