"""The one table-vs-narrative choice: its SQL form (the views) and its Python form (the rules'
``DocumentFacts``, ``audit``) give the same figure. The real corpus is checked in
``tests/flows/test_real_corpus_pipeline.py`` (slow lane)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from sqlalchemy import Column, Integer, MetaData, Numeric, String, Table, create_engine, select, true

from schemas.preference import half_unit, precision, preferred, preferred_sql, preferred_source
from transform.rules.facts import DocumentFacts

D = Decimal
# (case, rows: (source, stated_text, stated_unit, amount_yuan), the document's figure)
CASES = [
    ("table 元 over the narrative's rounded 万元", [("table", "1,208,867.20", "元", D("1208867.20")),
                                                ("narrative", "120.89", "万元", D("1208900.00"))], D("1208867.20")),
    ("the narrative's exact yuan over a table in 万元", [("table", "171.01", "万元", D("1710100.00")),
                                                    ("narrative", "1,710,062.00", "元", D("1710062.00"))],
     D("1710062.00")),
    ("a finer narrative that disagrees: the table's", [("table", "1682.76", "万元", D("16827600.00")),
                                                     ("narrative", "1682.76", "元", D("1682.76"))], D("16827600.00")),
    ("same precision: the table's", [("table", "2,094.58", "万元", D("20945800.00")),
                                     ("narrative", "2094.58", "万元", D("20945800.00"))], D("20945800.00")),
    ("narrative only", [("narrative", "211", "万元", D("2110000.00"))], D("2110000.00")),
    ("a blank table cell: the narrative's printed zero", [("table", "", "万元", None), ("narrative", "0", "元", D(0))],
     D(0)),
    ("nothing stated", [("table", "", "万元", None)], None),
]


@pytest.fixture(scope="module")
def sql_answers():
    """The SQL form over the cases in an in-memory DuckDB: case number → the figure."""
    metadata = MetaData()
    rows = Table("rows", metadata, Column("case_no", Integer), Column("source", String),
                 Column("stated_text", String), Column("stated_unit", String), Column("amount_yuan", Numeric(18, 2)))
    engine = create_engine("duckdb:///:memory:")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(rows.insert(), [
            {"case_no": k, "source": s, "stated_text": t, "stated_unit": u, "amount_yuan": a}
            for k, (_, case_rows, _) in enumerate(CASES) for s, t, u, a in case_rows])
        query = select(rows.c.case_no, preferred_sql(rows, true(), rows.c.amount_yuan)
                       ).group_by(rows.c.case_no)
        return dict(connection.execute(query).all())


@pytest.mark.parametrize("k", range(len(CASES)), ids=[c[0] for c in CASES])
def test_sql_python_and_the_rules_choose_the_same_figure(k, sql_answers):
    _, case_rows, expected = CASES[k]
    dicts = [{"source": s, "stated_text": t, "stated_unit": u, "amount_yuan": a} for s, t, u, a in case_rows]
    assert preferred(dicts) == expected
    assert sql_answers[k] == expected
    frame = pl.DataFrame([{"document_id": "d", "statement": "operating_expenses", "item": "total",
                           "column_name": "amount", "item_key": "", "rate_pct": None, "quantity": None, **r}
                          for r in dicts], schema_overrides={"amount_yuan": pl.Decimal(18, 2)})
    figure = DocumentFacts({"fct_budget_line": frame}, "d").figure("operating_expenses", "total")
    assert (figure.value if figure else None) == expected
    if figure is not None:
        assert figure.source == preferred_source(dicts)


def test_precision_and_rounding():
    assert precision("1,208,867.20", "元") == -2
    assert precision("120.89", "万元") == 2
    assert precision("124", "万元") == 4
    assert precision("", "万元") == 4
    assert half_unit(2) == D(50) and half_unit(4) == D(5000) and half_unit(-2) == D("0.005")
