"""Extraction checked against the hand-read LABELS.json of the real corpus in ../shared.

Every labelled figure must come out exactly, in yuan. A table figure is preferred to
the narrative's (tables print more digits); the narrative is used where the volume has
no table for it. Conversion happens here with Decimal only to compare: ``transform``
owns it in the product. A blank cell in a standard table is a stated zero.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest

from extract.parse.context import ParseContext
from extract.parse.metadata import read_metadata
from extract.parse.narrative import read_narrative
from extract.parse.standard_tables import parse_standard_tables
from extract.read.reader import read_document
from schemas.errors import DocumentError
from tests.conftest import SHARED_DIR, require_shared, shared_cases

UNITS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
FIGURES = {
    "revenue_total_yuan": (("revenue", "total"), ("revenue", "total")),
    "expenditure_total_yuan": (("expenditure", "total"), ("expenditure", "total")),
    "three_public_total_yuan": (("three_public", "total"), ("three_public", "total")),
    "three_public_abroad_yuan": (("three_public", "abroad"), ("three_public", "abroad")),
    "three_public_reception_yuan": (("three_public", "reception"), ("three_public", "reception")),
    "three_public_vehicle_purchase_yuan": (("three_public", "vehicle_purchase"),) * 2,
    "three_public_vehicle_operation_yuan": (("three_public", "vehicle_operation"),) * 2,
    "operating_expenses_yuan": (("operating_expenses", "total"), ("operating_expenses", "total")),
    "general_budget_expenditure_yuan": (("function", "total"), ("expenditure", "general_budget")),
}


def _labels() -> list[dict]:
    path = SHARED_DIR / "corpus" / "real" / "LABELS.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else []


LABELS = _labels()
PDF_LABELS = [e for e in LABELS if e["file"].endswith(".pdf") and e["kind"]]


def label_id(entry) -> str:
    return entry["file"] if entry else "absent"


def yuan(record) -> Decimal:
    text = record.amount_text.replace(",", "")
    return Decimal(text or "0") * UNITS[record.unit]


# the fast lane (pytest -m "not slow") reads one labelled disclosure: a broken parser fails it there; the
# sweep over every labelled document runs in the full suite
FAST = {"040_长春/2026年长春市信访局部门预算.pdf"}


def sweep(entries: list) -> list:
    """``shared_cases(entries)`` with every entry but the FAST ones marked slow."""
    return [e if not isinstance(e, dict) or e["file"] in FAST else pytest.param(e, marks=pytest.mark.slow)
            for e in entries]


class Parsed(dict):
    """file (relative to corpus/real) → its reading: {"doc", "meta", "tables", "found", "narrative"}, or
    {"error": reason} where the reader refuses it. Each document is read and parsed once for the module,
    when a test first asks for it (so a test of one document does not wait for all of them)."""

    def __init__(self, root):
        super().__init__()
        self.root = root

    def __missing__(self, name: str) -> dict:
        path = self.root / name
        try:
            doc = read_document(path.read_bytes(), str(path))
            ctx = ParseContext.of(doc)
            meta = read_metadata(ctx)
        except DocumentError as err:
            self[name] = {"error": err.reason}
            return self[name]
        tables, found = parse_standard_tables(ctx.blocks)
        narrative, _ = read_narrative(ctx.pages, [], meta.doc_kind == "final_account")
        self[name] = {"doc": doc, "meta": meta, "tables": tables, "found": found, "narrative": narrative}
        return self[name]


@pytest.fixture(scope="module")
def corpus() -> Parsed:
    return Parsed(require_shared("corpus", "real"))


def resolved(parsed: dict, field: str):
    table_key, narrative_key = FIGURES[field]
    column = "amount"
    for record in parsed["tables"]:
        if (record.statement, record.item) == table_key and record.column == column and not record.key:
            return record
    for record in parsed["narrative"]:
        if (record.statement, record.item) == narrative_key:
            return record
    return None


def _same_department(got: str | None, want: str) -> bool:
    """'（本级）' marks a department's own level; the labels keep it for one body, not another."""
    strip = lambda s: (s or "").replace("（本级）", "").replace("(本级)", "")  # noqa: E731
    return strip(got) == strip(want)


