"""The generator itself: identities hold, renderings state every figure, quirks happen."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from reference.regions import region_by_code
from tests.synthetic import generate_truth, identity_failures, render_seed_text, wan
from tests.synthetic.render_text import seed_blocks
from tests.synthetic.truth import COUNTIES, Truth


def test_identities_hold_in_every_truth():
    failures = {seed: identity_failures(generate_truth(seed)) for seed in range(1000)}
    assert {seed: f for seed, f in failures.items() if f} == {}


def test_identity_check_catches_a_broken_truth():
    truth = generate_truth(1)
    broken = Truth(**{**truth.__dict__, "expenditure": {**truth.expenditure, "basic": truth.expenditure["basic"] + 1}})
    assert "expenditure parts" in identity_failures(broken)


def test_same_seed_same_truth_and_bytes():
    assert generate_truth(42) == generate_truth(42)
    assert render_seed_text(generate_truth(42)) == render_seed_text(generate_truth(42))
    assert generate_truth(42) != generate_truth(43)


def test_counties_are_real_codes():
    for province, city, county, code in COUNTIES:
        region = region_by_code(code)
        assert region is not None and region.name == county, code
        assert (region.province_name, region.city_name) == (province, city)


def test_truths_vary_across_a_corpus():
    truths = [generate_truth(seed) for seed in range(300)]
    assert {t.year for t in truths} == set(range(2019, 2027))
    assert len({t.region_code for t in truths}) == len(COUNTIES)
    assert {len(t.projects) for t in truths} == set(range(1, 13))
    plans = Counter(len(p.plan) for t in truths for p in t.projects)
    assert set(plans) == {3, 4}
    assert any(p.plan[-1][0] == "" for t in truths for p in t.projects)  # 4 % under 3 headers
    assert any(t.revenue["gov_fund"] > 0 for t in truths) and any(t.revenue["other"] > 0 for t in truths)
    assert any(t.revenue_year == t.year - 1 for t in truths)  # the seed's year slip
    assert any(t.change["total"][0] < 0 for t in truths) and any(t.change["total"][0] > 0 for t in truths)
    spaced = [p.code_printed != p.code for t in truths for p in t.projects]
    assert any(spaced) and not all(spaced)


def test_wan_is_exact():
    assert wan(Decimal("2422400")) == "242.24"
    assert wan(Decimal("890220.01")) == "89.022001"
    assert wan(Decimal("1110000")) == "111"
    assert wan(Decimal("0")) == "0"


@pytest.mark.parametrize("seed", range(0, 40))
def test_rendered_text_states_every_figure(seed):
    truth = generate_truth(seed)
    text = render_seed_text(truth).decode("utf-8")
    for value in [*truth.revenue.values(), *truth.expenditure.values(), truth.operating_expenses,
                  *truth.three_public.values()]:
        assert f"{wan(value)}万元" in text
    for item, (amount, pct) in truth.change.items():
        shown = f"{abs(pct).normalize():f}" if item == "other" else f"{abs(pct)}"
        assert f"{wan(abs(amount))}万元，" in text and f"{shown}%" in text
    for p in truth.projects:
        assert f"项目编码\t{p.code_printed}\t\t项目名称\t{p.name}" in text
        assert f"预算数\t{p.amount:.2f}\t其中：财政资金\t{p.fiscal:.2f}" in text
        for ind in p.indicators:
            assert f"\t{ind.level3}\t{ind.description}\t{ind.target_text}\t{ind.basis}\t" in text
    assert f"资产总额\t——\t{wan(truth.assets['total'])}" in text
    assert f"{truth.revenue_year}年预算收入" in text and f"{truth.year} 年部门预算信息公开" in text


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030", "utf-8-sig"])
def test_render_in_each_encoding(encoding):
    truth = generate_truth(7)
    data = render_seed_text(truth, encoding)
    assert data.decode(encoding) == render_seed_text(truth).decode("utf-8")


def test_text_layout_follows_the_seed(seed_bytes):
    """Same skeleton as the real seed: blank-line paragraphs, the same table row shapes."""
    seed_lines = seed_bytes.decode("utf-8").split("\n")
    ours = render_seed_text(generate_truth(0)).decode("utf-8").split("\n")
    assert ours[:3] == ["", "", generate_truth(0).department] and seed_lines[:3] == ["", "", "高邑县信访局"]

    def shape(lines: list[str]) -> set[tuple[str, int]]:
        return {(line.split("\t")[0], line.count("\t")) for line in lines if "\t" in line and line.split("\t")[0]}

    assert {("一级指标", 6), ("产出指标", 6), ("项目编码", 6), ("预算规模及资金用途", 6), ("资产总额", 2),
            ("合计", 13)} <= shape(seed_lines) & shape(ours)


def test_seed_blocks_tables_are_lists_of_rows():
    tables = [b for b in seed_blocks(generate_truth(3)) if not isinstance(b, str)]
    assert all(isinstance(row, list) and all(isinstance(c, str) for c in row) for t in tables for row in t)
    assert len(tables) == 1 + len(generate_truth(3).projects) + 2  # units, projects, procurement, assets


def test_make_samples_writes_documents_and_truth(tmp_path):
    import json

    from extract.read.reader import read_document
    from tests.synthetic.make_samples import main

    truth_file = tmp_path / "truth.json"
    assert main([str(tmp_path / "out"), "--count", "3", "--start", "5", "--encoding", "gbk",
                 "--truth", str(truth_file)]) == 0
    files = sorted((tmp_path / "out").iterdir())
    assert [f.name.split("_")[0] for f in files] == ["00005", "00006", "00007"]
    doc = read_document(files[0].read_bytes(), str(files[0]))
    assert (doc.format, doc.encoding) == ("text", "gbk")
    truths = json.loads(truth_file.read_text())
    assert truths[0]["department"] == generate_truth(5).department
    assert truths[0]["revenue"]["total"] == str(generate_truth(5).revenue["total"])
    assert main([str(tmp_path / "bad"), "--kinds", "docx"]) == 2


def test_standard_table_quirks_vary_and_show_in_the_pdf():
    from extract.read.reader import read_document
    from tests.synthetic.pdf_layout import Flow, LayoutSettings, wrap
    from tests.synthetic.render_pdf import render_standard_tables_pdf, standard_quirks

    quirks = [q for seed in range(2000, 2030) for q in standard_quirks(generate_truth(seed)).values()]
    assert {q.unit for q in quirks} == {"元", "万元"}
    assert {(q.split, q.repeat_header) for q in quirks} == {(a, b) for a in (True, False) for b in (True, False)}
    seed = next(s for s in range(2000, 2100)
                if (q := standard_quirks(generate_truth(s))["function"]).split and q.repeat_header and q.narrow)
    truth = generate_truth(seed)
    doc = read_document(render_standard_tables_pdf(truth), "synthetic://quirks.pdf")
    header_pages = [line.page_no for line in doc.lines() if line.cells and line.cells[0] == "科目编码"
                    and line.cells[2] == "一般公共预算支出"]
    assert len(header_pages) == 2 and header_pages[1] == header_pages[0] + 1  # split, header repeated
    longest = max(truth.functions, key=lambda f: len(f.name))
    s = LayoutSettings()
    name_width = 80 * Flow().text_width / (60 + 80 + 70 * 3) - 2 * s.padding
    assert len(wrap(longest.name, name_width, s.table_size)) > 1  # drawn over two lines ...
    rows = [line.cells for line in doc.lines() if line.cells and line.cells[1] == longest.name]
    assert len(rows) == 1  # ... and read back as one cell


def test_balancing_rows_title_variants_and_one_line_three_public_occur():
    from extract.read.reader import read_document
    from tests.synthetic.render_pdf import render_standard_tables_pdf, standard_quirks

    truths = [generate_truth(seed) for seed in range(2000, 2030)]
    assert any(t.balancing["carryover_in"] > 0 for t in truths) and any(t.balancing["carryover_in"] == 0 for t in truths)
    assert any(t.balancing["non_fiscal_balance_used"] > 0 for t in truths)
    assert all(t.revenue_grand_total == t.expenditure_grand_total for t in truths)
    quirks = [standard_quirks(t) for t in truths]
    for table in ("summary", "function", "three_public", "expenditure"):
        assert {q[table].variant for q in quirks} == {0, 1, 2}, table
    # a flattened "三公" table is one running-text line of labels and figures under its title
    truth = next(t for t, q in zip(truths, quirks) if q["three_public"].variant == 2)
    doc = read_document(render_standard_tables_pdf(truth), "synthetic://one-line.pdf")
    [line] = [ln for ln in doc.lines() if ln.text.startswith("“三公”经费合计")]
    assert line.cells is None and "公务用车购置及运行费" in line.text and "公务用车购置费" not in line.text
    # unit-named titles are printed as such
    truth = next(t for t, q in zip(truths, quirks) if q["expenditure"].variant == 1)
    doc = read_document(render_standard_tables_pdf(truth), "synthetic://titles.pdf")
    assert any(ln.text.replace(" ", "") == f"{truth.department}支出预算表" for ln in doc.lines())
