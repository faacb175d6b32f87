"""The combined warehouse the comparison tests share, built once per test session.

Seed + ../shared/corpus/real + ../shared/corpus/cases through the pipeline's own runner, the
synthetic multi-county corpus (tests/synthetic/corpus.py: ~3,100 documents) and a national body's
budget (国家信访局) in bulk, the
portal registry imported with the CLI, and two observations the other collection paths make:
a disclosure found without figures (an image-only page: ``dim_document.status = 'seen_only'``
with the year, kind, department and region its title states) and a disclosure link the
crawler saw but has not read (``src_document_url``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from extract.parse.document import PARSER_VERSION
from cli.app import app
from flows.conform import refresh
from flows.runner import RunSummary, folder_items, run_items
from load.documents import write_document
from load.warehouse import opened
from schemas import table
from schemas.frames import conform
from schemas.registry import src_document_url, src_source
from tests.conftest import SEED_PATH, SHARED_DIR
from tests.synthetic import generate_truth, render_seed_text
from tests.synthetic.bulk import load_in_bulk
from tests.synthetic.corpus import Corpus, build_corpus
from transform.dimensions import department_id

SEEN_ONLY = {"document_id": "5" * 64, "department_name": "高邑县财政局", "fiscal_year": 2021, "region_code": "130127",
             "doc_kind": "department_budget", "source_uri": "https://example.invalid/gaoyi/caizheng2021.html"}
FOUND_LINK = {"url": "https://example.invalid/gaoyi/shenji2021.pdf", "title": "高邑县审计局2021年部门预算公开",
              "fiscal_year": 2021, "doc_kind": "department_budget"}
NATIONAL = "国家信访局"  # a national body's 2026 budget in the seed's layout: never ranked among cities or counties


def national_document() -> tuple[bytes, str]:
    """国家信访局's 2026 department budget (the seed's layout, figures of ``generate_truth(3)``)."""
    truth = replace(generate_truth(3), department=NATIONAL, department_long=NATIONAL, county="", city="", province="",
                    region_code=None, year=2026, revenue_year=2026)
    return render_seed_text(truth), "synthetic/national_国家信访局_2026.txt"


@dataclass
class Combined:
    url: str
    engine: object
    corpus: Corpus
    runs: dict[str, RunSummary]
    registry_output: str


def _seen_only_document(engine) -> None:
    row = {c: None for c in table("dim_document").columns.keys()} | SEEN_ONLY | {
        "format": "html", "byte_size": 2048, "status": "seen_only", "parser_version": PARSER_VERSION,
        "status_reason": "the page carries its content only as 3 images", "loaded_at": datetime.now(timezone.utc),
        "department_id": department_id(SEEN_ONLY["region_code"], SEEN_ONLY["department_name"]),
    }
    frame = conform(pl.DataFrame([row]).with_columns(pl.col("loaded_at").cast(pl.Datetime("us", "UTC"))),
                    table("dim_document"))
    write_document(engine, {"dim_document": frame})


def _crawled_link(engine) -> None:
    now = datetime.now(timezone.utc)
    with engine.begin() as connection:
        source_id = connection.execute(select(src_source.c.source_id).where(
            src_source.c.region_code == SEEN_ONLY["region_code"])).scalars().first()
        connection.execute(src_document_url.insert().values(source_id=source_id, first_seen=now, last_seen=now,
                                                            **FOUND_LINK))


@pytest.fixture(scope="session")
def combined(tmp_path_factory) -> Combined:
    real = SHARED_DIR / "corpus" / "real"
    cases = SHARED_DIR / "corpus" / "cases"
    registry = SHARED_DIR / "registry" / "disclosure_portals.csv"
    if not (real.exists() and cases.exists() and registry.exists()):
        pytest.skip(f"{SHARED_DIR} lacks corpus/real, corpus/cases or the registry: the combined warehouse needs them")
    url = f"duckdb:///{tmp_path_factory.mktemp('combined') / 'warehouse.duckdb'}"
    corpus = build_corpus()
    runs: dict[str, RunSummary] = {}
    with opened(url) as engine:
        load_in_bulk(engine, [(d.data, f"synthetic/{d.name}") for d in corpus.documents] + [national_document()])
        for name, folder in (("seed", SEED_PATH), ("real", real), ("cases", cases)):
            runs[name] = run_items(engine, folder_items(Path(folder)))
    result = CliRunner().invoke(app, ["sources", "import", str(registry), "--warehouse", url])
    assert result.exit_code == 0, result.output
    with opened(url) as engine:
        _seen_only_document(engine)
        _crawled_link(engine)
        refresh(engine)
        yield Combined(url, engine, corpus, runs, result.output)


def planted_department_years(combined: Combined) -> tuple[dict, dict]:
    """``v_department_year`` rows of the first department-year planted with a wrong 上年 figure, and of
    the same department's year before."""
    from sqlalchemy import text

    region, name, year = combined.corpus.planted["prior_year"][0]
    sql = text("SELECT * FROM v_department_year WHERE region_code = :g AND department_name = :n AND fiscal_year = :y "
               "AND doc_kind = 'department_budget'")
    with combined.engine.connect() as connection:
        [row] = connection.execute(sql, {"g": region, "n": name, "y": year}).mappings().all()
        [last] = connection.execute(sql, {"g": region, "n": name, "y": year - 1}).mappings().all()
    return dict(row), dict(last)