@pytest.mark.parametrize("entry", sweep(shared_cases(PDF_LABELS, "corpus", "real")), ids=label_id)
def test_kind_year_department(corpus, entry):
    parsed = corpus[entry["file"]]
    assert "error" not in parsed, parsed.get("error")
    meta = parsed["meta"]
    assert meta.doc_kind == entry["kind"]
    assert meta.fiscal_year == entry["fiscal_year"]
    assert _same_department(meta.department_name, entry["department"]), meta.department_name


@pytest.mark.parametrize("entry", sweep(shared_cases(PDF_LABELS, "corpus", "real")), ids=label_id)
def test_labelled_figures_exact_in_yuan(corpus, entry):
    parsed = corpus[entry["file"]]
    wrong = {}
    for field in FIGURES:
        want = entry[field]
        if want is None:
            continue
        record = resolved(parsed, field)
        got = yuan(record) if record else None
        if got != Decimal(str(want)):
            wrong[field] = (got, want, record.where if record else None)
    assert not wrong


@pytest.mark.parametrize("entry", sweep(shared_cases([e for e in PDF_LABELS if e["function_lines"]],
                                                    "corpus", "real")), ids=label_id)
def test_function_lines_and_no_scans(corpus, entry):
    parsed = corpus[entry["file"]]
    codes = {r.key for r in parsed["tables"] if r.statement == "function" and len(r.key) == 7}
    assert len(codes) == entry["function_lines"]
    assert parsed["doc"].scanned_pages == entry["scanned_pages"]


@pytest.mark.slow
def test_law_report_filed_as_budget_is_refused(corpus):
    reason = corpus["040_长春/2026年长春市财政局部门预算.pdf"]["error"]
    assert "not a budget disclosure" in reason and "法治政府建设报告" in reason


@pytest.mark.slow
def test_html_pages_without_text_are_refused_with_what_they_hold(corpus):
    images = corpus["004_重庆/民政局_重庆市社会福利指导中心2026年单位预算情况说明.pdf.html"]["error"]
    link = corpus["004_重庆/气象局_重庆市气象局2026年部门预算情况.pdf.html"]["error"]
    assert "image" in images
    assert "重庆市气象局2026年部门预算情况说明.pdf" in link


@pytest.mark.slow
def test_jiangsu_summary_tables_match_the_csv(corpus):
    rows = {r[""][:4]: r for r in csv.DictReader(require_shared(
        "corpus", "real", "jiangsu", "江苏省委办公厅", "收支预算总表.csv").open(encoding="utf-8"))}
    files = {"2017": "江苏省委办公厅2017年预算公开表格.pdf", "2018": "江苏省委办公厅2018年度部门预算公开表.pdf",
             "2019": "江苏省委办公厅2019年度部门预算公开表格.pdf"}
    checks = {("revenue", "total"): "收入合计", ("expenditure", "total"): "支出合计",
              ("revenue", "general_budget"): "一般公共预算", ("expenditure", "basic"): "基本支出",
              ("expenditure", "project"): "项目支出"}
    for year, name in files.items():
        tables = corpus[f"jiangsu/江苏省委办公厅/{name}"]["tables"]
        got = {(r.statement, r.item): r for r in tables if r.statement in ("revenue", "expenditure")}
        for key, column in checks.items():
            assert Decimal(got[key].amount_text.replace(",", "")) == Decimal(rows[year][column]), (year, key)
        assert got[("revenue", "total")].unit == "万元"


# ---------------------------------------------------------------- regressions


def _tables(corpus, name):
    return corpus[name]["tables"]


