"""The warehouse backends' one contract (:class:`load.backends.base.Backend`), on DuckDB and PostgreSQL.

Each backend is chosen from its URL and from its engine, writes rows in bulk, inserts only the
dimension rows whose key is new, lists the views with their fingerprints and a table's live
columns, and runs a serialised block; a scheme or dialect no backend serves is refused by name.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from sqlalchemy import create_engine, select, text

from load.backends import backend_for, backend_named, backend_of, backends, supported
from load.warehouse import MIGRATION_LOCK_KEY, SUPPORTED, connect, normalized_url, views_fingerprint
from schemas.errors import SetupError
from schemas.frames import polars_schema
from schemas.public import PUBLIC_VIEWS
from schemas.warehouse import dim_region, fct_budget_line


def regions(*rows: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame([{"region_code": code, "region_name": name, "level": "county", "parent_code": "130100",
                          "province_name": "河北省", "city_name": "石家庄市", "county_name": name}
                         for code, name in rows], schema=polars_schema(dim_region))


def stored_regions(engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(
            select(dim_region.c.region_code, dim_region.c.region_name).order_by(dim_region.c.region_code))]


def test_every_dialect_has_one_backend_chosen_by_url_and_by_engine(engine, warehouse_url, dialect):
    backend = backend_of(engine)
    assert backend.name == dialect
    assert backend_for(normalized_url(warehouse_url)) is backend
    with engine.connect() as connection:
        assert backend_of(connection) is backend
    assert [b.name for b in backends()] == ["duckdb", "postgresql"]


def test_bulk_insert_writes_every_row_exactly(engine):
    backend = backend_of(engine)
    frame = regions(("130127", "高邑县"), ("130129", "赞皇县"), ("130131", "平山县"))
    with engine.begin() as connection:
        assert backend.insert(connection, dim_region, frame) == 3
        assert backend.insert(connection, dim_region, frame.clear()) == 0
    assert stored_regions(engine) == [("130127", "高邑县"), ("130129", "赞皇县"), ("130131", "平山县")]


def test_bulk_insert_keeps_exact_money_and_rolls_back_with_its_transaction(engine):
    backend = backend_of(engine)
    row = {c: None for c in fct_budget_line.columns.keys()}
    schema = polars_schema(fct_budget_line)
    line = pl.DataFrame([row | {"document_id": "d" * 64, "page_no": 3, "line_no": 7, "line_seq": 1,
                                "source_text": "支出合计 98765432101.23", "statement": "expenditure",
                                "item": "total", "item_key": "total", "column_name": "amount", "label": "支出合计",
                                "source": "table", "amount_yuan": Decimal("98765432101.23"),
                                "stated_text": "98765432101.23", "stated_unit": "元"}], schema=schema)
    with pytest.raises(RuntimeError, match="rolled back"):
        with engine.begin() as connection:
            assert backend.insert(connection, fct_budget_line, line) == 1
            raise RuntimeError("rolled back")
    with engine.connect() as connection:
        assert connection.execute(select(fct_budget_line.c.document_id)).all() == []
    with engine.begin() as connection:
        backend.insert(connection, fct_budget_line, line)
    with engine.connect() as connection:
        assert connection.execute(select(fct_budget_line.c.amount_yuan)).scalar() == Decimal("98765432101.23")


def test_insert_missing_adds_only_new_keys_and_the_first_row_of_a_key_wins(engine):
    backend = backend_of(engine)
    with engine.begin() as connection:
        backend.insert(connection, dim_region, regions(("130127", "高邑县")))
    with engine.begin() as connection:
        backend.insert_missing(connection, dim_region,
                               regions(("130127", "改名县"), ("130129", "赞皇县"), ("130129", "第二行")))
        backend.insert_missing(connection, dim_region, regions())
    assert stored_regions(engine) == [("130127", "高邑县"), ("130129", "赞皇县")]
    with engine.begin() as connection:  # every key there already: nothing changes (DuckDB inserts nothing)
        backend.insert_missing(connection, dim_region, regions(("130129", "又改名"), ("130127", "再改名")))
    assert stored_regions(engine) == [("130127", "高邑县"), ("130129", "赞皇县")]
    keyless = regions(("130130", "无极县")).with_columns(pl.lit(None, dtype=pl.String).alias("region_code"))
    with pytest.raises(Exception, match="(?i)null"):  # a row without its key is refused, not skipped
        with engine.begin() as connection:
            backend.insert_missing(connection, dim_region, pl.concat([regions(("130127", "高邑县")), keyless]))
    assert stored_regions(engine) == [("130127", "高邑县"), ("130129", "赞皇县")]


def test_view_comments_carry_the_fingerprint_of_every_public_view(engine):
    backend = backend_of(engine)
    with engine.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        comments = backend.view_comments(connection)
    assert set(PUBLIC_VIEWS) <= set(comments)
    assert {comments[name] for name in PUBLIC_VIEWS} == {views_fingerprint(engine, revision)}


def test_live_columns_are_the_declared_columns(engine):
    backend = backend_of(engine)
    with engine.connect() as connection:
        assert backend.live_columns(connection, "dim_region") == set(dim_region.columns.keys())
        assert backend.live_columns(connection, "no_such_table") == set()


def test_a_serialized_block_and_a_document_lock_let_the_work_through(engine):
    backend = backend_of(engine)
    with backend.serialized(engine, MIGRATION_LOCK_KEY):
        with engine.begin() as connection:
            backend.lock_document(connection, "a" * 64, "file:///x.pdf", "")
            backend.insert(connection, dim_region, regions(("130127", "高邑县")))
    with backend.serialized(engine, MIGRATION_LOCK_KEY):  # released: taken again at once
        pass
    assert stored_regions(engine) == [("130127", "高邑县")]


def test_postgresql_locks_a_document_until_its_transaction_ends(pg, tmp_path, request):
    from tests.conftest import make_warehouse_url
    from load.backends.base import lock_key

    url = make_warehouse_url("postgresql", request, tmp_path)
    engine = connect(url)
    try:
        backend = backend_of(engine)
        probe = text("SELECT pg_try_advisory_xact_lock(:k)")
        with engine.begin() as holder:
            backend.lock_document(holder, "d" * 64)
            with engine.begin() as other:
                assert other.execute(probe, {"k": lock_key("d" * 64)}).scalar() is False
        with engine.begin() as other:
            assert other.execute(probe, {"k": lock_key("d" * 64)}).scalar() is True
    finally:
        engine.dispose()


def test_an_unknown_scheme_is_refused_with_the_supported_urls():
    assert SUPPORTED == supported() == ("use duckdb:///path/to/warehouse.duckdb or "
                                        "postgresql+psycopg://user@host:5432/database")
    with pytest.raises(SetupError, match=r"unsupported warehouse 'sqlite' in 'sqlite:///x.db': use duckdb:///"):
        normalized_url("sqlite:///x.db")
    with pytest.raises(SetupError, match=r"unsupported warehouse 'mysql\+pymysql' .*:\*\*\*@"):
        connect("mysql+pymysql://u:secret@host/db")
    with pytest.raises(SetupError, match=r"no warehouse backend for the dialect 'sqlite': use duckdb:///"):
        backend_named("sqlite")
    assert backend_named("postgres") is backend_named("postgresql")


def test_an_engine_of_an_unknown_dialect_is_refused_not_served_by_postgresql_sql():
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as connection:
            with pytest.raises(SetupError, match="no warehouse backend for the dialect 'sqlite'"):
                backend_of(connection).insert(connection, dim_region, regions(("130127", "高邑县")))
    finally:
        engine.dispose()


def test_a_read_only_duckdb_engine_opens_without_the_write_lock(tmp_path):
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    backend = backend_for(url)
    assert backend.connect_args(url, read_only=False) == {}
    with pytest.raises(SetupError, match="no warehouse file at"):
        backend.connect_args(url, read_only=True)
    (tmp_path / "w.duckdb").touch()
    assert backend.connect_args(url, read_only=True) == {"read_only": True}


def test_a_password_without_a_port_is_no_port():
    assert normalized_url("postgresql://u:secret@localhost/db") == "postgresql+psycopg://u:secret@localhost/db"
    with pytest.raises(SetupError, match=r"its port '5x' is not a number"):
        normalized_url("postgresql://u:secret@localhost:5x/db")
