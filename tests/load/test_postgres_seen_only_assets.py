"""Seen-only pages, assets and projects by scope: the same rows on DuckDB and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from flows.pipeline import prepare, store
from load.warehouse import opened
from tests.conftest import SEED_PATH
from tests.pg_server import postgres_server
from tests.synthetic import generate_truth
from tests.synthetic.render_html import render_seen_only_html, seen_only_page

QUERIES = {
    "documents": "SELECT status, doc_kind, fiscal_year, fiscal_year_source, department_name FROM v_document "
                 "ORDER BY status",
    "links": "SELECT link_seq, kind, url, label, status FROM v_document_link ORDER BY link_seq",
    "assets": "SELECT category, measure, quantity, value_yuan, unit_value_threshold_yuan, quantity_unit, source "
              "FROM v_asset ORDER BY category, measure",
    "projects": "SELECT scope, count(*) AS n, sum(amount_yuan) AS total FROM v_project GROUP BY scope",
}


def _load(url: str) -> dict[str, list[tuple]]:
    truth = generate_truth(3107)
    page = seen_only_page(truth, "images")
    with opened(url) as engine:
        store(engine, prepare(SEED_PATH.read_bytes(), "file:///seed.txt"))
        store(engine, prepare(render_seen_only_html(truth, "images"), page.uri))
        with engine.connect() as connection:
            return {name: [tuple(r) for r in connection.execute(text(sql))] for name, sql in QUERIES.items()}


@pytest.fixture(scope="module")
def pg_url():
    with postgres_server() as url:
        yield url


def test_the_same_rows_on_both_dialects(tmp_path, pg_url):
    duck = _load(f"duckdb:///{tmp_path / 'w.duckdb'}")
    assert duck == _load(pg_url)
    assert [d[0] for d in duck["documents"]] == ["loaded", "seen_only"]
    assert len(duck["links"]) == len(seen_only_page(generate_truth(3107), "images").links)
    assert ("vehicles", "planned_purchase", 0, None, None, None, "narrative") in duck["assets"]
    assert duck["projects"] == [("project", 10, 1312400)]