@pytest.mark.slow
def test_white_cell_backgrounds_do_not_swallow_the_table(corpus):
    """Jiangsu 2017: white filled boxes made one giant cell out of the title and header."""
    lines = {r.key: r for r in _tables(corpus, "jiangsu/江苏省委办公厅/江苏省委办公厅2017年预算公开表格.pdf")
             if r.statement == "function" and r.item == "line"}
    assert lines["2013101"].amount_text == "6,106.99" and lines["2013101"].label == "行政运行"


@pytest.mark.slow
def test_split_codes_inherit_parent_class_and_section(corpus):
    """Yantai prints 类/款/项 once per group: '' | 08 | '' then '' | '' | 01."""
    lines = {r.key: r for r in _tables(corpus, "025_烟台/2026年烟台市审计局部门预算.pdf")
             if r.statement == "function" and r.column == "amount"}
    assert lines["2010801"].amount_text == "1,531.26"
    assert lines["20108"].label == "审计事务"


@pytest.mark.slow
def test_three_public_takes_this_years_columns_and_excludes_meetings(corpus):
    yantai = {r.item: r.amount_text for r in _tables(corpus, "025_烟台/2026年烟台市审计局部门预算.pdf")
              if r.statement == "three_public"}
    assert yantai["total"] == "3.40" and yantai["abroad"] == ""  # 2025 columns say 11.90 / 8.50
    xian = {r.item: r.amount_text for r in _tables(corpus, "020_西安/宣传部_2026年部门预算.pdf")
            if r.statement == "three_public"}
    assert xian["total"] == "65,100.00"  # not the 合计 1,171,100.00 that adds 会议费/培训费
    # the printed 合计 does not add up (65,100 + 320,000 + 1,096,000): kept as printed for the rules
    assert (xian["grand_total"], xian["meeting"], xian["training"]) == ("1,171,100.00", "320,000.00", "1,096,000.00")


@pytest.mark.slow
def test_unit_line_scales_each_table_separately(corpus):
    tables = _tables(corpus, "001_上海/2026年上海市公安局_部门预算.pdf")
    units = {(r.statement, r.item): r.unit for r in tables if r.item == "total"}
    assert units[("function", "total")] == "元" and units[("three_public", "total")] == "万元"


@pytest.mark.slow
def test_digits_set_lower_than_the_cjk_text_stay_on_their_line(corpus):
    doc = corpus["shanghai-putuo/上海市普陀区财政局2024年度部门决算.pdf"]["doc"]
    assert any("机关运行经费支出184.65万元" in line.text for line in doc.pages[23].lines)


@pytest.mark.slow
def test_basic_expenditure_copies_side_by_side_are_both_read(corpus):
    """普陀 财政局 2024 决算 prints 人员经费 (301, 303) left and 公用经费 (302, 310) right: the right
    copy's lines were lost and its codes glued to the left's (30399302)."""
    lines = {r.key: r for r in _tables(corpus, "shanghai-putuo/上海市普陀区财政局2024年度部门决算.pdf")
             if r.statement == "economic" and r.item == "line"}
    assert max(len(k) for k in lines) == 5
    assert (lines["30239"].label, lines["30239"].amount_text) == ("其他交通费用", "48.49")
    assert (lines["302"].amount_text, lines["310"].amount_text, lines["31002"].amount_text) == (
        "171.07", "13.58", "13.58")
    assert (lines["301"].amount_text, lines["30399"].amount_text) == ("2,082.85", "")


def test_contradictions_are_kept_not_corrected(corpus):
    """Changchun's narrative drops the 万 of 1682.76万; Beijing's narrative 机关运行经费
    equals another table's total (likely a slip). Both stay as printed, for the rules to flag."""
    cc = {(r.statement, r.item): r for r in corpus["040_长春/2026年长春市信访局部门预算.pdf"]["narrative"]}
    assert (cc[("expenditure", "total")].amount_text, cc[("expenditure", "total")].unit) == ("1682.76", "元")
    bj = {(r.statement, r.item): r for r in corpus["002_北京/2026年北京市信访办公室部门预算.pdf"]["narrative"]}
    assert bj[("operating_expenses", "total")].amount_text == "1698.15"
    assert all(r.source == "narrative" for r in bj.values())
