"""The benchmark script keeps working: it runs end to end on a tiny folder."""

from __future__ import annotations

import importlib.util
import sys

from tests.conftest import REPO_ROOT
from tests.synthetic import generate_truth
from tests.synthetic.render_pdf import render_standard_tables_pdf


def _script():
    spec = importlib.util.spec_from_file_location("extraction_speed", REPO_ROOT / "benchmarks" / "extraction_speed.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_benchmark_prints_both_rates_and_their_ratio(tmp_path, capsys):
    data = render_standard_tables_pdf(generate_truth(11))
    (tmp_path / "a.pdf").write_bytes(data)
    (tmp_path / "page.pdf").write_bytes(b"<html><body>not a pdf</body></html>")  # skipped by content
    script = _script()
    assert script.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    pages = script.count_pages(data)
    assert pages >= 6 and f"1 PDFs, {pages} pages" in out
    assert "pipeline (prepare: read + parse + transform + rules):" in out and "pdfminer extract_text:" in out
    assert "ratio pipeline/pdfminer:" in out


def test_benchmark_refuses_a_folder_without_pdfs(tmp_path, capsys):
    assert _script().main([str(tmp_path)]) == 2
    assert "no PDF files under" in capsys.readouterr().err
