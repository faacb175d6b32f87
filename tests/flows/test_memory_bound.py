"""The run's own process never holds more than a bounded amount of its inputs: a file over the
one-document cap is refused from its size, unread (a 300 MB text and eight links to it), and the
bytes held at once stay within ``--memory-limit`` (half of it). Memory is the peak growth of this
process's resident set while the command ran in it (sampled), generous against the limits."""

from __future__ import annotations

import os

import pytest

from typer.testing import CliRunner

from cli.app import app
from tests.conftest import SEED_PATH, query_rows
from tests.cli_process import cli_env
from tests.memory import PeakRss, command_peak_rss

# a 300 MB input and measured runs: full suite only
pytestmark = pytest.mark.slow


MIB = 2**20
runner = CliRunner()


def warmed_up(tmp_path, warehouse_url) -> None:
    """One run first, so what the measured run grows by is its inputs, not the modules and buffers
    every first run loads."""
    folder = tmp_path / "warm"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED_PATH.read_bytes())
    assert runner.invoke(app, ["run", "--no-prefect", "--source", str(folder), "--warehouse", warehouse_url,
                               "--workers", "2"]).exit_code == 0


def test_a_300_mb_text_and_eight_links_to_it_are_refused_unread(tmp_path, warehouse_url):
    folder = tmp_path / "docs"
    folder.mkdir()
    big = folder / "big.txt"
    with big.open("wb") as handle:  # sparse: 300 MB that cost no disk and no time to write
        handle.write("高邑县信访局2021年部门预算\n".encode())
        handle.truncate(300 * 10**6)
    for i in range(8):
        os.symlink(big, folder / f"link{i}.txt")
    warmed_up(tmp_path, warehouse_url)
    with PeakRss() as memory:
        result = runner.invoke(app, ["run", "--no-prefect", "--source", str(folder), "--warehouse", warehouse_url])
    assert result.exit_code == 0, result.output
    assert "9 documents: 0 loaded, 9 quarantined" in result.output
    assert result.stderr.splitlines()[0] == "run: 9 documents to read"  # nothing of them will be read
    assert query_rows(warehouse_url, "SELECT status_reason FROM v_document WHERE status = 'quarantined'") == [(
        "the file is 300,000,000 bytes (286.1 MiB), larger than 67,108,864 bytes, the cap for one document (the "
        "largest real disclosures are under 4 MiB); it was not read",)]
    assert memory.grew < 100 * MIB, memory.grew  # unchecked, eight links held 2.7 GB


def test_memory_limit_bounds_the_bytes_the_run_holds(tmp_path, warehouse_url):
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(12):  # 12 x 50 MiB of distinct bytes a worker refuses at once (images, not documents)
        (folder / f"scan{i:02}.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes([i]) * (50 * MIB))
    warm = tmp_path / "warm"
    warm.mkdir()
    (warm / "seed.txt").write_bytes(SEED_PATH.read_bytes())
    env = cli_env(tmp_path / "prefect")
    # the command as its own process (as cron runs it): the seed's run is what any run holds
    code, base, _ = command_peak_rss(["run", "--no-prefect", "--source", str(warm), "--warehouse", warehouse_url,
                                      "--workers", "2"], env)
    assert code == 0
    code, peak, out = command_peak_rss(["run", "--no-prefect", "--source", str(folder), "--warehouse",
                                        warehouse_url, "--memory-limit", "600", "--workers", "2"], env)
    assert code == 0, out.decode()
    assert "12 documents: 0 loaded, 12 quarantined" in out.decode()
    # 600 MiB of inputs, which one batch held at once before; now half the limit's worth at a time
    assert peak - base < 450 * MIB, (peak, base)
