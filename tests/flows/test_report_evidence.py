"""Links from a failed rule to where its figures are printed (flows/report/evidence.py)."""

from __future__ import annotations

from decimal import Decimal

from flows.report.evidence import Location, document_href, locate


def line(statement, item, source, amount, page, line_no, text="") -> dict:
    return {"statement": statement, "item": item, "source": source, "amount_yuan": Decimal(amount) if amount else None,
            "page_no": page, "line_no": line_no, "source_text": text, "source_uri": "/d/a.pdf"}


NARRATIVE = line("expenditure", "total", "narrative", "1682.76", 17, 4, "预算支出1682.76元")
TABLE = line("expenditure", "total", "table", "16827600.00", 6, 20, "支出总计\t1682.76")
OTHER = line("revenue", "total", "table", "16827600.00", 6, 2, "收入总计\t1682.76")


def test_a_local_file_links_with_its_page_a_url_as_it_is():
    assert document_href("/data/高邑县/预算.pdf", 3) == "file:///data/%E9%AB%98%E9%82%91%E5%8E%BF/%E9%A2%84%E7%AE%97.pdf#page=3"
    assert document_href("/data/a b.txt") == "file:///data/a%20b.txt"
    assert document_href("https://czj.example.gov.cn/a.pdf?id=1", 4) == "https://czj.example.gov.cn/a.pdf?id=1"
    assert document_href("file:///data/a.pdf", 2) == "file:///data/a.pdf#page=2"
    assert document_href("synthetic/信访.txt", 1) == "synthetic/%E4%BF%A1%E8%AE%BF.txt#page=1"
    assert Location("/d/x/a.pdf", page_no=3, line_no=7).where == "p. 3, line 7"
    assert Location("https://h/p/a.pdf").file_name == "a.pdf" and Location("/d/a.pdf").where == "whole document"


def test_a_failure_is_located_at_the_lines_of_the_value_provided_and_the_expected_value():
    lines = [OTHER, TABLE, NARRATIVE]
    found = locate("expenditure_total_narrative_vs_table", Decimal("1682.76"), Decimal("16827600.00"), lines)
    assert found == [NARRATIVE, TABLE]
    # no printed amount equals either value: the rule's first input as printed, tables first
    assert locate("revenue_equals_expenditure", Decimal("1"), Decimal("2"), lines) == [OTHER]


def test_a_year_is_located_by_its_printed_text_and_nothing_else_is_guessed():
    year_line = line("revenue", "total", "narrative", "2422400.00", 1, 30, "2020年预算收入242.24万元")
    assert locate("stated_year_matches_fiscal_year", Decimal("2020.00"), Decimal("2021.00"), [TABLE, year_line]) == [
        year_line]
    assert locate("stated_year_matches_fiscal_year", Decimal("2019.00"), Decimal("2021.00"), [year_line]) == []
    assert locate("no_such_rule", Decimal("5"), None, [TABLE]) == []
