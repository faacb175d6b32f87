"""The comparison marts on DuckDB and PostgreSQL: the same rows from the same documents.

A small corpus (the seed; 4 synthetic counties × 20 departments × 3 years with final
accounts, units and the planted inconsistencies; a second 信访 body in one county that states
no 三公 figures) is loaded into both dialects, the refresh runs on both, and every mart must
return identical rows. Also what the marts promise about missing figures.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import text

from flows.runner import folder_items, run_items
from load.warehouse import opened
from schemas.marts import MARTS
from tests.conftest import SEED_PATH
from tests.pg_server import postgres_server
from tests.synthetic import generate_truth, render_seed_text
from tests.synthetic.bulk import load_in_bulk
from tests.synthetic.corpus import build_corpus, counties
from tests.synthetic.render_pdf import render_standard_tables_pdf
from tests.synthetic.truth import Line

# about 250 synthetic documents on both dialects: full suite only (the fast lane's DuckDB = PostgreSQL
# checks are tests/load/test_postgres_rules.py and test_postgres_seen_only_assets.py)
pytestmark = pytest.mark.slow


COMPARED = [*MARTS, "v_department_year"]
TIMESTAMPS = {"last_seen_at", "loaded_at"}  # differ between two loads by construction


def _no_three_public(county) -> tuple[bytes, str]:
    """A second 信访 body of the county (群众工作局) whose disclosure states no 三公 figures."""
    province, city, name, code = county
    truth = replace(generate_truth(7), province=province, city=city, county=name, region_code=code,
                    department=f"{name}群众工作局", department_long=f"{name}群众工作局", year=2026, revenue_year=2026)
    text_ = render_seed_text(truth).decode()
    head, _, rest = text_.partition("四、财政拨款“三公”经费预算情况及增减变化原因")
    body = head + rest[rest.index("五、绩效预算信息"):]
    return body.encode(), f"synthetic/{code}_群众工作局_2026.txt"


SAFETY = {2018: (("215", "资源勘探信息等支出"), ("21506", "安全生产监管"), ("2150601", "行政运行")),
          2026: (("224", "灾害防治及应急管理支出"), ("22401", "应急管理事务"), ("2240101", "行政运行"))}


def _safety_tables(year: int) -> tuple[bytes, str]:
    """A work-safety body's standard tables: 2018 under 21506 安全生产监管, 2026 under 22401 应急管理事务."""
    truth = generate_truth(11)
    amount = truth.revenue["general_budget"]
    lines = tuple(Line(code, name, amount, amount, Decimal(0)) for code, name in SAFETY[year])
    truth = replace(truth, year=year, revenue_year=year, functions=lines)
    return render_standard_tables_pdf(truth), f"synthetic/safety_{year}.pdf"


def _documents() -> list[tuple[bytes, str]]:
    corpus = build_corpus(4)
    return [(d.data, f"synthetic/{d.name}") for d in corpus.documents] + [
        _no_three_public(counties(4)[0]), _safety_tables(2018), _safety_tables(2026)]


def _load(url: str, documents: list[tuple[bytes, str]]) -> None:
    with opened(url) as engine:
        load_in_bulk(engine, documents)
        run_items(engine, folder_items(SEED_PATH))


@pytest.fixture(scope="module")
def dialects(tmp_path_factory):
    documents = _documents()  # once: a PDF's bytes (and so its id) change with every rendering
    duck = f"duckdb:///{tmp_path_factory.mktemp('marts')}/w.duckdb"
    _load(duck, documents)
    with postgres_server() as pg:
        _load(pg, documents)
        with opened(duck) as duck_engine, opened(pg) as pg_engine:
            yield {"duckdb": duck_engine, "postgresql": pg_engine}


def _rows(engine, view: str) -> list[tuple]:
    with engine.connect() as connection:
        result = connection.execute(text(f"SELECT * FROM {view}"))
        keep = [k for k, name in enumerate(result.keys()) if name not in TIMESTAMPS]
        rows = [tuple(_plain(row[k]) for k in keep) for row in result]
    return sorted(rows, key=lambda r: tuple((v is None, str(v)) for v in r))


def _plain(value):
    return value.normalize() if isinstance(value, Decimal) else value


@pytest.mark.parametrize("view", COMPARED)
def test_every_mart_returns_the_same_rows_on_both_dialects(dialects, view):
    duck, pg = _rows(dialects["duckdb"], view), _rows(dialects["postgresql"], view)
    assert duck, f"{view} is empty: the comparison would prove nothing"
    assert duck == pg


def _all(engine, sql: str, **params) -> list:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).all()


def _one(engine, sql: str, **params) -> dict:
    with engine.connect() as connection:
        return dict(connection.execute(text(sql), params).mappings().one())


@pytest.mark.parametrize("dialect", ["duckdb", "postgresql"])
def test_a_figure_one_department_does_not_state_is_never_summed_as_zero(dialects, dialect):
    code = counties(4)[0][3]
    region = _one(dialects[dialect], "SELECT * FROM v_three_public_trend WHERE department_category = '信访' "
                                     "AND fiscal_year = 2026 AND region_code = :c", c=code)
    parts = _all(dialects[dialect], "SELECT department_name, three_public_total_yuan, rank_in_category "
                                    "FROM v_category_comparison WHERE department_category = '信访' AND fiscal_year = 2026 "
                                    "AND region_code = :c ORDER BY department_name", c=code)
    assert len(parts) == 2 and sorted(p[1] is None for p in parts) == [False, True]  # two departments, one states none
    assert region["total_yuan"] is None and region["admin_level"] == "county"  # so the region's total is not stated
    assert all(p[2] is not None for p in parts)  # each department ranked on its own spending


