"""A document whose department name (and file name) carries terminal escape sequences, an OSC 8
hyperlink, rich markup and ``[/x]`` goes through every command: the bytes that reach the terminal
hold none of the document's escape or control characters, the markup is shown as text, never
interpreted, and no command crashes on the name. Through pipes (where rich adds no styling, so
every escape byte would be the document's), and once on a real terminal (a pseudo-terminal),
where rich styles the output but nothing of the document's escapes gets through."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cli.app import app
from tests.cli_process import cli_env
from tests.conftest import REPO_ROOT, SEED_PATH

# one department per sequence, in four counties (a name stops at a colon, so the link targets have none)
NAMES = {
    "高邑县": "\x1b[2J\x1b[31m",  # clear the screen, turn red
    "赵县": "\x1b]8;;evil.cn\x1b\\点我\x1b]8;;\x1b\\",  # an OSC 8 hyperlink
    "元氏县": "[link=evil.cn]看[/link]",  # rich markup
    "井陉县": "[/x]\x07\x9b2J",  # a closing tag rich cannot match, a bell, an 8-bit CSI
}
# the identity reader keeps a name's own letters only (extract.parse.identity.names): the sequences
# stay in the document's stored title and lines, and the file name below carries the markup
SHOWN = ["高邑县信访局", "赵县信访局", "元氏县信访局", "井陉县信访局"]
FILE_NAME = "seed\x1b[31m[bold]\x07.txt"  # a file name cannot hold "/"
runner = CliRunner()


def hostile_text(county: str, payload: str) -> str:
    return SEED_PATH.read_text(encoding="utf-8").replace("高邑县", county).replace(f"{county}信访局",
                                                                               f"{county}信访局{payload}")


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, (county, payload) in enumerate(NAMES.items()):
        (folder / (FILE_NAME if i == 0 else f"{i}.txt")).write_text(hostile_text(county, payload), encoding="utf-8")
    registry = tmp_path / "portals.csv"
    registry.write_text("省份,城市,区县,地区名称,层级,原始链接,页面是否可用,地区是否匹配,页面类型\n"
                        "河北省,石家庄市,某县[/x]\x1b[2J,某县[/x]\x1b[2J,区县,http://127.0.0.1:9/[/x]\x1b[2J,是,是,预决算页面\n",
                        encoding="utf-8")
    return folder, registry


def assert_safe(data: bytes, where: str) -> str:
    """No escape, bell or C1 control of the document's in ``data``; returns the text."""
    text = data.decode("utf-8")
    assert "\x1b" not in text and "\x07" not in text, f"{where}: {text!r}"
    assert not any("\x80" <= ch <= "\x9f" for ch in text), f"{where}: {text!r}"
    return text


@pytest.mark.slow  # every command run in turn / on a pseudo-terminal child: full suite only
def test_every_command_shows_the_name_as_text(hostile, warehouse_url, tmp_path):
    folder, registry = hostile
    url = ["--warehouse", warehouse_url]
    commands = {
        "run": ["run", "--no-prefect", "--source", str(folder), *url],
        "backfill": ["backfill", "--no-prefect", "--source", str(folder), "--years", "2021", *url],
        "audit": ["audit", str(folder), "--time-limit", "0"],
        "compare": ["compare", "--category", "信访", *url],
        "quality": ["quality", *url],
        "departments": ["departments", *url],
        "coverage": ["coverage", *url],
        "report": ["report", "--out", str(tmp_path / "report.html"), *url],
        "export": ["export", "--out", str(tmp_path / "export"), *url],
        "sources import": ["sources", "import", str(registry), *url],
        "sources list": ["sources", "list", *url],
    }
    shown = {}
    for name, args in commands.items():
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (name, result.output, result.exception)
        shown[name] = assert_safe(result.stdout_bytes, name) + assert_safe(result.stderr_bytes, name)
    for name in ("run", "backfill", "audit", "compare", "quality", "departments"):
        for department in SHOWN:
            assert department in shown[name], (name, department, shown[name])
    assert "seed[bold].txt" in shown["run"] and "seed[bold].txt" in shown["audit"]
    assert "unresolved: 河北省 石家庄市 某县[/x]" in shown["sources import"] and "http://127.0.0.1:9/[/x]" in shown["sources list"]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "\x1b" not in html.split("<script", 1)[0] or "&#27;" in html  # the HTML report escapes its own way


@pytest.mark.slow
def test_the_prefect_run_summary_artifact_carries_no_markup_of_the_documents(hostile, warehouse_url, prefect_harness):
    import asyncio

    from prefect.client.orchestration import get_client

    folder, _ = hostile
    markdown_name = "[点我](javascript:alert(1))<img src=x onerror=alert(2)>|.txt"
    (folder / markdown_name).write_text(hostile_text("栾城区", ""), encoding="utf-8")
    result = runner.invoke(app, ["run", "--source", str(folder), "--warehouse", warehouse_url])
    assert result.exit_code == 0, result.output
    assert_safe(result.stdout_bytes, "run") and assert_safe(result.stderr_bytes, "run")

    async def latest():
        async with get_client() as client:
            return {a.key: a for a in await client.read_latest_artifacts()}

    markdown = asyncio.run(latest())["county-budgets-run-summary"].data
    assert "\x1b" not in markdown and "](javascript:" not in markdown
    assert re.search(r"(?<!\\)[<>\[\]]", markdown.split("|---", 1)[1]) is None  # every bracket escaped
    assert "\\[点我\\]\\(javascript:alert\\(1\\)\\)\\<img src=x onerror=alert\\(2\\)\\>\\|.txt" in markdown
    assert "元氏县信访局" in markdown and "井陉县信访局" in markdown


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """``county-budgets ARGS`` with stdout and stderr on a pseudo-terminal: its exit code and every byte."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "cli", *args], stdout=follower, stderr=follower,
                               stdin=subprocess.DEVNULL, env=env, cwd=REPO_ROOT)
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    return process.wait(timeout=60), seen


@pytest.mark.slow  # every command run in turn / on a pseudo-terminal child: full suite only
def test_on_a_real_terminal_rich_styles_the_output_and_the_document_styles_nothing(hostile, tmp_path):
    folder, _ = hostile
    warehouse = f"duckdb:///{tmp_path / 'w.duckdb'}"
    env = cli_env(tmp_path / "prefect", TERM="xterm-256color", COLUMNS="200")
    for args in (["run", "--no-prefect", "--source", str(folder), "--warehouse", warehouse],
                 ["compare", "--category", "信访", "--warehouse", warehouse]):
        code, seen = _on_a_terminal(args, env)
        assert code == 0, seen.decode(errors="replace")
        text = seen.decode("utf-8")
        for sequence in ("\x1b[2J", "\x1b]8;", "\x07", "\x9b", "evil.cn\x1b"):
            assert sequence not in text, (args[0], sequence, text)
        assert "\x1b[" in text  # rich's own styling is there: this is a terminal
        assert "元氏县信访局" in text and "井陉县信访局" in text
        assert args[0] != "run" or "seed[bold]" in text  # the file name's markup shown as text
