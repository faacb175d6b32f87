"""The command line as a user runs it (inline mode; the Prefect path is tested in test_prefect_flow)."""

import io
import shutil

import pytest
from typer.testing import CliRunner

from cli.app import app, parse_years
from tests.conftest import SEED_PATH, query_rows

runner = CliRunner()
SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")


def seed_variant(county: str, year: int) -> str:
    """The seed re-titled for another county and year (figures unchanged)."""
    return SEED_TEXT.replace("高邑县", county).replace("2021", str(year)).replace("2020", str(year - 1))


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED_PATH, folder / "gaoyi_2021.txt")
    (folder / "zhaoxian_2019.txt").write_bytes(seed_variant("赵县", 2019).encode("gb18030"))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n")
    return folder


def rows(url, sql):
    return query_rows(url, sql)


def test_run_loads_good_files_quarantines_bad_ones_and_exits_zero(warehouse_url, source):
    url = warehouse_url
    result = runner.invoke(app, ["run", "--source", str(source), "--warehouse", url, "--no-prefect"])
    assert result.exit_code == 0, result.output
    assert "3 documents: 2 loaded, 1 quarantined" in result.output
    docs = rows(url, "SELECT region_code, fiscal_year, status FROM v_document ORDER BY status, fiscal_year")
    assert docs == [("130133", 2019, "loaded"), ("130127", 2021, "loaded"), (None, None, "quarantined")]
    again = runner.invoke(app, ["run", "--source", str(source), "--warehouse", url, "--no-prefect"])
    assert "3 documents: 0 loaded, 0 quarantined, 3 unchanged" in again.output


@pytest.mark.slow  # a further run of the CLI (seconds each): full suite only
def test_strict_exits_one_when_a_document_is_quarantined(warehouse_url, source):
    url = warehouse_url
    result = runner.invoke(app, ["run", "--source", str(source), "--warehouse", url, "--no-prefect", "--strict"])
    assert result.exit_code == 1


@pytest.mark.slow  # a further run of the CLI (seconds each): full suite only
def test_warehouse_url_from_environment(warehouse_url, source, monkeypatch):
    url = warehouse_url
    monkeypatch.setenv("COUNTY_BUDGETS_WAREHOUSE", url)
    result = runner.invoke(app, ["run", "--source", str(source), "--no-prefect"])
    assert result.exit_code == 0, result.output
    assert rows(url, "SELECT COUNT(*) FROM v_budget_summary") == [(2,)]


def test_backfill_loads_only_the_requested_years_and_region(warehouse_url, source):
    url = warehouse_url
    result = runner.invoke(app, ["backfill", "--source", str(source), "--years", "2019-2020", "--warehouse", url,
                                 "--no-prefect"])
    assert result.exit_code == 0, result.output
    assert "2019: 1 loaded" in result.output and "2020: 0 loaded" in result.output
    assert rows(url, "SELECT fiscal_year FROM v_budget_summary") == [(2019,)]
    result = runner.invoke(app, ["backfill", "--source", str(source), "--years", "2021", "--region", "130133",
                                 "--warehouse", url, "--no-prefect"])
    assert rows(url, "SELECT fiscal_year FROM v_budget_summary") == [(2019,)]


def test_missing_source_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["run", "--source", str(tmp_path / "nope"), "--warehouse",
                                 f"duckdb:///{tmp_path / 'w.duckdb'}", "--no-prefect"])
    assert result.exit_code == 2
    assert "source not found" in result.output


@pytest.mark.parametrize("text, years", [("2019-2021", [2019, 2020, 2021]), ("2019,2021", [2019, 2021]),
                                         ("2020", [2020])])
def test_parse_years(text, years):
    assert parse_years(text) == years


def test_parse_years_rejects_nonsense():
    from schemas.errors import SetupError

    with pytest.raises(SetupError, match="^--years: .*backwards"):
        parse_years("2021-2019")
    result = runner.invoke(app, ["backfill", "--years", "2021-2019", "--no-prefect"])
    assert result.exit_code == 2
    assert "--years:" in result.output and "backwards" in result.output


