"""End to end: a folder of every bad input (tests/badinputs.py) plus the seed, through ``county-budgets run``.

The run exits 0; the seed loads with its exact figures; every other entry — broken,
hostile, unreadable, not a file — ends in ``v_document`` as quarantined with its reason
(the substring the generator expects, where it fixes one); all of it inside a stated
time, with the per-document time limit as the backstop for anything a reader did not
foresee. Runs on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import shutil
import time
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from cli.app import app
from tests.conftest import SEED_PATH, query_rows

badinputs = pytest.importorskip("tests.badinputs", reason="the bad-input generator (tests/badinputs.py) is absent")

TIME_LIMIT_S = 20  # per document, in the worker
RUN_BUDGET_S = 90  # the whole folder, on a 2-core machine shared with other work


@pytest.mark.slow
def test_every_bad_input_is_quarantined_and_the_seed_loads(tmp_path, warehouse_url):
    folder = tmp_path / "inputs"
    expected = badinputs.write_bad_inputs(folder)
    shutil.copy(SEED_PATH, folder / "seed.txt")

    started = time.monotonic()
    result = CliRunner().invoke(app, ["run", "--no-prefect", "--source", str(folder), "--warehouse", warehouse_url,
                                      "--time-limit", str(TIME_LIMIT_S), "--memory-limit", "2048"])
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert elapsed < RUN_BUDGET_S

    # an archive's members are documents of their own, named <archive>!/<member>: keyed by the archive here
    documents = {uri.split("!/")[0].rsplit("/", 1)[1]: (status, reason) for uri, status, reason in query_rows(
        warehouse_url, "SELECT source_uri, status, status_reason FROM v_document")}
    assert set(documents) == {*expected, "seed.txt"}
    assert documents["seed.txt"] == ("loaded", None)
    wrong = {name: documents[name] for name, reason in expected.items()
             if documents[name][0] != "quarantined" or not documents[name][1]
             or (reason is not None and reason not in documents[name][1])}
    assert wrong == {}

    [summary] = query_rows(warehouse_url, "SELECT expenditure_total_yuan, expenditure_project_yuan, "
                                          "three_public_total_yuan, operating_expenses_yuan FROM v_budget_summary")
    assert summary == (Decimal("2422400.00"), Decimal("1312400.00"), Decimal("10600.00"), Decimal("143300.00"))
    print(f"bad-input folder: {len(expected)} bad inputs + the seed in {elapsed:.1f} s")
