"""Levels, peers and normalised comparisons over the combined warehouse (seed + real corpus + cases +
the synthetic counties + 国家信访局): who is compared with whom, and what ``compare`` prints.

A county 信访局 is ranked among county 信访局s, never beside 国家信访局 or a province's 信访办; a
教育部 university is a central-ministry unit, not 重庆's 教育 department; ``--peers`` ranks within
a province; the normalised metrics divide the documents' own figures; CSV carries exact yuan and
shares to four decimals; ``quality`` names the pages of every failure in every format.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cli.app import app
from tests.flows.conftest import NATIONAL, planted_department_years

# every test reads the combined warehouse (tests/flows/conftest.py, ~3 minutes to build): slow; this file,
# test_ranking.py and test_report.py run on one worker, which builds it once (tests/conftest.py SHARED_UNITS)
pytestmark = pytest.mark.slow

QUANTUM = Decimal("0.000001")


def run(combined, *args: str):
    return CliRunner().invoke(app, [*args, "--warehouse", combined.url], env={"COLUMNS": "220"})


def cli_json(combined, *args: str) -> list[dict]:
    result = run(combined, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def rows(combined, sql: str, **params) -> list[dict]:
    with combined.engine.connect() as connection:
        return [dict(r) for r in connection.execute(text(sql), params).mappings()]


def test_no_national_body_is_ranked_among_cities_or_counties_by_default(combined):
    ranking = cli_json(combined, "compare", "--category", "信访", "--year", "2026")
    [national] = [r for r in ranking if r["department_name"] == NATIONAL]
    assert (national["admin_level"], national["rank"], national["peers"], national["share"]) == ("national", 1, 1,
                                                                                                 "1.0000")
    cities = [r for r in ranking if r["admin_level"] == "city"]
    assert [(r["department_name"], r["rank"], r["share"]) for r in cities] == [
        ("深圳市信访局", 1, "0.7357"), ("长春市信访局（本级）", 2, "0.2643")]  # 46,843,000 and 16,827,600 yuan
    assert sum(Decimal(r["share"]) for r in cities) == pytest.approx(Decimal(1), abs=Decimal("0.0002"))
    county = cli_json(combined, "compare", "--category", "信访", "--year", "2026", "--level", "county")
    assert NATIONAL not in {r["department_name"] for r in county} and {r["admin_level"] for r in county} == {"county"}
    assert len(county) == 50 and [r["rank"] for r in county] == list(range(1, 51))
    mixed = cli_json(combined, "compare", "--category", "信访", "--year", "2026", "--level", "all")
    assert {r["ranked_within"] for r in mixed} == {"all_levels"} and len(mixed) == len(ranking)
    values = [Decimal(r["value_yuan"]) for r in mixed]
    assert values == sorted(values, reverse=True) and [r["rank"] for r in mixed] == list(range(1, len(mixed) + 1))
    [view] = rows(combined, "SELECT rank_all_levels, admin_level FROM v_category_comparison WHERE department_name "
                            "= :n", n=NATIONAL)
    assert view["admin_level"] == "national" and view["rank_all_levels"] == next(
        r["rank"] for r in mixed if r["department_name"] == NATIONAL)


def test_a_ministry_university_is_a_central_unit_not_the_province_s_education_department(combined):
    [university] = rows(combined, "SELECT admin_level, body_type, level_source, parent_department_name, region_code "
                                  "FROM dim_department_conformed WHERE department_name = '西南大学'")
    assert university == {"admin_level": "national", "body_type": "central_unit", "level_source": "parent",
                          "parent_department_name": "教育部", "region_code": "500000"}
    [national] = cli_json(combined, "compare", "--category", "教育", "--level", "national", "--kind", "final_account")
    assert (national["department_name"], national["body_type"], national["rank"]) == ("西南大学", "central_unit", 1)
    provincial = run(combined, "compare", "--category", "教育", "--level", "provincial", "--kind", "final_account")
    assert provincial.exit_code == 2 and "no final_account of a 教育 department" in provincial.stderr  # it was the only one
    coverage = rows(combined, "SELECT status FROM v_coverage WHERE region_code = '500000' AND department_category = '教育'")
    assert all(r["status"] != "read" for r in coverage)


def test_every_loaded_department_has_a_level_or_is_listed_as_unmapped(combined):
    loaded = rows(combined, """SELECT DISTINCT c.department_name, c.admin_level, c.department_category
                               FROM dim_department_conformed c JOIN dim_document d USING (department_id)
                               WHERE d.status = 'loaded'""")
    unmapped = {r["department_name"] for r in cli_json(combined, "departments", "--unmapped")}
    unknown = {r["department_name"] for r in loaded if r["admin_level"] is None or r["department_category"] is None}
    assert unknown <= unmapped
    assert not {r["department_name"] for r in loaded if r["admin_level"] is None}, "every loaded department has a level"
    levels = {r["department_name"]: r["admin_level"] for r in loaded}
    assert (levels["中共西安市委宣传部"], levels["北京市信访办公室"], levels["高邑县信访局"]) == ("city", "provincial", "county")


def test_peers_rank_a_department_within_its_province_and_level(combined):
    peers = cli_json(combined, "compare", "--category", "信访", "--year", "2026", "--peers", "130121")
    hebei = sorted((d.expenditure_total, d.region_code) for d in combined.corpus.documents
                   if d.category == "信访" and d.kind == "department_budget" and d.year == 2026
                   and d.region_code.startswith("13"))
    assert [r["region_code"] for r in peers if r["department_name"].endswith("信访局")] == [c for _, c in reversed(hebei)]
    assert {r["admin_level"] for r in peers} == {"county"} and {r["province_name"] for r in peers} == {"河北省"}
    assert [r["rank"] for r in peers] == list(range(1, len(peers) + 1)) and peers[0]["ranked_within"] == "province"
    table = run(combined, "compare", "--category", "信访", "--year", "2026", "--peers", "130121")
    assert table.exit_code == 0 and "▶" in table.stdout and "in its province" in table.stdout
    missing = run(combined, "compare", "--category", "信访", "--peers", "110105")
    assert missing.exit_code == 2 and "no 信访 department" in missing.stderr


def test_normalised_metrics_divide_the_department_s_own_figures(combined):
    dy, last = planted_department_years(combined)
    year = dy["fiscal_year"]
    got = {r["metric"]: r for r in rows(combined, "SELECT * FROM v_department_ranking WHERE department_id = :d AND "
                                                  "fiscal_year = :y AND doc_kind = 'department_budget' AND "
                                                  "compared_as = 'category'", d=dy["department_id"], y=year)}
    expected = {
        "three_public_share": (dy["three_public_total_yuan"], dy["expenditure_total_yuan"]),
        "operating_share": (dy["operating_expenses_yuan"], dy["expenditure_basic_yuan"]),
        "yoy_expenditure": (dy["expenditure_total_yuan"] - last["expenditure_total_yuan"], last["expenditure_total_yuan"]),
    }
    for metric, (numerator, denominator) in expected.items():
        assert got[metric]["value_ratio"] == (numerator / denominator).quantize(QUANTUM, rounding=ROUND_HALF_UP), metric
        assert got[metric]["denominator_yuan"] == denominator and got[metric]["value_yuan"] is None
    assert got["expenditure"]["value_yuan"] == dy["expenditure_total_yuan"] and got["expenditure"]["value_ratio"] is None
    rates = cli_json(combined, "compare", "--category", "公安", "--metric", "execution_rate", "--level", "county")
    [planted] = [r for r in rates if r["region_code"] == combined.corpus.planted["execution"][1][0]
                 and r["fiscal_year"] == combined.corpus.planted["execution"][1][2]]
    assert Decimal(planted["value_ratio"]) == pytest.approx(Decimal("1.6"), abs=Decimal("0.001"))
    assert planted["rank"] == 1 and planted["doc_kind"] == "final_account"


def test_compare_csv_carries_exact_yuan_and_shares_to_four_decimals(combined):
    result = run(combined, "compare", "--category", "信访", "--format", "csv")
    assert result.exit_code == 0
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    view = {(r["department_id"], r["fiscal_year"]): r for r in rows(
        combined, "SELECT * FROM v_category_comparison WHERE department_category = '信访'")}
    assert len(table) == len(view) > 150
    for r in table:
        expected = view[(r["department_id"], int(r["fiscal_year"]))]
        assert Decimal(r["value_yuan"]) == expected["expenditure_total_yuan"] and r["value_yuan"].count(".") == 1
        assert r["share"] == str(expected["share_of_category_total"].quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
        assert len(r["share"].split(".")[1]) == 4
    beijing = next(r for r in table if r["region_code"] == "110000")
    assert beijing["value_yuan"] == "96267775.89"


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_quality_names_the_pages_of_every_failure_in_every_format(combined, fmt):
    result = run(combined, "quality", "--region", "130127", "--format", fmt)
    assert result.exit_code == 0
    if fmt == "table":
        assert "gaoyi_xinfang_2021.txt p1" in result.stdout
        return
    results = (list(csv.DictReader(io.StringIO(result.stdout))) if fmt == "csv" else json.loads(result.stdout))
    failed = [r for r in results if r["passed"] in (False, "false")]
    assert failed and all(r["pages"] for r in failed), failed
    [seed] = [r for r in failed if r["rule_code"] == "stated_year_matches_fiscal_year"]
    assert seed["pages"] == "gaoyi_xinfang_2021.txt p1"