@pytest.fixture
def manifest(tmp_path, portal, monkeypatch):
    """A URL manifest of the seed as 2020 and 2021 disclosures served on 127.0.0.1."""
    monkeypatch.setenv("COUNTY_BUDGETS_RAW_STORE", str(tmp_path / "raw"))
    urls = [portal.add(f"/docs/zhaoxian_{year}.txt", seed_variant("赵县", year).encode("utf-8"),
                       content_type="text/plain; charset=utf-8") for year in (2020, 2021)]
    path = tmp_path / "urls.csv"
    path.write_text("url,title\n" + "".join(f"{u},赵县信访局\n" for u in urls), encoding="utf-8")
    return path


@pytest.mark.slow  # a further run of the CLI (seconds each): full suite only
def test_force_on_a_manifest_source_reloads(warehouse_url, manifest):
    # regression: --force was ignored for manifest (and registry) sources
    url = warehouse_url
    first = runner.invoke(app, ["run", "--source", str(manifest), "--warehouse", url, "--no-prefect"])
    assert "2 documents: 2 loaded, 0 quarantined, 0 unchanged" in first.output, first.output
    again = runner.invoke(app, ["run", "--source", str(manifest), "--warehouse", url, "--no-prefect"])
    assert "2 documents: 0 loaded, 0 quarantined, 2 unchanged" in again.output, again.output
    forced = runner.invoke(app, ["run", "--source", str(manifest), "--warehouse", url, "--no-prefect", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "2 documents: 2 loaded, 0 quarantined, 0 unchanged" in forced.output, forced.output
    assert rows(url, "SELECT COUNT(*) FROM v_budget_summary") == [(2,)]


@pytest.mark.slow  # a further run of the CLI (seconds each): full suite only
def test_backfill_of_a_manifest_loads_only_the_requested_years_and_region(warehouse_url, manifest):
    # regression: backfill --source urls.csv ignored --years and --region
    url = warehouse_url
    result = runner.invoke(app, ["backfill", "--source", str(manifest), "--years", "2021-2021", "--warehouse", url,
                                 "--no-prefect"])
    assert result.exit_code == 0, result.output
    assert "2021: 1 loaded" in result.output
    assert rows(url, "SELECT fiscal_year FROM v_budget_summary") == [(2021,)]
    other_region = runner.invoke(app, ["backfill", "--source", str(manifest), "--years", "2020", "--region", "130127",
                                       "--warehouse", url, "--no-prefect"])
    assert "2020: 0 loaded" in other_region.output, other_region.output
    assert rows(url, "SELECT fiscal_year FROM v_budget_summary") == [(2021,)]


@pytest.mark.parametrize("option, value, message", [
    ("--region", "999999", "unknown region code 999999"),
    ("--region", "abc", "not a region code or a known region name"),
    ("--province", "火星", "unknown province"),
    ("--region", "桥西区", "'桥西区' names 2 places: 130104 (河北省石家庄市桥西区), 130703 (河北省张家口市桥西区)"),
])
def test_region_and_province_are_checked_against_the_reference(tmp_path, source, option, value, message):
    result = runner.invoke(app, ["run", "--source", str(source), "--warehouse", f"duckdb:///{tmp_path / 'w.duckdb'}",
                                 "--no-prefect", option, value])
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()  # one line on stderr, no usage box
    assert line.startswith(f"error: {option}: ") and message in line


@pytest.mark.slow  # a further run of the CLI (seconds each): full suite only
def test_province_without_its_suffix(warehouse_url, source):
    url = warehouse_url
    result = runner.invoke(app, ["run", "--source", str(source), "--warehouse", url, "--no-prefect",
                                 "--province", "河北"])
    assert result.exit_code == 0, result.output
    assert "3 documents: 2 loaded, 1 quarantined" in result.output


def test_tables_written_to_a_pipe_are_not_cut_to_80_columns(monkeypatch):
    from cli.base import PIPED_WIDTH, report_console

    monkeypatch.delenv("COLUMNS", raising=False)
    assert report_console(file=io.StringIO()).width == PIPED_WIDTH
    monkeypatch.setenv("COLUMNS", "100")
    assert report_console(file=io.StringIO()).width == 100


def test_a_narrow_table_keeps_its_title_on_one_line():
    from rich.console import Console

    from cli.output import table

    title = "budget: 1 regions × 1 categories; one mark per year: 2021"
    out = io.StringIO()
    Console(file=out, width=200).print(table(title, ["code", "信访"], [["130127", "●"]]))
    assert out.getvalue().splitlines()[0].strip() == title