@pytest.mark.parametrize("dialect", ["duckdb", "postgresql"])
def test_compare_reads_the_ranks_and_shares_of_the_view(dialects, dialect):
    """``compare`` (load.ranking) and v_category_comparison: the same ranks and shares, on both dialects."""
    from cli.compare import shown
    from load.ranking import ranking_rows

    view = {(r[0], r[1], r[2]): (r[3], r[4]) for r in _all(
        dialects[dialect], "SELECT department_category, fiscal_year, department_id, rank_in_category, "
                           "share_of_category_total FROM v_category_comparison")}
    compared = shown(ranking_rows(dialects[dialect], None), "level")
    got = {(r["department_category"], r["fiscal_year"], r["department_id"]): (r["rank"], r["share"])
           for r in compared.iter_rows(named=True)}
    assert len(view) > 200 and set(got) == set(view)
    for key, (rank, share) in view.items():
        rounded = None if share is None else share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        assert got[key] == (rank, rounded), key


@pytest.mark.parametrize("dialect", ["duckdb", "postgresql"])
def test_ranks_and_shares_within_a_category_and_year(dialects, dialect):
    rows = _all(dialects[dialect], "SELECT rank_in_category, share_of_category_total, expenditure_total_yuan "
                                   "FROM v_category_comparison WHERE department_category = '财政' AND fiscal_year = 2025 "
                                   "ORDER BY rank_in_category")
    assert [r[0] for r in rows] == [1, 2, 3, 4]
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)
    assert sum(r[1] for r in rows) == pytest.approx(Decimal(1), abs=Decimal("0.00001"))


@pytest.mark.parametrize("dialect", ["duckdb", "postgresql"])
def test_execution_rate_of_the_planted_final_accounts(dialects, dialect):
    rates = sorted(r[0] for r in _all(dialects[dialect], "SELECT execution_rate FROM v_execution"))
    assert len(rates) == 40
    assert rates[0] == pytest.approx(Decimal("0.40"), abs=Decimal("0.001"))
    assert rates[-1] == pytest.approx(Decimal("1.60"), abs=Decimal("0.001"))
    assert all(Decimal("0.92") <= r <= Decimal("1.0201") for r in rates[1:-1])


@pytest.mark.parametrize("dialect", ["duckdb", "postgresql"])
def test_three_public_trend_carries_the_vehicle_total_and_the_change(dialects, dialect):
    code = counties(4)[1][3]
    rows = _all(dialects[dialect], "SELECT fiscal_year, abroad_yuan, vehicle_yuan, reception_yuan, total_yuan, yoy_pct "
                                   "FROM v_three_public_trend WHERE region_code = :c AND department_category = '审计' "
                                   "ORDER BY 1", c=code)
    assert [r[0] for r in rows] == [2024, 2025, 2026] and rows[0][5] is None
    for year, abroad, vehicle, reception, total, _ in rows:
        assert abroad + vehicle + reception == total
    assert rows[1][5] == ((rows[1][4] - rows[0][4]) * 100 / rows[0][4]).quantize(Decimal("0.01"))


@pytest.mark.parametrize("dialect", ["duckdb", "postgresql"])
def test_a_2018_and_a_2026_line_of_the_same_function_compare(dialects, dialect):
    rows = _all(dialects[dialect], "SELECT fiscal_year, function_code, conformed_code, conformed_name, amount_yuan "
                                   "FROM v_expenditure_by_function_conformed WHERE conformed_code = '22401' ORDER BY 1")
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [(2018, "21506", "22401", "应急管理事务"),
                                                         (2026, "22401", "22401", "应急管理事务")]
    assert rows[0][4] == rows[1][4]


def test_the_report_gathers_and_renders_the_same_on_both_dialects(dialects, tmp_path):
    """The HTML report's queries (load.comparison, load.evidence) on PostgreSQL as on DuckDB."""
    from flows.report.data import ReportScope, gather
    from flows.report.write import write_report

    def snapshot(engine) -> dict:
        data = gather(engine, ReportScope())
        frames = {name: getattr(data, name).drop([c for c in getattr(data, name).columns if c in TIMESTAMPS])
                  for name in ("categories", "three_public", "execution", "coverage", "failures")}
        frames["failures"] = frames["failures"].drop("document_ids")  # the order of ';'-joined ids is not defined
        rows = {name: sorted(map(str, frame.rows())) for name, frame in frames.items()}
        links = sorted(str([(loc.href, loc.role, loc.page_no, loc.line_no) for loc in locations])
                       for locations in data.locations)
        return rows | {"links": links, "documents": data.documents}

    duck, pg = snapshot(dialects["duckdb"]), snapshot(dialects["postgresql"])
    assert duck["categories"] and duck["failures"] and duck["links"]
    assert duck == pg
    summary = write_report(dialects["postgresql"], tmp_path / "report.html")
    assert summary.counts["failures"] == len(duck["failures"]) and "2,422,400.00" in (tmp_path / "report.html").read_text()
